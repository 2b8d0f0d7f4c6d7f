package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// FileSummary says what a database file holds.
type FileSummary struct {
	Users, Stories, Comments int64
}

// coreTables are the tables every Doléances database has.
var coreTables = []string{"users", "stories", "comments", "categories", "site_state"}

// BackupDatabase writes a consistent copy of the live database at src into
// dst, a file that must not exist, with VACUUM INTO on a connection of its
// own: it reads one snapshot, so writers carry on and the copy holds exactly
// what was committed when it started.
func BackupDatabase(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("database %s: %w", src, err)
	}
	db, err := openRaw(src, "_busy_timeout=10000&mode=ro")
	if err != nil {
		return err
	}
	defer closeRaw(db)
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", dst).Error; err != nil {
		return fmt.Errorf("copy %s into %s: %w", src, dst, err)
	}
	// VACUUM INTO does not sync the file it writes.
	f, err := os.OpenFile(dst, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// InspectDatabase opens the file at path read-only, checks that it is a
// Doléances database that passes PRAGMA integrity_check, and counts what it
// holds. It writes nothing beside the file.
func InspectDatabase(ctx context.Context, path string) (FileSummary, error) {
	var sum FileSummary
	if _, err := os.Stat(path); err != nil {
		return sum, err
	}
	// immutable: no lock, no -shm or -wal created beside a backup.
	db, err := openRaw(path, "mode=ro&immutable=1")
	if err != nil {
		return sum, classify(err)
	}
	defer closeRaw(db)
	var names []string
	if err := db.WithContext(ctx).Raw("SELECT name FROM sqlite_master WHERE type = 'table'").Scan(&names).Error; err != nil {
		return sum, classify(err)
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, n := range coreTables {
		if !have[n] {
			return sum, fmt.Errorf("%w (no %s table)", ErrNotADatabase, n)
		}
	}
	var problems []string
	if err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&problems).Error; err != nil {
		return sum, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return sum, fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	for table, n := range map[string]*int64{"users": &sum.Users, "stories": &sum.Stories, "comments": &sum.Comments} {
		if err := db.WithContext(ctx).Table(table).Count(n).Error; err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// classify names SQLite's errors on opening a file that is not a sound database.
func classify(err error) error {
	switch msg := err.Error(); {
	case strings.Contains(msg, "not a database"):
		return ErrNotADatabase
	case strings.Contains(msg, "malformed"):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}

// CheckpointDatabase folds the write-ahead log of the database at path into
// the file and empties it, when nothing else is writing. A database that
// cannot be opened is left as it is and reported.
func CheckpointDatabase(ctx context.Context, path string) error {
	db, err := openRaw(path, "_busy_timeout=5000")
	if err != nil {
		return err
	}
	defer closeRaw(db)
	return checkpoint(ctx, db)
}

// checkpoint runs a truncating checkpoint, refusing one another connection blocked.
func checkpoint(ctx context.Context, db *gorm.DB) error {
	var busy, logged, moved int
	row := db.WithContext(ctx).Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row()
	if err := row.Scan(&busy, &logged, &moved); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("checkpoint: the database is busy")
	}
	return nil
}

// openRaw opens path with SQLite URI parameters and nothing else: no
// migration, no foreign-key or journal settings.
func openRaw(path, params string) (*gorm.DB, error) {
	db, err := gorm.Open(sqlite.Open("file:"+path+"?"+params), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

func closeRaw(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
