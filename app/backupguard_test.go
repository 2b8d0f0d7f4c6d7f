package app

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// backup -force refuses every file the running site uses, however the path
// is spelled, and every path that is not a regular file; nothing changes.
func TestBackupForceRefusesTheSiteFiles(t *testing.T) {
	onPostgres(t, "backup writes a copy of the SQLite file")
	s := newSite(t, listening())
	db := filepath.Join(s.Data, "doleances.db")
	before, err := os.Stat(db)
	check(t, err)
	out := t.TempDir()
	symlink := filepath.Join(out, "link.db")
	check(t, os.Symlink(db, symlink))
	hard := filepath.Join(out, "hard.db")
	check(t, os.Link(db, hard))
	dirLink := filepath.Join(out, "datalink")
	check(t, os.Symlink(s.Data, dirLink))
	fifo := filepath.Join(out, "fifo")
	check(t, syscall.Mkfifo(fifo, 0o600))
	t.Chdir(s.Data)
	cases := []struct{ target, want string }{
		{db, "is the site's database"},
		{"doleances.db", "is the site's database"},
		{"./doleances.db", "is the site's database"},
		{"../" + filepath.Base(s.Data) + "/./doleances.db", "is the site's database"},
		{symlink, "is the site's database"},
		{hard, "is the site's database"},
		{filepath.Join(dirLink, "doleances.db"), "is the site's database"},
		{"doleances.db-wal", "write-ahead log"},
		{"doleances.db-shm", "shared-memory file"},
		{filepath.Join(dirLink, "doleances.db-journal"), "rollback journal"},
		{"doleances.db.lock", "lock file"},
		{".", "is a folder"},
		{s.Data, "is a folder"},
		{os.DevNull, "is a device"},
		{fifo, "is a pipe"},
	}
	for _, tc := range cases {
		got, err := runCLI("backup", "-force", "-data", s.Data, tc.target)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("backup -force %s: %v, want %q\n%s", tc.target, err, tc.want, got)
		}
	}
	after, err := os.Stat(db)
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("the live database was replaced (%v)", err)
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode()&os.ModeDevice == 0 {
		t.Errorf("%s is no longer a device", os.DevNull)
	}
	if _, err := os.Stat(filepath.Join(s.Data, "doleances.db-journal")); err == nil {
		t.Error("a refused backup wrote a rollback journal beside the database")
	}
	if st, err := os.Lstat(symlink); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the symbolic link was replaced")
	}
}

// restore reads a backup, never a file the site uses nor a special file.
func TestRestoreRefusesTheSiteFiles(t *testing.T) {
	data := t.TempDir()
	siteWithComments(t, data, 1).Close()
	db := filepath.Join(data, "doleances.db")
	check(t, os.WriteFile(db+".lock", nil, 0o600))
	hard := filepath.Join(t.TempDir(), "hard.db")
	check(t, os.Link(db, hard))
	fifo := filepath.Join(t.TempDir(), "fifo")
	check(t, syscall.Mkfifo(fifo, 0o600))
	for _, tc := range []struct{ file, want string }{
		{hard, "is the site's database"},
		{db + ".lock", "lock file"},
		{data, "is a folder"},
		{os.DevNull, "is a device"},
		{fifo, "is a pipe"},
	} {
		got, err := runCLI("restore", "-data", data, tc.file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("restore %s: %v, want %q\n%s", tc.file, err, tc.want, got)
		}
	}
	if aside, _ := filepath.Glob(filepath.Join(data, "*before-restore*")); len(aside) != 0 {
		t.Errorf("a refused restore moved the database: %v", aside)
	}
}
