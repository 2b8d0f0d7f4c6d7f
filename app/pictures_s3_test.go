package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"doleances/models"
	"doleances/models/media"
	"doleances/models/media/mediatest"
)

// fakeS3 starts an S3-compatible server on 127.0.0.1 with an empty bucket,
// and returns the -media-url of a prefix in it and the server's store.
func fakeS3(t *testing.T) (string, *s3mem.Backend) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("pictures"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test-key")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	return "s3://pictures/site?endpoint=" + strings.TrimPrefix(srv.URL, "http://") + "&region=us-east-1&secure=false", backend
}

// TestPicturesInAnS3Bucket runs the whole path on a bucket: upload, the
// files in the bucket under the prefix, serving through the site, deletion.
func TestPicturesInAnS3Bucket(t *testing.T) {
	mediaURL, backend := fakeS3(t)
	ts := newSite(t, withBase(plainBase), withConfig(func(c *Config) { c.MediaURL = mediaURL }))
	w := ts.writerAs("alice", models.RoleAuthor)
	r, up := w.upload(t, "photo.jpg", photo(), "The letter")
	wantStatus(t, "upload to S3", r, http.StatusCreated)
	key := "site/" + strings.TrimPrefix(up.URL, "/media/")
	obj, err := backend.GetObject("pictures", key, nil)
	if err != nil {
		t.Fatalf("the bucket lacks %s: %v", key, err)
	}
	stored, _ := io.ReadAll(obj.Contents)
	obj.Contents.Close()
	if bytes.Contains(stored, []byte(mediatest.GPSMarker)) || bytes.Contains(stored, []byte("Exif")) {
		t.Error("the stored file keeps its EXIF data")
	}
	r = w.post(t, "/write", storyForm("In the bucket", up.Markdown, "publish"))
	wantStatus(t, "publish", r, http.StatusSeeOther)
	got := ts.anonymous().get(t, up.URL)
	wantStatus(t, "served from S3", got, http.StatusOK)
	if got.Body != string(stored) || got.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("served %d bytes of %s, stored %d", len(got.Body), got.Header.Get("Content-Type"), len(stored))
	}
	slug := publishedSlug(r.Location)
	r = w.post(t, "/stories/"+slug+"/delete", map[string][]string{"confirm": {"yes"}})
	wantStatus(t, "delete", r, http.StatusSeeOther)
	if _, err := backend.GetObject("pictures", key, nil); err == nil {
		t.Error("the deleted story's picture is still in the bucket")
	}
}

// TestS3StorageRefusesAMissingBucket: a typo in -media-url fails at start-up.
func TestS3StorageRefusesAMissingBucket(t *testing.T) {
	mediaURL, _ := fakeS3(t)
	_, err := media.Open(context.Background(), strings.Replace(mediaURL, "s3://pictures/", "s3://picturse/", 1), "")
	if err == nil || !strings.Contains(err.Error(), "no bucket picturse") {
		t.Fatalf("err = %v", err)
	}
}
