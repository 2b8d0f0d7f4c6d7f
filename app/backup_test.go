package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"doleances/models"
)

// runCLI runs a subcommand in this process and returns its output and error.
func runCLI(args ...string) (string, error) {
	var out bytes.Buffer
	err := Run(context.Background(), append([]string{"doleances"}, args...), env(nil), &out)
	return out.String(), err
}

// siteWithComments writes a database in dir with n comments on one story
// and returns its store, still open: the caller closes it, or not, to leave
// what a crash leaves.
func siteWithComments(t *testing.T, dir string, n int) *models.Store {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(filepath.Join(dir, "doleances.db"), models.Options{})
	check(t, err)
	u := &models.User{Handle: "margot", Name: "Margot"}
	check(t, store.CreateUser(ctx, u))
	st, err := store.CreateStory(ctx, models.StoryInput{Title: "Une histoire", Body: "Texte.", AuthorID: u.ID, Status: models.StatusPublished})
	check(t, err)
	for i := 0; i < n; i++ {
		_, err := store.AddComment(ctx, models.CommentInput{StoryID: st.ID, UserID: &u.ID, AuthorName: u.Name,
			Body: fmt.Sprintf("Comment %d.", i), Status: models.CommentApproved})
		check(t, err)
	}
	return store
}

func TestBackupReplacesAFileOnlyWithForce(t *testing.T) {
	data := t.TempDir()
	siteWithComments(t, data, 3).Close()
	file := filepath.Join(t.TempDir(), "b.db")
	check(t, os.WriteFile(file, []byte("keep me"), 0o600))
	if out, err := runCLI("backup", "-data", data, file); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over a file: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(file); string(b) != "keep me" {
		t.Error("a refused backup changed the file")
	}
	if _, err := runCLI("backup", "-force=false", "-data", data, file); err == nil {
		t.Error("backup -force=false replaced a file")
	}
	out, err := runCLI("backup", "--force=true", "-data", data, file)
	if err != nil {
		t.Fatalf("backup -force: %v\n%s", err, out)
	}
	if sum, err := models.InspectDatabase(context.Background(), file); err != nil || sum.Comments != 3 {
		t.Errorf("the backup: %+v, %v", sum, err)
	}
	if !strings.Contains(out, "3 comments") {
		t.Errorf("backup said:\n%s", out)
	}
	if _, err := runCLI("backup", "-data", filepath.Join(data, "nothing-here"), filepath.Join(t.TempDir(), "c.db")); err == nil ||
		!strings.Contains(err.Error(), "no database") {
		t.Errorf("backup of a missing database: %v", err)
	}
	if _, err := runCLI("backup", "-data", data, filepath.Join(data, "no-folder", "c.db")); err == nil ||
		!strings.Contains(err.Error(), "no folder") {
		t.Errorf("backup into a missing folder: %v", err)
	}
	if _, err := runCLI("backup", "-data", data); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("backup without a file: %v", err)
	}
}

// A site that crashed left its database with a write-ahead log: restore
// keeps all of it aside, log included, and what it puts in place is the
// backup alone.
func TestRestoreKeepsACrashedDatabaseWhole(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	siteWithComments(t, src, 2).Close()
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := runCLI("backup", "-data", src, backup); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// What a crash leaves: the file and its log, copied while the store is open.
	live := t.TempDir()
	store := siteWithComments(t, live, 5)
	data := t.TempDir()
	for _, f := range []string{"doleances.db", "doleances.db-wal"} {
		b, err := os.ReadFile(filepath.Join(live, f))
		check(t, err)
		check(t, os.WriteFile(filepath.Join(data, f), b, 0o600))
	}
	store.Close()
	if st, err := os.Stat(filepath.Join(data, "doleances.db-wal")); err != nil || st.Size() == 0 {
		t.Fatalf("the crash copy has no log to recover (%v)", err)
	}
	out, err := runCLI("restore", "-data", data, backup)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if sum, err := models.InspectDatabase(ctx, filepath.Join(data, "doleances.db")); err != nil || sum.Comments != 2 {
		t.Errorf("the restored database: %+v, %v", sum, err)
	}
	for _, f := range []string{"doleances.db-wal", "doleances.db-shm"} {
		if _, err := os.Stat(filepath.Join(data, f)); err == nil {
			t.Errorf("%s is still beside the restored database", f)
		}
	}
	aside, _ := filepath.Glob(filepath.Join(data, "doleances.db.before-restore-*"))
	if len(aside) != 1 {
		t.Fatalf("kept aside: %v", aside)
	}
	kept, err := models.Open(aside[0], models.Options{})
	check(t, err)
	defer kept.Close()
	if rows, err := kept.Comments(ctx, 1); err != nil || len(rows) != 5 {
		t.Errorf("the database kept aside has %d comments (%v), want the crashed site's 5", len(rows), err)
	}
}

func TestRestoreRefusesADamagedBackup(t *testing.T) {
	src := t.TempDir()
	siteWithComments(t, src, 200).Close()
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := runCLI("backup", "-data", src, backup); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	b, err := os.ReadFile(backup)
	check(t, err)
	// Scribble over every page after the first, as a failing disk would.
	for i := 4096 + 100; i < len(b); i += 4096 {
		copy(b[i:], bytes.Repeat([]byte{0xA5}, 64))
	}
	check(t, os.WriteFile(backup, b, 0o600))
	data := t.TempDir()
	siteWithComments(t, data, 1).Close()
	out, err := runCLI("restore", "-data", data, backup)
	if err == nil || !strings.Contains(err.Error(), "is damaged, nothing was changed") {
		t.Errorf("restore of a damaged file: %v\n%s", err, out)
	}
	if sum, err := models.InspectDatabase(context.Background(), filepath.Join(data, "doleances.db")); err != nil || sum.Comments != 1 {
		t.Errorf("the site's database after a refused restore: %+v, %v", sum, err)
	}
}

// A second server on the same data folder refuses to start, naming the
// process that holds it, and so does a restore; a backup works.
func TestSecondServerOnTheSameDataRefuses(t *testing.T) {
	onPostgres(t, "the lock file beside the SQLite database (instances share a PostgreSQL one)")
	s := newSite(t, listening())
	cfg := Config{Addr: "127.0.0.1:0", BaseURL: s.URL, Data: s.Data}
	_, err := New(context.Background(), cfg, newLogger(&bytes.Buffer{}, "error"))
	if !errors.Is(err, errInUse) || !strings.Contains(err.Error(), fmt.Sprint(os.Getpid())) {
		t.Errorf("second server: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if out, err := runCLI("backup", "-data", s.Data, backup); err != nil {
		t.Fatalf("backup of a running site: %v\n%s", err, out)
	}
	if out, err := runCLI("restore", "-data", s.Data, backup); !errors.Is(err, errInUse) || !strings.Contains(err.Error(), "stop the site") {
		t.Errorf("restore under a running site: %v\n%s", err, out)
	}
}

// A backup restores onto a new machine: a data folder that does not exist yet.
func TestRestoreIntoANewFolder(t *testing.T) {
	src := t.TempDir()
	siteWithComments(t, src, 4).Close()
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := runCLI("backup", "-data", src, backup); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	data := filepath.Join(t.TempDir(), "new", "data")
	out, err := runCLI("restore", backup, "-data", data)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if strings.Contains(out, "kept as") {
		t.Errorf("restore into a new folder kept something aside:\n%s", out)
	}
	if sum, err := models.InspectDatabase(context.Background(), filepath.Join(data, "doleances.db")); err != nil || sum.Comments != 4 {
		t.Errorf("the restored database: %+v, %v", sum, err)
	}
}
