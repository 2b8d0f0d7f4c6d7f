package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"doleances/models"
)

// backupCmd is the backup subcommand: a consistent copy of the database,
// taken while the site runs, checked before it is called done.
//
//	doleances backup [-force] [flags] FILE
func backupCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	file, force, cfg, err := fileCommand(name+" backup", args, getenv, stdout)
	if err != nil || file == "" {
		return err
	}
	if cfg.onPostgres() {
		return errNotSQLiteFile
	}
	src := cfg.databasePath()
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("no database at %s: give the site's -data (or DOLEANCES_DATA)", src)
	}
	if st, err := os.Stat(filepath.Dir(file)); err != nil || !st.IsDir() {
		return fmt.Errorf("no folder %s to write the backup in", filepath.Dir(file))
	}
	if err := checkNotSiteFile(file, src, "the backup"); err != nil {
		return err
	}
	if _, err := os.Stat(file); err == nil && !force {
		return fmt.Errorf("%s already exists: choose another name, or add -force to replace it", file)
	}
	tmp, err := freeName(file + ".partial")
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	fmt.Fprintf(stdout, "copying %s (%s)...\n", src, fileSize(src))
	if err := models.BackupDatabase(ctx, src, tmp); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checking the copy (%s)...\n", fileSize(tmp))
	sum, err := models.InspectDatabase(ctx, tmp)
	if err != nil {
		return fmt.Errorf("the copy failed its check, nothing was written to %s: %w", file, err)
	}
	if force {
		err = os.Rename(tmp, file)
	} else if err = os.Link(tmp, file); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s appeared while the backup ran: choose another name, or add -force to replace it", file)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	fmt.Fprintf(stdout, "backup written to %s: %d users, %d stories, %d comments\n", file, sum.Users, sum.Stories, sum.Comments)
	return backupPictures(ctx, cfg, file, stdout)
}

// restoreCmd is the restore subcommand: it puts a backup in place of the
// database of a stopped site, keeping the database it replaces beside it.
//
//	doleances restore [flags] FILE
func restoreCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	file, force, cfg, err := fileCommand(name+" restore", args, getenv, stdout)
	if err != nil || file == "" {
		return err
	}
	if force {
		return errors.New("restore has no -force: it always keeps the database it replaces")
	}
	if cfg.onPostgres() {
		return errNotSQLiteFile
	}
	dst := cfg.databasePath()
	if err := checkNotSiteFile(file, dst, "the backup to restore"); err != nil {
		return err
	}
	if err := checkBackup(ctx, file, stdout); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	lock, err := lockDatabase(dst)
	if errors.Is(err, errInUse) {
		return fmt.Errorf("%w: stop the site before restoring", err)
	}
	if err != nil {
		return err
	}
	defer lock.release()
	tmp, err := freeName(dst + ".restoring")
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := copyFile(file, tmp); err != nil {
		return err
	}
	if _, err := models.InspectDatabase(ctx, tmp); err != nil {
		return fmt.Errorf("the copy of %s in %s failed its check, nothing was changed: %w", file, tmp, err)
	}
	aside, err := setAside(ctx, dst)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("put the backup in place: %w", err)
	}
	syncDir(filepath.Dir(dst))
	fmt.Fprintf(stdout, "restored %s into %s\n", file, dst)
	if aside != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", aside)
	}
	return restorePictures(ctx, cfg, file, stdout)
}

// checkBackup refuses a file that is not a sound Doléances database, or
// that is a live database with a write-ahead log beside it.
func checkBackup(ctx context.Context, file string, stdout io.Writer) error {
	fmt.Fprintf(stdout, "checking %s (%s)...\n", file, fileSize(file))
	sum, err := models.InspectDatabase(ctx, file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no file %s", file)
	case errors.Is(err, models.ErrNotADatabase):
		return fmt.Errorf("%s: %w; nothing was changed", file, err)
	case errors.Is(err, models.ErrCorrupt):
		return fmt.Errorf("%s is damaged, nothing was changed: %w", file, err)
	case err != nil:
		return fmt.Errorf("%s cannot be read as a database, nothing was changed: %w", file, err)
	}
	if st, err := os.Stat(file + "-wal"); err == nil && st.Size() > 0 {
		return fmt.Errorf("%s has a write-ahead log beside it: it is a live database, not a backup (make one with %q)", file, "doleances backup")
	}
	fmt.Fprintf(stdout, "%s is sound: %d users, %d stories, %d comments\n", file, sum.Users, sum.Stories, sum.Comments)
	return nil
}

// setAside keeps the database at dst (if any) as dst.before-restore-TIME,
// its write-ahead log folded in or moved with it, and removes dst's -wal and
// -shm so that they cannot be applied to the restored file.
func setAside(ctx context.Context, dst string) (string, error) {
	if _, err := os.Stat(dst); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	// A database that will not open (damaged) keeps its log, moved with it.
	_ = models.CheckpointDatabase(ctx, dst)
	aside, err := freeName(dst + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z"))
	if err != nil {
		return "", err
	}
	if err := os.Link(dst, aside); err != nil {
		if err := copyFile(dst, aside); err != nil {
			return "", fmt.Errorf("keep the current database aside: %w", err)
		}
	}
	if st, err := os.Stat(dst + "-wal"); err == nil && st.Size() > 0 {
		if err := os.Rename(dst+"-wal", aside+"-wal"); err != nil {
			return "", fmt.Errorf("keep the current write-ahead log aside: %w", err)
		}
	}
	for _, f := range []string{dst + "-wal", dst + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("remove %s: %w", f, err)
		}
	}
	return aside, nil
}

// fileCommand parses the arguments of a subcommand taking one FILE, the
// usual flags and -force; it returns an empty file (and no error) after -h.
func fileCommand(name string, args []string, getenv func(string) string, stdout io.Writer) (string, bool, Config, error) {
	var file string
	force := false
	var rest []string
	for _, a := range args {
		flagName, value, hasValue := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		switch {
		case strings.HasPrefix(a, "-") && (flagName == "-force" || flagName == "force"):
			force = true
			if hasValue {
				b, err := strconv.ParseBool(value)
				if err != nil {
					return "", false, Config{}, fmt.Errorf("-force=%q: want true or false", value)
				}
				force = b
			}
		case file == "" && !strings.HasPrefix(a, "-") && (len(rest) == 0 || !needsValue(rest[len(rest)-1])):
			file = a
		default:
			rest = append(rest, a)
		}
	}
	cfg, err := parseConfig(name, rest, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "usage: %s [-force] [flags] FILE\n  -force\n    \treplace FILE if it exists (backup)\n", name)
		return "", false, cfg, nil
	}
	if err != nil {
		return "", false, cfg, err
	}
	if file == "" {
		return "", false, cfg, fmt.Errorf("usage: %s [flags] FILE", name)
	}
	return file, force, cfg, nil
}

// needsValue says whether a flag given as "-name" (without "=") takes the next argument.
func needsValue(arg string) bool {
	return strings.HasPrefix(arg, "-") && !strings.Contains(arg, "=") && strings.TrimLeft(arg, "-") != "demo" &&
		arg != "-h" && arg != "-help" && arg != "--help"
}

// freeName returns name, or name with a number added, that does not exist yet.
func freeName(name string) (string, error) {
	for i := 0; i < 100; i++ {
		n := name
		if i > 0 {
			n = fmt.Sprintf("%s-%d", name, i)
		}
		if _, err := os.Lstat(n); errors.Is(err, fs.ErrNotExist) {
			return n, nil
		}
	}
	return "", fmt.Errorf("%s: too many files with this name already", name)
}

// copyFile copies src to dst (which it creates) and syncs it to disk.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// same says whether two paths name the same file.
func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

func fileSize(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MB", float64(st.Size())/1e6)
}
