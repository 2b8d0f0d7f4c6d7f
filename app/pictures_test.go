package app

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/handlers"
	"doleances/models"
	"doleances/models/media"
	"doleances/models/media/mediatest"
)

// TestUploadServeAndPublishAPicture follows a phone photo from POST /media
// to a published story: its position data is gone from every served size, it
// is private until a published story shows it, then public and cached for a
// year, and the story shows it with srcset, sizes, width and height.
func TestUploadServeAndPublishAPicture(t *testing.T) {
	ts := newSite(t, withBase(plainBase))
	w := ts.writerAs("alice", models.RoleAuthor)
	src := photo()
	if !bytes.Contains(src, []byte(mediatest.GPSMarker)) {
		t.Fatal("the test photo has no GPS block")
	}
	r, up := w.upload(t, "IMG_0042.jpg", src, "The [registered] letter")
	wantStatus(t, "POST /media", r, http.StatusCreated)
	ref, ok := models.ParseMediaURL(up.URL)
	if !ok || ref.W != 1600 || ref.H != 1067 || up.Width != 1600 {
		t.Fatalf("answer %+v", up)
	}
	if up.Markdown != `![The \[registered\] letter](`+up.URL+`)` {
		t.Errorf("markdown %q", up.Markdown)
	}
	sizes := strings.Split(ref.SrcSet(), ", ")
	if len(sizes) != 3 {
		t.Fatalf("srcset %q", ref.SrcSet())
	}
	for _, s := range sizes {
		u, _, _ := strings.Cut(s, " ")
		got := w.get(t, u)
		wantStatus(t, "the uploader fetches "+u, got, http.StatusOK)
		if ct := got.Header.Get("Content-Type"); ct != "image/jpeg" {
			t.Errorf("%s: Content-Type %q", u, ct)
		}
		if cc := got.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("%s of a draft: Cache-Control %q", u, cc)
		}
		for _, leak := range []string{"Exif", "GPS", mediatest.GPSMarker} {
			if strings.Contains(got.Body, leak) {
				t.Errorf("%s still holds %q", u, leak)
			}
		}
		if got := ts.anonymous().get(t, u); got.Status != http.StatusNotFound {
			t.Errorf("a visitor fetched an unpublished picture %s: %d", u, got.Status)
		}
	}

	f := storyForm("The letter", "Here it is:\n\n"+up.Markdown, "publish")
	f.Set("cover_alt", "")
	r = w.post(t, "/write", f)
	wantStatus(t, "publish", r, http.StatusSeeOther)
	page := ts.anonymous().get(t, r.Location)
	wantStatus(t, "story page", page, http.StatusOK)
	wantIn(t, "story page", page.Body, `src="`+up.URL+`"`, `srcset="`+ref.SrcSet()+`"`, `sizes="`+models.PictureSizesAttr+`"`,
		`width="1600" height="1067"`, `loading="lazy"`, `alt="The [registered] letter"`,
		`<meta property="og:image" content="http://doleances.test`+up.URL+`">`, `content="summary_large_image"`, `"image":{"@type":"ImageObject"`)
	got := ts.anonymous().get(t, up.URL)
	wantStatus(t, "a visitor fetches the published picture", got, http.StatusOK)
	if cc := got.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", cc)
	}
	if got.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	for _, bad := range []string{"/media/" + ref.Name + "/../doleances.db", "/media/" + ref.Name + "/1600x1067.svg", "/media/" + strings.Repeat("0", 32) + "/1600x1067.jpg"} {
		if got := ts.anonymous().get(t, bad); got.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, got.Status)
		}
	}
}

// TestUploadRefusals sends what must not become a picture: each is a 4xx
// with a message, and the over-large body is refused before it is read.
func TestUploadRefusals(t *testing.T) {
	ts := newSite(t, withBase(plainBase))
	w := ts.writerAs("alice", models.RoleAuthor)
	jpg := mediatest.JPEG(mediatest.Halves(64, 48))
	for _, c := range []struct {
		name   string
		data   []byte
		status int
		msg    string
	}{
		{"huge.png", mediatest.HugePNG(30000, 30000), http.StatusUnprocessableEntity, "40 megapixels"},
		{"cut.jpg", jpg[:len(jpg)/2], http.StatusUnprocessableEntity, "damaged or incomplete"},
		{"notes.jpg", []byte("Dear Sir, I write to cancel my contract.\n"), http.StatusUnsupportedMediaType, "JPEG, PNG, WebP or GIF"},
		{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`), http.StatusUnsupportedMediaType, "SVG is not accepted"},
		{"big.jpg", append(bytes.Clone(jpg), make([]byte, media.DefaultLimits.MaxBytes)...), http.StatusUnprocessableEntity, "10 MB"},
	} {
		r, up := w.upload(t, c.name, c.data, "x")
		if r.Status != c.status || !strings.Contains(up.Error, c.msg) {
			t.Errorf("%s: %d %q, want %d with %q", c.name, r.Status, up.Error, c.status, c.msg)
		}
	}
	r := w.postFiles(t, "/media", url.Values{"alt": {"x"}})
	wantStatus(t, "no file", r, http.StatusUnprocessableEntity)
	r = ts.anonymous().postFiles(t, "/media", nil, file{"file", "a.jpg", jpg})
	wantStatus(t, "a visitor", r, http.StatusUnauthorized)
	if n := countFiles(t, ts); n != 0 {
		t.Errorf("%d files stored after refusals", n)
	}
}

// TestUploadRate: a hundred uploads in a minute; past the limit, a 429 with
// a message and Retry-After, and nothing more is decoded.
func TestUploadRate(t *testing.T) {
	ts := newSite(t, withBase(plainBase))
	w := ts.writerAs("alice", models.RoleAuthor)
	png := mediatest.PNG(mediatest.Halves(40, 30))
	created, refused := 0, 0
	for range 100 {
		r, up := w.upload(t, "a.png", png, "a red and blue square")
		switch {
		case r.Status == http.StatusCreated:
			created++
		case r.Status == http.StatusTooManyRequests && strings.Contains(up.Error, "Please wait") && r.Header.Get("Retry-After") != "":
			refused++
		default:
			t.Fatalf("upload: %d %q", r.Status, up.Error)
		}
	}
	if created > 30 || refused < 70 {
		t.Errorf("%d uploads taken, %d refused", created, refused)
	}
}

// countFiles is the number of picture files in the site's media folder.
func countFiles(t *testing.T, ts *testSite) int {
	t.Helper()
	dir, err := media.NewDir(mediaDir(ts))
	if err != nil {
		t.Fatal(err)
	}
	n, err := dir.Copy(t.Context(), discard{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// slowFirstPut is a picture storage whose first write takes longer than
// what is left of the request's time, as the decoding of a large picture
// did under -race on a loaded machine, and which refuses a write whose
// context has ended, as a bucket's client does.
type slowFirstPut struct {
	media.Storage
	slept atomic.Bool
	wait  time.Duration
}

func (s *slowFirstPut) Put(ctx context.Context, key, contentType string, data []byte) error {
	if !s.slept.Swap(true) {
		time.Sleep(s.wait)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.Storage.Put(ctx, key, contentType, data)
}

// An upload whose picture took longer than the request's time to be made
// is stored all the same: the work done and the file sent are not thrown
// away at the last step.
func TestSlowPictureIsKept(t *testing.T) {
	dir, err := media.NewDir(t.TempDir())
	check(t, err)
	const deadline = 2 * time.Second // room for the steps before the picture, under -race
	// Half the request's time goes before the handler, as a slow decoding
	// would take it; the first write then outlasts the rest of the
	// request's time but not the time storing is given afresh.
	slowStart := func(r fiber.Router) {
		r.Use(func(c *fiber.Ctx) error {
			if c.Method() == fiber.MethodPost && c.Path() == "/media" {
				time.Sleep(deadline / 2)
			}
			return c.Next()
		})
	}
	ts := newSite(t, withBase(plainBase), withConfig(func(c *Config) { c.timeouts.request, c.testRoutes = deadline, slowStart }),
		withDeps(func(d *handlers.Deps) { d.Media = &slowFirstPut{Storage: dir, wait: deadline/2 + 200*time.Millisecond} }))
	w := ts.writerAs("alice", models.RoleAuthor)
	r, up := w.upload(t, "IMG_0042.jpg", photo(), "A slow one")
	wantStatus(t, "POST /media past the request's deadline", r, http.StatusCreated)
	if _, ok := models.ParseMediaURL(up.URL); !ok {
		t.Fatalf("answer %+v", up)
	}
	wantStatus(t, "the uploader fetches it", w.get(t, up.URL), http.StatusOK)
}

// deadlineSeen is a picture storage that keeps how much time its first
// write was given.
type deadlineSeen struct {
	media.Storage
	left atomic.Int64 // time.Duration; 0: no write yet, -1: no deadline
}

func (s *deadlineSeen) Put(ctx context.Context, key, contentType string, data []byte) error {
	left := time.Duration(-1)
	if dl, ok := ctx.Deadline(); ok {
		left = time.Until(dl)
	}
	s.left.CompareAndSwap(0, int64(left))
	return s.Storage.Put(ctx, key, contentType, data)
}

// A made picture is stored on the time the site gives a request, as
// configured, not on the default: a site that gives its requests more
// time gives the storage as much (and a shorter one no more).
func TestPictureStoredOnConfiguredTime(t *testing.T) {
	for _, deadline := range []time.Duration{3 * time.Second, 3 * handlers.RequestTimeout} {
		dir, err := media.NewDir(t.TempDir())
		check(t, err)
		files := &deadlineSeen{Storage: dir}
		ts := newSite(t, withBase(plainBase), withConfig(func(c *Config) { c.timeouts.request = deadline }),
			withDeps(func(d *handlers.Deps) { d.Media = files }))
		r, _ := ts.writerAs("alice", models.RoleAuthor).upload(t, "IMG_0042.jpg", photo(), "")
		wantStatus(t, "POST /media", r, http.StatusCreated)
		// Storing starts as soon as the picture is made: it has nearly
		// the whole of its time left (a second's room under -race).
		if left := time.Duration(files.left.Load()); left > deadline || left < deadline-time.Second {
			t.Errorf("request deadline %v: the picture's first file was stored with %v left", deadline, left)
		}
	}
}
