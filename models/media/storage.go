package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// ErrNotFound is a file that the storage does not hold.
var ErrNotFound = errors.New("no such picture file")

// Storage holds the picture files by key ("{name}/{w}x{h}.jpg"). Keys are
// checked by ValidKey before they reach a Storage.
type Storage interface {
	// Put stores data under key, replacing what was there.
	Put(ctx context.Context, key, contentType string, data []byte) error
	// Open reads the file under key; ErrNotFound when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Delete removes the file under key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
	// Copy writes every file to dst, for backups; it returns how many.
	Copy(ctx context.Context, dst Storage) (int, error)
}

// Info is what serving a file needs to know about it.
type Info struct {
	Size    int64
	ModTime time.Time
}

var keyPattern = regexp.MustCompile(`^[0-9a-f]{32}/[1-9][0-9]{0,4}x[1-9][0-9]{0,4}\.(jpg|png)$`)

// ValidKey says whether key is a file name the site makes: a picture's
// 32-hex-digit name, a size and an extension. Nothing else reaches a Storage,
// so no key can climb out of the folder or name another bucket's object.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// TypeOf is the Content-Type of a valid key.
func TypeOf(key string) string {
	if strings.HasSuffix(key, ".png") {
		return "image/png"
	}
	return "image/jpeg"
}

// Open opens the storage a -media-url names: empty for the folder dir,
// "file:///path" for another folder, "s3://bucket/prefix?endpoint=...&region=..."
// for an S3-compatible bucket.
func Open(ctx context.Context, mediaURL, dir string) (Storage, error) {
	if mediaURL == "" {
		return NewDir(dir)
	}
	u, err := url.Parse(mediaURL)
	if err != nil {
		return nil, fmt.Errorf("media-url: %w", err)
	}
	switch u.Scheme {
	case "file":
		return NewDir(u.Path)
	case "s3":
		return openS3(ctx, u)
	}
	return nil, fmt.Errorf("media-url %q: want empty, file:///path or s3://bucket/prefix?endpoint=host:port&region=...", u.Redacted())
}

// Dir is a Storage in a folder of the local disk.
type Dir struct{ root string }

// NewDir opens the folder root; it is made at the first Put.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("media folder: no path")
	}
	return &Dir{root: root}, nil
}

// Root is the folder of the storage.
func (d *Dir) Root() string { return d.root }

func (d *Dir) path(key string) string { return filepath.Join(d.root, filepath.FromSlash(key)) }

// Put writes the file through a temporary name, so that a reader never sees half of it.
func (d *Dir) Put(_ context.Context, key, _ string, data []byte) error {
	p := d.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// Open opens the file under key.
func (d *Dir) Open(_ context.Context, key string) (io.ReadCloser, Info, error) {
	f, err := os.Open(d.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Info{}, ErrNotFound
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("open %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, fmt.Errorf("open %s: %w", key, err)
	}
	return f, Info{Size: st.Size(), ModTime: st.ModTime()}, nil
}

// Delete removes the file under key, and its folder once empty.
func (d *Dir) Delete(_ context.Context, key string) error {
	if err := os.Remove(d.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	_ = os.Remove(filepath.Dir(d.path(key))) // fails while other sizes remain: that is fine
	return nil
}

// Copy writes every file of the folder to dst.
func (d *Dir) Copy(ctx context.Context, dst Storage) (int, error) {
	n := 0
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == d.root {
			return nil // no picture was ever stored
		}
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil || !ValidKey(filepath.ToSlash(rel)) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		return dst.Put(ctx, filepath.ToSlash(rel), TypeOf(rel), data)
	})
	return n, err
}
