package app

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"doleances/models"
	"doleances/models/media/mediatest"
)

// TestPicturesGoWithWhatUsesThem: deleting a story removes the pictures it
// alone showed, files and all; deleting an account removes its pictures
// that nothing else shows, and keeps one another author's story shows.
func TestPicturesGoWithWhatUsesThem(t *testing.T) {
	ts := newSite(t, withBase(plainBase))
	alice := ts.writerAs("alice", models.RoleAuthor)
	bob := ts.writerAs("bob", models.RoleAuthor)
	png := mediatest.PNG(mediatest.Halves(640, 480))
	up := func(w *writer, alt string) uploaded {
		r, u := w.upload(t, "p.png", png, alt)
		wantStatus(t, "upload", r, http.StatusCreated)
		return u
	}
	exists := func(u uploaded) bool {
		_, err := os.Stat(filepath.Join(mediaDir(ts), strings.TrimPrefix(u.URL, "/media/")))
		return err == nil
	}
	publish := func(w *writer, title string, ups ...uploaded) string {
		body := "Pictures:"
		for _, u := range ups {
			body += "\n\n" + u.Markdown
		}
		r := w.post(t, "/write", storyForm(title, body, "publish"))
		wantStatus(t, "publish "+title, r, http.StatusSeeOther)
		return publishedSlug(r.Location)
	}
	only, shared, unused := up(alice, "only in alice's story"), up(alice, "also in bob's story"), up(alice, "never used")
	slug := publish(alice, "Alice's story", only, shared)
	publish(bob, "Bob's story", shared)

	r := alice.post(t, "/stories/"+slug+"/delete", map[string][]string{"confirm": {"yes"}})
	wantStatus(t, "delete the story", r, http.StatusSeeOther)
	if exists(only) || !exists(shared) || !exists(unused) {
		t.Fatalf("after deleting the story: only %v, shared %v, unused %v; want false, true, true", exists(only), exists(shared), exists(unused))
	}
	if got := ts.anonymous().get(t, only.URL); got.Status != http.StatusNotFound {
		t.Errorf("the deleted story's picture answers %d", got.Status)
	}

	r = alice.post(t, "/me/delete", map[string][]string{"content": {"remove"}, "confirm": {"yes"}})
	wantStatus(t, "delete the account", r, http.StatusSeeOther)
	if !exists(shared) || exists(unused) {
		t.Fatalf("after deleting the account: shared %v, unused %v; want true, false", exists(shared), exists(unused))
	}
	if got := ts.anonymous().get(t, shared.URL); got.Status != http.StatusOK {
		t.Errorf("the picture bob's story shows answers %d", got.Status)
	}
}

// TestAvatarOnMe: a picture on /me replaces the letter; the one it replaces is removed.
func TestAvatarOnMe(t *testing.T) {
	ts := newSite(t, withBase(plainBase))
	w := ts.writerAs("alice", models.RoleAuthor)
	wantIn(t, "/me before", w.get(t, "/me").Body, `avatar large initial`)
	send := func() string {
		r := w.postFiles(t, "/me/avatar", nil, file{"avatar", "me.jpg", photo()})
		wantStatus(t, "avatar", r, http.StatusSeeOther)
		page := w.get(t, "/me").Body
		m := regexp.MustCompile(`<img class="avatar large" src="(/media/[0-9a-f]{32}/192x128\.jpg)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("/me shows no avatar:\n%.2000s", page)
		}
		return m[1]
	}
	first := send()
	second := send()
	if got := ts.anonymous().get(t, second); got.Status != http.StatusOK {
		t.Errorf("the avatar answers %d to a visitor", got.Status)
	}
	if got := w.get(t, first); got.Status != http.StatusNotFound {
		t.Errorf("the replaced avatar answers %d", got.Status)
	}
	r := w.postFiles(t, "/me/avatar", nil, file{"avatar", "me.svg", []byte("<svg/>")})
	wantStatus(t, "an SVG avatar", r, http.StatusUnsupportedMediaType)
	wantIn(t, "an SVG avatar", r.Body, "SVG is not accepted")
}

// TestBackupAndRestoreCarryPictures: backup writes the pictures beside the
// database's copy, and restore puts them back into an empty data folder.
func TestBackupAndRestoreCarryPictures(t *testing.T) {
	onPostgres(t, "backup and restore copy the SQLite file")
	ts := newSite(t, withBase(plainBase))
	w := ts.writerAs("alice", models.RoleAuthor)
	r, up := w.upload(t, "p.png", mediatest.PNG(mediatest.Halves(640, 480)), "a square")
	wantStatus(t, "upload", r, http.StatusCreated)
	key := strings.TrimPrefix(up.URL, "/media/")
	file := filepath.Join(t.TempDir(), "b.db")
	out, err := runCLI("backup", "-data", ts.srv.cfg.Data, file)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	wantIn(t, "backup's output", out, "2 picture files copied to "+file+".media")
	if _, err := os.Stat(filepath.Join(file+".media", key)); err != nil {
		t.Fatalf("the backup lacks %s: %v", key, err)
	}
	data := t.TempDir()
	out, err = runCLI("restore", "-data", data, file)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	wantIn(t, "restore's output", out, "2 picture files restored")
	if _, err := os.Stat(filepath.Join(data, "media", key)); err != nil {
		t.Errorf("the restored site lacks %s: %v", key, err)
	}
}

// TestDemoSiteHasPictures: the demo's pictures, drawn by code, go through
// the upload path and show as covers, in a story's text and in link previews.
func TestDemoSiteHasPictures(t *testing.T) {
	ts := newSite(t, withBase(plainBase), withDemo())
	front := ts.anonymous().get(t, "/")
	if n := strings.Count(front.Body, `class="card-cover"`); n < 3 {
		t.Errorf("the demo front page shows %d covers, want 3", n)
	}
	page := ts.anonymous().get(t, "/stories/resilier-chez-orange-a-three-month-saga")
	wantStatus(t, "the Orange story", page, http.StatusOK)
	wantIn(t, "the Orange story", page.Body, `<figure class="cover">`, `alt="A registered letter with its red stamp and a blue postmark"`,
		`alt="The Livebox on the shelf, one light red"`, `property="og:image"`)
	for _, m := range regexp.MustCompile(`src="(/media/[^"]+)"`).FindAllStringSubmatch(page.Body, -1) {
		got := ts.anonymous().get(t, m[1])
		if got.Status != http.StatusOK || got.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("%s: %d %s", m[1], got.Status, got.Header.Get("Content-Type"))
		}
	}
}
