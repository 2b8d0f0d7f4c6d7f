package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"doleances/models"
)

// copyToCmd is the copy-to subcommand: the site (given by -data or
// -database-url) copied into an empty database, of either kind.
//
//	doleances copy-to [flags] DATABASE_URL
func copyToCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	target, rest := splitFileArg(args)
	cfg, err := parseConfig(name+" copy-to", rest, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "usage: %s copy-to [flags] DATABASE_URL (postgres://..., sqlite:PATH, file:PATH)\n", name)
		return nil
	}
	if err != nil {
		return err
	}
	if target == "" {
		return fmt.Errorf("usage: %s copy-to [flags] DATABASE_URL: the database to copy the site into, e.g. sqlite:/srv/new/doleances.db", name)
	}
	src, dst, err := openCopyEnds(cfg, target)
	if err != nil {
		return err
	}
	defer src.Close()
	defer dst.Close()
	bar := progressbar.NewOptions64(-1, progressbar.OptionSetWriter(stdout), progressbar.OptionSetDescription("copying"),
		progressbar.OptionShowCount(), progressbar.OptionSetItsString("rows"), progressbar.OptionShowIts(),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(stdout) }))
	start := time.Now()
	counts, err := src.CopyTo(ctx, dst, func(table string, done, total int64) {
		bar.ChangeMax64(total)
		bar.Describe(table)
		_ = bar.Set64(done)
	})
	_ = bar.Finish()
	if errors.Is(err, models.ErrTargetNotEmpty) {
		return fmt.Errorf("%s: %w; copy-to fills only an empty database: give a new file, or a database just made with CREATE DATABASE", target, err)
	}
	if err != nil {
		return fmt.Errorf("copy to %s (nothing was kept: run it again): %w", target, err)
	}
	return reportCopy(stdout, cfg, counts, time.Since(start))
}

// openCopyEnds opens the site's database and the target; the target must
// not be the same database.
func openCopyEnds(cfg Config, target string) (*models.Store, *models.Store, error) {
	to := Config{DatabaseURL: target}
	path := target
	if !to.onPostgres() {
		p, err := sqliteFile(target)
		if err != nil {
			return nil, nil, err
		}
		path = p
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, nil, fmt.Errorf("folder of %s: %w", target, err)
		}
	}
	if err := sameDatabase(cfg, to, path); err != nil {
		return nil, nil, err
	}
	src, err := cfg.openStore()
	if err != nil {
		return nil, nil, err
	}
	dst, err := models.Open(path, models.Options{Now: cfg.now})
	if err != nil {
		src.Close()
		return nil, nil, fmt.Errorf("open %s: %w", to.databaseShown(), err)
	}
	return src, dst, nil
}

// sameDatabase refuses a target that is the site's own database (the same
// SQLite file, or the same PostgreSQL address), and a SQLite site whose
// file is missing.
func sameDatabase(cfg, to Config, path string) error {
	from := cfg.databasePath()
	if cfg.onPostgres() || to.onPostgres() {
		if from == path {
			return fmt.Errorf("%s is the site's own database: give a new one", to.databaseShown())
		}
		return nil
	}
	fi, err := os.Stat(from)
	if err != nil {
		return fmt.Errorf("no database at %s: give the site's -data or -database-url", from)
	}
	if ti, err := os.Stat(path); err == nil && os.SameFile(fi, ti) {
		return fmt.Errorf("%s is the site's own database: give a new one", path)
	}
	return nil
}

// reportCopy prints each table's rows in both databases and where the
// pictures are, which the database does not hold.
func reportCopy(out io.Writer, cfg Config, counts []models.TableCount, took time.Duration) error {
	var rows int64
	for _, c := range counts {
		if c.Source > 0 {
			fmt.Fprintf(out, "  %-24s %8d rows, %8d in the copy\n", c.Table, c.Source, c.Target)
		}
		rows += c.Target
	}
	fmt.Fprintf(out, "Copied %d rows in %v; the counts of all %d tables match.\n", rows, took.Round(time.Millisecond), len(counts))
	where := "the folder " + filepath.Join(cfg.Data, "media")
	if cfg.MediaURL != "" {
		where = cfg.MediaURL
	}
	fmt.Fprintf(out, "Pictures are not in the database: they stay in %s. Start the new site with the same -media-url (or copy that folder into the new site's -data).\n", where)
	return nil
}
