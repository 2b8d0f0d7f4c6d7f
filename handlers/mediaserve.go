package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
	"doleances/models/media"
)

// UploadAnswer is the JSON of POST /media.
type UploadAnswer struct {
	URL      string `json:"url"`
	Markdown string `json:"markdown"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
}

// upload is POST /media: one picture (multipart field "file", its
// description in "alt"), for the editor's script and for other scripts.
// It answers 201 with the picture's URL and the Markdown that shows it.
func (p *pictures) upload(c *fiber.Ctx, u *models.User) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return jsonError(c, fiber.StatusUnprocessableEntity, "No picture was sent: choose a file (form field \"file\").")
	}
	alt := cleanAlt(c.FormValue("alt"))
	url, err := p.save(c, fh, u.ID, models.PictureStory, alt)
	var ue *uploadError
	if errors.As(err, &ue) {
		return jsonError(c, ue.status, locale(c).Text(ue.msg))
	}
	if err != nil {
		return err
	}
	ref, _ := models.ParseMediaURL(url)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Location(url)
	return c.Status(fiber.StatusCreated).JSON(UploadAnswer{URL: url, Markdown: markdownOf(url, alt), Width: ref.W, Height: ref.H})
}

// signInFirst is the answer of POST /media to a visitor without a session.
func (p *pictures) signInFirst(c *fiber.Ctx) error {
	return jsonError(c, fiber.StatusUnauthorized, "Please sign in to send pictures.")
}

// jsonError is a refused request for a script: {"error": msg}.
func jsonError(c *fiber.Ctx, status int, msg string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

// serve is GET /media/{name}/{size}.{ext}. Files never change (a new
// upload gets a new name), so a public one is cached for a year by anyone.
// A story picture that no published story shows yet is served only to its
// uploader and to admins, and kept out of shared caches.
func (p *pictures) serve(c *fiber.Ctx) error {
	name, file := c.Params("name"), c.Params("file")
	key := name + "/" + file
	if !media.ValidKey(key) {
		return fiber.ErrNotFound
	}
	pic, public, err := p.store.PictureAccess(c.UserContext(), name)
	if err != nil {
		return err
	}
	if !public && !p.mayPreview(c, pic) {
		return fiber.ErrNotFound
	}
	r, info, err := p.files.Open(c.UserContext(), key)
	if errors.Is(err, media.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, media.TypeOf(key))
	if public {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
	c.Set(fiber.HeaderLastModified, info.ModTime.UTC().Format(http.TimeFormat))
	// Read within the request's deadline: a stream would be read after the
	// handler returns, when the context of a bucket's download is over.
	// The site's files are at most a few megabytes.
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, info.Size+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", key, err)
	}
	return c.Send(data)
}

// mayPreview says whether the viewer may see a picture no one else may yet.
func (p *pictures) mayPreview(c *fiber.Ctx, pic *models.Picture) bool {
	sess := currentSession(c)
	return sess != nil && (sess.UserID == pic.OwnerID || isAdmin(&sess.User))
}

// sweep removes the files of pictures that nothing uses any more, then
// their rows. It runs after every deletion that may orphan pictures, and at
// start-up for what an interrupted run left.
func (p *pictures) sweep(ctx context.Context) {
	if err := SweepPictures(ctx, p.store, p.files); err != nil {
		p.log.Warn("removing unused pictures", "err", err)
	}
}

// SweepPictures removes the files of orphaned pictures, then their rows.
func SweepPictures(ctx context.Context, store mediaStore, files media.Storage) error {
	ps, err := store.OrphanPictures(ctx)
	if err != nil || len(ps) == 0 {
		return err
	}
	var done []uint
	for _, pic := range ps {
		ok := true
		for _, key := range strings.Split(pic.Files, ",") {
			if err := files.Delete(ctx, key); err != nil {
				ok = false
			}
		}
		if ok {
			done = append(done, pic.ID)
		}
	}
	return store.ForgetPictures(ctx, done)
}
