package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// asset is one embedded file served under a content-hashed name.
type asset struct {
	body        []byte
	contentType string
}

// assets serves the embedded static files at /static/NAME.HASH.EXT with a
// one-year immutable cache lifetime: a changed file gets a new URL.
type assets struct {
	byURL  map[string]asset  // "/static/style.1a2b3c4d5e.css" -> file
	byName map[string]string // "style.css" -> "/static/style.1a2b3c4d5e.css"
}

func newAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byURL: map[string]asset{}, byName: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		url := "/static/" + strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a.byURL[url] = asset{body: body, contentType: mime.TypeByExtension(ext)}
		a.byName[p] = url
		return nil
	})
	return a, err
}

// url returns the hashed URL of a static file; templates call it as {{asset "style.css"}}.
func (a *assets) url(name string) (string, error) {
	u, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

func (a *assets) serve(c *fiber.Ctx) error {
	f, ok := a.byURL[c.Path()]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, f.contentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(f.body)
}
