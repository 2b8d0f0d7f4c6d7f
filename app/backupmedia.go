package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"doleances/models/media"
)

// picturesBeside is the folder of a backup's pictures: FILE.media, beside FILE.
func picturesBeside(file string) string { return file + ".media" }

// backupPictures copies every picture file of the site's storage (the
// media folder, or the bucket of -media-url) into the folder beside the
// database's copy. Names never change once written, so a file is either
// whole in the copy or missing from it, never stale.
func backupPictures(ctx context.Context, cfg Config, file string, stdout io.Writer) error {
	src, err := cfg.openMedia(ctx)
	if err != nil {
		return err
	}
	dst, err := media.NewDir(picturesBeside(file))
	if err != nil {
		return err
	}
	n, err := src.Copy(ctx, dst)
	if err != nil {
		return fmt.Errorf("copy the pictures to %s: %w", dst.Root(), err)
	}
	fmt.Fprintf(stdout, "%d picture files copied to %s\n", n, dst.Root())
	return nil
}

// restorePictures puts the pictures of a backup back into the site's
// storage. A backup without pictures (made before they existed) restores
// the database alone.
func restorePictures(ctx context.Context, cfg Config, file string, stdout io.Writer) error {
	dir := picturesBeside(file)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "no folder %s: no pictures to restore\n", dir)
		return nil
	}
	src, err := media.NewDir(dir)
	if err != nil {
		return err
	}
	dst, err := cfg.openMedia(ctx)
	if err != nil {
		return err
	}
	n, err := src.Copy(ctx, dst)
	if err != nil {
		return fmt.Errorf("restore the pictures from %s: %w", dir, err)
	}
	fmt.Fprintf(stdout, "%d picture files restored from %s\n", n, dir)
	return nil
}
