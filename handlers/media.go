package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
	"doleances/models/media"
)

// Upload limits. A picture file may have MaxPictureBytes; a request to POST
// /media a little more for the form around it. The editor's form, sent
// without JavaScript, may carry a story and two pictures, and may be far
// larger than allowed: its body is read all the same (file parts past 16 MB
// go to a temporary file, not to memory) so that the text typed comes back
// with a message.
const (
	MaxPictureBytes   = 10 << 20
	MediaBodyLimit    = MaxPictureBytes + 64<<10
	EditorUploadLimit = 64 << 20
	// UploadsPerMinute is how many pictures one person may send a minute:
	// each costs a decoding of up to 40 megapixels.
	UploadsPerMinute = 20
)

type mediaStore interface {
	hitCounter
	AddPicture(ctx context.Context, p *models.Picture) error
	PictureAccess(ctx context.Context, name string) (*models.Picture, bool, error)
	OrphanPictures(ctx context.Context) ([]models.Picture, error)
	ForgetPictures(ctx context.Context, ids []uint) error
}

// pictures processes uploads and serves the files.
type pictures struct {
	store   mediaStore
	files   media.Storage
	log     *slog.Logger
	limit   *ipLimiter
	working chan struct{} // one decoding at a time: bounds the memory of the process
}

func newPictures(store mediaStore, files media.Storage, log *slog.Logger, now func() time.Time) *pictures {
	return &pictures{store: store, files: files, log: log, limit: newIPLimiter("pictures", UploadsPerMinute, store, now), working: make(chan struct{}, 1)}
}

// uploadError is a refused upload: a status and what to tell the person.
type uploadError struct {
	status int
	msg    string
}

func (e *uploadError) Error() string { return e.msg }

// refusal turns an error of media.Process into what the person reads.
func refusal(err error) error {
	switch {
	case errors.Is(err, media.ErrUnsupported):
		return &uploadError{fiber.StatusUnsupportedMediaType, "This file is not a picture the site takes: send a JPEG, PNG, WebP or GIF (SVG is not accepted)."}
	case errors.Is(err, media.ErrTooLarge):
		return &uploadError{fiber.StatusUnprocessableEntity, fmt.Sprintf("This picture is too large: the limits are %d MB and %d megapixels. Please send a smaller one.",
			media.DefaultLimits.MaxBytes>>20, media.DefaultLimits.MaxPixels/1_000_000)}
	case errors.Is(err, media.ErrCorrupt):
		return &uploadError{fiber.StatusUnprocessableEntity, "This picture is damaged or incomplete and could not be read. Please send it again."}
	}
	return err
}

// readUpload reads an uploaded file, refusing one over the size limit
// before reading it.
func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	if fh.Size > int64(media.DefaultLimits.MaxBytes) {
		return nil, refusal(fmt.Errorf("%w: %d bytes", media.ErrTooLarge, fh.Size))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(media.DefaultLimits.MaxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return data, nil
}

// save processes an uploaded file of a kind for user owner and stores its
// files and its row. It returns the picture's URL, at its largest size.
func (p *pictures) save(c *fiber.Ctx, fh *multipart.FileHeader, owner uint, kind, alt string) (string, error) {
	if wait, err := p.limit.allow(c.UserContext(), "user:"+strconv.FormatUint(uint64(owner), 10)); err != nil {
		return "", err
	} else if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		return "", &uploadError{fiber.StatusTooManyRequests, fmt.Sprintf(tr(c, "You sent %d pictures in the last minute, the most the site takes. Please wait %d seconds."), UploadsPerMinute, wait)}
	}
	data, err := readUpload(fh)
	if err != nil {
		return "", err
	}
	ctx := c.UserContext()
	pic, err := p.process(ctx, data, kind)
	if err != nil {
		return "", refusal(err)
	}
	// The picture is made: storing it gets a time of its own, however
	// long the decoding took on a busy machine (it does not look at the
	// context), rather than throwing the work and the upload away at the
	// last step. Under -race on a loaded machine that took over 10 s. A
	// site that gives its requests more (or less) time gives storing the
	// same.
	ctx, cancel := detached(ctx)
	defer cancel()
	return storePicture(ctx, p.store, p.files, pic, owner, kind, alt)
}

// PictureAdder records a picture's row.
type PictureAdder interface {
	AddPicture(ctx context.Context, p *models.Picture) error
}

// StoryPicture takes a story picture that comes from elsewhere than an
// upload (a WordPress import) through what POST /media does: the same
// checks, processing and storage, owned by user owner. Its errors wrap
// media.ErrUnsupported, ErrTooLarge or ErrCorrupt when the file is refused.
func StoryPicture(ctx context.Context, store PictureAdder, files media.Storage, data []byte, owner uint) (string, error) {
	if len(data) > media.DefaultLimits.MaxBytes {
		return "", fmt.Errorf("%w: %d bytes", media.ErrTooLarge, len(data))
	}
	pic, err := processPicture(data, models.PictureStory)
	if err != nil {
		return "", err
	}
	return storePicture(ctx, store, files, pic, owner, models.PictureStory, "")
}

// storePicture stores a processed picture's files and row and returns its
// URL, at its largest size.
func storePicture(ctx context.Context, store PictureAdder, files media.Storage, pic *media.Picture, owner uint, kind, alt string) (string, error) {
	row := &models.Picture{Name: models.NewPictureName(), OwnerID: owner, Kind: kind, Ext: pic.Ext,
		Width: pic.Largest().W, Height: pic.Largest().H, Alt: alt}
	keys := make([]string, len(pic.Variants))
	for i, v := range pic.Variants {
		keys[i] = fmt.Sprintf("%s/%dx%d.%s", row.Name, v.W, v.H, pic.Ext)
		if err := files.Put(ctx, keys[i], pic.Type, v.Data); err != nil {
			return "", err
		}
		row.Bytes += len(v.Data)
	}
	row.Files = strings.Join(keys, ",")
	if err := store.AddPicture(ctx, row); err != nil {
		return "", err
	}
	return models.MediaURL(keys[len(keys)-1]), nil
}

// process decodes one picture at a time: a 40-megapixel picture takes
// 160 MB decoded, and two people sending one each should not double that.
func (p *pictures) process(ctx context.Context, data []byte, kind string) (*media.Picture, error) {
	if _, _, err := media.Check(data, media.DefaultLimits); err != nil {
		return nil, err // refused on its header alone, without waiting for a turn
	}
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	select {
	case p.working <- struct{}{}:
		defer func() { <-p.working }()
	case <-wait.Done():
		return nil, &uploadError{fiber.StatusServiceUnavailable, "Many pictures are being processed right now. Please send yours again in a minute."}
	}
	return processPicture(data, kind)
}

// processPicture checks and processes a picture of a kind at its sizes.
func processPicture(data []byte, kind string) (*media.Picture, error) {
	return media.Process(data, media.DefaultLimits, func(w, h int) []media.Size {
		var out []media.Size
		for _, s := range models.PictureSizesOf(kind, w, h) {
			out = append(out, media.Size{W: s.W, H: s.H})
		}
		return out
	})
}

// cleanAlt is a picture's description as typed, on one line, cut to its limit.
func cleanAlt(s string) string {
	s = strings.TrimSpace(cleanText(s, false))
	if utf8.RuneCountInString(s) > models.MaxAltLen {
		s = string([]rune(s)[:models.MaxAltLen])
	}
	return s
}

// markdownOf is the Markdown that shows a picture: ![alt](url), with the
// characters that would end the description escaped.
func markdownOf(url, alt string) string {
	esc := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(alt)
	return "![" + esc + "](" + url + ")"
}
