package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// siteFiles names the files a site whose database is dbPath uses, each with
// what it is: a backup written over one of them, or a restore read from one,
// would lose or mix up the site's data.
func siteFiles(dbPath string) [][2]string {
	return [][2]string{
		{dbPath, "the site's database"},
		{dbPath + "-wal", "the database's write-ahead log"},
		{dbPath + "-shm", "the database's shared-memory file"},
		{dbPath + "-journal", "the database's rollback journal"},
		{dbPath + ".lock", "the site's lock file"},
	}
}

// checkNotSiteFile refuses a path that is, or would become, a file the site
// with database dbPath uses, however it is spelled (relative, with "..",
// through a symbolic or a hard link), and an existing path that is not a
// regular file (a folder, a device such as /dev/null, a pipe). role says
// what the path is for in the message ("the backup", "the backup to restore").
func checkNotSiteFile(path, dbPath, role string) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s is %s, not a regular file: give a file name for %s; nothing was changed", path, kindOf(st.Mode()), role)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, f := range siteFiles(dbPath) {
		if same(path, f[0]) || sameName(path, f[0]) {
			return fmt.Errorf("%s is %s: %s must be another file; nothing was changed", path, f[1], role)
		}
	}
	return nil
}

// kindOf names a file mode that is not a regular file's.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// sameName says whether a and b name the same place once the folders they
// are in are resolved, even when neither exists yet (a -wal that SQLite has
// not created yet would still be read as the log once written).
func sameName(a, b string) bool {
	ra, errA := resolvedName(a)
	rb, errB := resolvedName(b)
	return errA == nil && errB == nil && ra == rb
}

// resolvedName is path made absolute with its folder's symbolic links resolved.
func resolvedName(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}
