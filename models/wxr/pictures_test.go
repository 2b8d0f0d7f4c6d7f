package wxr

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakePictures keeps what it is given and answers addresses under /media.
type fakePictures struct{ saved map[string]string }

func (f *fakePictures) SavePicture(_ context.Context, _ uint, name string, r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	f.saved[name] = string(b)
	return "/media/imported/" + name, nil
}

// TestPicturesFromUploads: with a copy of wp-content/uploads and a picture
// storage, the pictures a post shows are stored and their links rewritten;
// one missing from the copy keeps its old link; without a storage, every
// link stays on the old site and the summary says so.
func TestPicturesFromUploads(t *testing.T) {
	uploads := t.TempDir()
	dir := filepath.Join(uploads, "2008", "11")
	check(t, os.MkdirAll(dir, 0o750))
	for _, name := range []string{"wardrobe-delivery-note-300x225.jpg", "wardrobe-delivery-note.jpg"} {
		check(t, os.WriteFile(filepath.Join(dir, name), []byte("JPEG "+name), 0o600))
	}
	s := newSite(t)
	pics := &fakePictures{saved: map[string]string{}}
	sum, err := importFile(t, s, fixturePath(t), Options{Uploads: uploads, Pictures: pics})
	check(t, err)
	ten := storyOf(t, s, "10")
	if !strings.Contains(ten.Body, "(/media/imported/wardrobe-delivery-note-300x225.jpg") ||
		!strings.Contains(ten.Body, "(/media/imported/wardrobe-delivery-note.jpg)") ||
		!strings.Contains(ten.Body, "https://expat-diary.example/wp-content/uploads/2008/11/wardrobe-delivery-note-150x150.jpg") {
		t.Errorf("post 10 body:\n%s", ten.Body)
	}
	if sum.Pictures != 2 || len(pics.saved) != 2 || skipped(sum, "missing from the uploads") != 1 {
		t.Errorf("pictures %d, saved %v, skipped %v", sum.Pictures, pics.saved, sum.Skipped)
	}

	s2 := newSite(t)
	sum, err = importFile(t, s2, fixturePath(t), Options{Uploads: uploads})
	check(t, err)
	if ten := storyOf(t, s2, "10"); !strings.Contains(ten.Body, "https://expat-diary.example/wp-content/uploads/2008/11/wardrobe-delivery-note-300x225.jpg") ||
		!strings.Contains(sum.String(), "no picture storage") {
		t.Errorf("without a storage: %s\n%s", ten.Body, sum)
	}
}
