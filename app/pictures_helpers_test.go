package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"testing"

	"doleances/models/media"
	"doleances/models/media/mediatest"
)

// file is a file sent in a multipart form.
type file struct {
	field, name string
	data        []byte
}

// postFiles sends a multipart form with the session's CSRF token.
func (w *writer) postFiles(t *testing.T, path string, form url.Values, files ...file) reply {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if w.csrf != "" {
		_ = mw.WriteField("csrf", w.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(f.data)
	}
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	return w.send(t, req)
}

// uploaded is the JSON answer of POST /media.
type uploaded struct {
	URL, Markdown, Error string
	Width, Height        int
}

// upload sends data to POST /media and reads its answer.
func (w *writer) upload(t *testing.T, name string, data []byte, alt string) (reply, uploaded) {
	t.Helper()
	r := w.postFiles(t, "/media", url.Values{"alt": {alt}}, file{"file", name, data})
	var u uploaded
	if err := json.Unmarshal([]byte(r.Body), &u); err != nil {
		t.Fatalf("POST /media %s: status %d, not JSON: %.300s", name, r.Status, r.Body)
	}
	return r, u
}

// photo is a JPEG from a phone: 1,800 × 1,200 pixels, with EXIF GPS data.
func photo() []byte { return mediatest.WithEXIF(mediatest.JPEG(mediatest.Halves(1800, 1200)), 1) }

var srcsetRe = regexp.MustCompile(`srcset="([^"]+)"`)

// mediaDir is the folder of the site's pictures.
func mediaDir(ts *testSite) string { return filepath.Join(ts.srv.cfg.Data, "media") }

// discard is a Storage that keeps nothing, to count the files of another.
type discard struct{}

func (discard) Put(context.Context, string, string, []byte) error { return nil }
func (discard) Open(context.Context, string) (io.ReadCloser, media.Info, error) {
	return nil, media.Info{}, media.ErrNotFound
}
func (discard) Delete(context.Context, string) error             { return nil }
func (discard) Copy(context.Context, media.Storage) (int, error) { return 0, nil }
