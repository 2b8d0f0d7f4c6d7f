package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"doleances/models/wxr"
)

// importCmd is the import subcommand: a WordPress export into the site.
//
//	doleances import wordpress FILE.xml [-uploads DIR] [-dry-run] [flags]
func importCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	usage := "usage: " + name + " import wordpress FILE.xml [-uploads DIR] [-dry-run] [-data DIR]"
	if len(args) == 0 || args[0] != "wordpress" {
		return errors.New(usage + " (WordPress is the one format imported)")
	}
	file, rest := splitFileArg(args[1:])
	var opt wxr.Options
	cfg, err := parseConfig(name+" import wordpress", rest, getenv, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&opt.Uploads, "uploads", "", "a copy of the blog's wp-content/uploads folder, to bring its pictures")
		fs.BoolVar(&opt.DryRun, "dry-run", false, "read and check the file, say what would be imported, write nothing")
	})
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New(usage)
	}
	info, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("the export %s cannot be read: %w", file, err)
	}
	if opt.Uploads != "" {
		if st, err := os.Stat(opt.Uploads); err != nil || !st.IsDir() {
			return fmt.Errorf("-uploads %s: no such folder (give a copy of wp-content/uploads)", opt.Uploads)
		}
	}
	store, err := cfg.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	if opt.Uploads != "" {
		files, err := cfg.openMedia(ctx)
		if err != nil {
			return err
		}
		opt.Pictures = importPictures{store: store, files: files}
	}
	bars := &passBars{out: stdout, size: info.Size()}
	opt.Progress = bars.progress
	start := time.Now()
	sum, err := wxr.Import(ctx, store, wxr.OpenFile(file), opt)
	bars.done()
	if sum != nil && (err == nil || opt.DryRun) {
		sum.Write(stdout)
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", file, err)
	}
	fmt.Fprintf(stdout, "Done in %v.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// splitFileArg takes the first argument that is neither a flag nor a
// flag's value as the file; the rest are flags.
func splitFileArg(args []string) (string, []string) {
	bools := map[string]bool{"dry-run": true, "demo": true, "h": true, "help": true}
	var file string
	var rest []string
	takesValue := false
	for _, a := range args {
		switch {
		case takesValue:
			rest, takesValue = append(rest, a), false
		case strings.HasPrefix(a, "-"):
			rest = append(rest, a)
			takesValue = !strings.Contains(a, "=") && !bools[strings.TrimLeft(a, "-")]
		case file == "":
			file = a
		default:
			rest = append(rest, a)
		}
	}
	return file, rest
}

// passBars shows one progress bar per pass over the file.
type passBars struct {
	out  io.Writer
	size int64
	pass int
	bar  *progressbar.ProgressBar
}

func (b *passBars) progress(pass int, read int64) {
	if pass != b.pass {
		b.done()
		b.pass = pass
		what := "checking"
		if pass == 2 {
			what = "importing"
		}
		b.bar = progressbar.NewOptions64(b.size, progressbar.OptionSetWriter(b.out), progressbar.OptionSetDescription(what),
			progressbar.OptionShowBytes(true), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(b.out) }))
	}
	_ = b.bar.Set64(read)
}

func (b *passBars) done() {
	if b.bar != nil {
		_ = b.bar.Finish()
		b.bar = nil
	}
}

// exportCmd is the export subcommand: the site as a WordPress export.
//
//	doleances export wordpress FILE.xml [-force] [flags]
func exportCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	usage := "usage: " + name + " export wordpress FILE.xml [-force] [-data DIR]"
	if len(args) == 0 || args[0] != "wordpress" {
		return errors.New(usage + " (WordPress is the one format exported)")
	}
	file, force, cfg, err := fileCommand(name+" export wordpress", args[1:], getenv, stdout)
	if err != nil || file == "" {
		return err
	}
	if _, err := os.Stat(file); err == nil && !force {
		return fmt.Errorf("%s already exists: choose another name, or add -force to replace it", file)
	}
	if _, err := os.Stat(cfg.databasePath()); err != nil && !cfg.onPostgres() {
		return fmt.Errorf("no database at %s: give the site's -data (or DOLEANCES_DATA)", cfg.databasePath())
	}
	store, err := cfg.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	tmp, err := freeName(file + ".partial")
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	n, err := wxr.Export(ctx, store, f, wxr.ExportOptions{BaseURL: cfg.BaseURL, Title: siteName})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		return fmt.Errorf("export to %s: %w", file, err)
	}
	fmt.Fprintf(stdout, "Exported to %s: %d authors, %d categories, %d tags, %d stories, %d comments.\n"+
		"In WordPress: Tools → Import → WordPress, then upload this file.\n", file, n.Authors, n.Categories, n.Tags, n.Stories, n.Comments)
	return nil
}
