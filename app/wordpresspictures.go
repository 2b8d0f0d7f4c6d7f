package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"doleances/handlers"
	"doleances/models/media"
	"doleances/models/wxr"
)

// importPictures brings a WordPress import's pictures into the site as
// POST /media brings an upload: same checks, processing (orientation,
// metadata stripped, widths), storage and picture rows.
type importPictures struct {
	store handlers.PictureAdder
	files media.Storage
}

// SavePicture stores one picture of the uploads folder for its owner; a
// file the site does not take is refused with the reason, and the import
// goes on without it.
func (p importPictures) SavePicture(ctx context.Context, owner uint, name string, r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(media.DefaultLimits.MaxBytes)+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	url, err := handlers.StoryPicture(ctx, p.store, p.files, data, owner)
	switch {
	case errors.Is(err, media.ErrUnsupported):
		return "", fmt.Errorf("%w: not a JPEG, PNG, WebP or GIF picture", wxr.ErrPictureRefused)
	case errors.Is(err, media.ErrTooLarge):
		return "", fmt.Errorf("%w: over the limits of %d MB and %d megapixels", wxr.ErrPictureRefused,
			media.DefaultLimits.MaxBytes>>20, media.DefaultLimits.MaxPixels/1_000_000)
	case errors.Is(err, media.ErrCorrupt):
		return "", fmt.Errorf("%w: damaged or incomplete", wxr.ErrPictureRefused)
	case err != nil:
		return "", fmt.Errorf("store picture %s: %w", name, err)
	}
	return url, nil
}
