package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"doleances/models"
	"doleances/models/media/mediatest"
)

// picturesExport is a published post showing a phone photo and a ".jpg"
// that is text, both under the old site's wp-content/uploads.
var picturesExport = strings.Replace(blogExport, "It blinked.",
	`It blinked: <img src="http://old.example/wp-content/uploads/2020/01/photo.jpg" alt="The box" /> and <img src="http://old.example/wp-content/uploads/2020/01/bogus.jpg" alt="Not one" />`, 1)

var importedMedia = regexp.MustCompile(`/media/[0-9a-f]{32}/[0-9]+x[0-9]+\.jpg`)

// TestImportBringsPictures: with -uploads, a post's photo goes through what
// an upload goes through (metadata stripped, sizes, a row owned by the
// post's author, shown with srcset and public once the story is published);
// a bogus file keeps its old link and the summary says why; a dry run
// stores nothing.
func TestImportBringsPictures(t *testing.T) {
	s := newSite(t, listening())
	uploads := t.TempDir()
	dir := filepath.Join(uploads, "2020", "01")
	check(t, os.MkdirAll(dir, 0o750))
	check(t, os.WriteFile(filepath.Join(dir, "photo.jpg"), photo(), 0o600))
	check(t, os.WriteFile(filepath.Join(dir, "bogus.jpg"), []byte("this is not a picture"), 0o600))
	file, env := writeExport(t, picturesExport), s.cliEnv()
	var out bytes.Buffer
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", file, "-data", s.Data, "-uploads", uploads, "-dry-run"}, env, &out))
	if files, _ := filepath.Glob(filepath.Join(s.Data, "media", "*")); len(files) != 0 {
		t.Errorf("a dry run stored %v", files)
	}
	out.Reset()
	check(t, Run(context.Background(), []string{"doleances", "import", "wordpress", file, "-data", s.Data, "-uploads", uploads}, env, &out))
	wantIn(t, "summary", out.String(), "Picture 2020/01/bogus.jpg was not brought (picture refused: not a JPEG, PNG, WebP or GIF picture); its link stays on the old site.")

	store, err := models.Open(s.dbPath, models.Options{})
	check(t, err)
	defer store.Close()
	ann, err := store.UserByHandle(context.Background(), "ann")
	check(t, err)
	st, err := store.StoryForEditBySlug(context.Background(), "router-blinked", ann.ID)
	check(t, err)
	body := st.Body
	u := importedMedia.FindString(body)
	if u == "" || !strings.Contains(body, "](http://old.example/wp-content/uploads/2020/01/bogus.jpg)") {
		t.Fatalf("story text %q", body)
	}
	ref, _ := models.ParseMediaURL(u)
	pic, public, err := store.PictureAccess(context.Background(), ref.Name)
	check(t, err)
	if !public || pic.OwnerID != ann.ID || pic.Kind != models.PictureStory {
		t.Errorf("picture %+v public %v, want story picture of ann (%d), public", pic, public, ann.ID)
	}

	visitor := s.browser()
	story := visitor.get(s.URL + "/stories/router-blinked")
	wantIn(t, "story page", story.Body, `src="`+u+`"`, `srcset="`+ref.SrcSet()+`"`)
	got := visitor.get(s.URL + u)
	if got.Status != 200 || got.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET %s: %d %s", u, got.Status, got.Header.Get("Content-Type"))
	}
	for _, leak := range []string{"Exif", "GPS", mediatest.GPSMarker} {
		if strings.Contains(got.Body, leak) {
			t.Errorf("%s still holds %q", u, leak)
		}
	}
}
