package wxr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	// Europe/Paris must load on a machine without a zoneinfo database
	// (a container from scratch): the dates of drafts depend on it.
	_ "time/tzdata"

	"doleances/models"
)

// Store is what an import needs of the site's store.
type Store interface {
	ImportedKeys(ctx context.Context, source, kind string) (map[string]uint, error)
	ImportUser(ctx context.Context, source, key string, u *models.User) (uint, bool, error)
	ImportCategory(ctx context.Context, source, key string, c *models.Category) (uint, bool, error)
	ImportTag(ctx context.Context, source, key, name string) (uint, bool, error)
	AddLegacyPaths(ctx context.Context, paths []models.LegacyPath) (int, error)
	Import(ctx context.Context, b *models.ImportBatch) error
}

// Pictures stores the pictures an import brings (see Options.Uploads).
type Pictures interface {
	// SavePicture stores the picture read from r, whose file name was name,
	// as owned by user owner (the post's author, so that it is theirs as an
	// upload would be), and returns its address on this site. An error
	// wrapping ErrPictureRefused skips that one picture, its text saying
	// why; any other error stops the import.
	SavePicture(ctx context.Context, owner uint, name string, r io.Reader) (string, error)
}

// ErrPictureRefused is a picture the site does not take (not a picture,
// too large, damaged): its link stays on the old site.
var ErrPictureRefused = errors.New("picture refused")

// Options tune an import.
type Options struct {
	// Uploads is a copy of the blog's wp-content/uploads folder; empty: the
	// pictures stay on the old site.
	Uploads string
	// Pictures is the site's picture storage; nil: links stay on the old site.
	Pictures Pictures
	// DryRun reads and checks everything and writes nothing.
	DryRun bool
	// Location is the blog's time zone, for the dates a file gives only in
	// local time (drafts); nil means Europe/Paris.
	Location *time.Location
	// Progress, when set, is told how many bytes of the file have been read,
	// and which pass it is (1: checking, 2: importing).
	Progress func(pass int, read int64)
	// BatchSize is how many stories each transaction saves; 0 means 200.
	BatchSize int
}

// Open opens the export for one pass over it.
type Open func() (io.ReadCloser, error)

// Import reads a WordPress export into the site in two passes: the first
// reads the whole file without writing (a dry run also converts and checks
// every post, and stops there), so
// that a truncated, hostile or foreign file imports nothing; the second
// writes, in transactions of BatchSize stories with their comments. Each
// thing is recorded by its WordPress id with what it became, so running the
// same import again adds nothing, and an import that stopped half-way (the
// process killed) goes on where it stopped when run again.
func Import(ctx context.Context, st Store, open Open, opt Options) (*Summary, error) {
	if opt.Location == nil {
		loc, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			return nil, fmt.Errorf("time zone: %w", err)
		}
		opt.Location = loc
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 200
	}
	sum, err := pass(ctx, st, open, opt, 1)
	if err != nil || opt.DryRun {
		return sum, err
	}
	return pass(ctx, st, open, opt, 2)
}

// pass reads the file once; pass 2 writes.
func pass(ctx context.Context, st Store, open Open, opt Options, n int) (*Summary, error) {
	f, err := open()
	if err != nil {
		return nil, fmt.Errorf("open the export: %w", err)
	}
	defer f.Close()
	im := newImporter(ctx, st, opt, n == 2)
	var r io.Reader = f
	if opt.Progress != nil {
		report := func(read int64) { opt.Progress(n, read) }
		if c, ok := f.(interface{ Consumed() int64 }); ok {
			report = func(int64) { opt.Progress(n, c.Consumed()) }
		}
		r = &countingReader{r: f, report: report}
	}
	v := Visitor{Site: im.site, Author: im.author, Term: im.term, Item: im.item}
	if n == 1 && !opt.DryRun {
		// Before an import, the first pass only reads the file through: the
		// second converts everything anyway, and conversion cannot fail.
		v = Visitor{Site: func(Site) error { return nil }, Author: func(Author) error { return nil },
			Term: func(Term) error { return nil }, Item: func(*Item) error { return ctx.Err() }}
	}
	err = Scan(r, v)
	if err == nil {
		err = im.finish()
	}
	if err != nil {
		return im.sum, err
	}
	return im.sum, ctx.Err()
}

// countingReader reports how much has been read.
type countingReader struct {
	r      io.Reader
	n      int64
	report func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.report(c.n)
	return n, err
}

// errStop ends a scan when the context is cancelled.
var errStop = errors.New("import stopped")
