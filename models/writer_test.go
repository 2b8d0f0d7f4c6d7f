package models

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"
)

func TestPublishedStoryID(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st := w.story(t, "Le guichet", "Fermé.", "", "")
	if id, err := w.s.PublishedStoryID(ctx, st.Slug); err != nil || id != st.ID {
		t.Errorf("PublishedStoryID = %d, %v; want %d", id, err, st.ID)
	}
	must(t, w.s.UnpublishStory(ctx, st.ID, w.author.ID))
	for _, slug := range []string{st.Slug, "nowhere"} {
		if _, err := w.s.PublishedStoryID(ctx, slug); !errors.Is(err, ErrNotFound) {
			t.Errorf("PublishedStoryID(%q): %v, want ErrNotFound", slug, err)
		}
	}
}

// TestWriterStatements checks the writer's statement pool: a statement met
// first in a transaction is kept after its commit and reused by the next
// ones, a rolled back transaction leaves nothing, schema changes are not kept.
func TestWriterStatements(t *testing.T) {
	onPostgres(t, "the statements of SQLite's single writer connection")
	s, _ := newTestStore(t)
	pool, ok := s.w.ConnPool.(*stmtPool)
	if !ok {
		t.Fatalf("writer pool is %T", s.w.ConnPool)
	}
	must(t, s.w.Exec("CREATE TABLE t (n INTEGER)").Error)
	insert := func(tx *gorm.DB) error { return tx.Exec("INSERT INTO t (n) VALUES (?)", 1).Error }
	for range 3 {
		must(t, s.w.Transaction(insert))
	}
	if pool.cached("INSERT INTO t (n) VALUES (?)") == nil || pool.cached("CREATE TABLE t (n INTEGER)") != nil {
		t.Error("the insert is not kept, or the schema change is")
	}
	n := len(pool.stmts)
	_ = s.w.Transaction(func(tx *gorm.DB) error {
		must(t, insert(tx))
		return errors.New("roll back")
	})
	var count int64
	must(t, s.w.Raw("SELECT count(*) FROM t").Scan(&count).Error)
	if count != 3 || len(pool.stmts) != n+1 { // + the count
		t.Errorf("%d rows (want 3), %d statements (want %d)", count, len(pool.stmts), n+1)
	}
}

// TestWriterLeavesCheckpointsToTheBackground: the writer checkpoints only
// past walSafetyPages, and closing the store stops the background one.
func TestWriterLeavesCheckpointsToTheBackground(t *testing.T) {
	onPostgres(t, "SQLite's write-ahead log")
	s, _ := newTestStore(t)
	var pages int
	must(t, s.w.Raw("PRAGMA wal_autocheckpoint").Scan(&pages).Error)
	if pages != walSafetyPages {
		t.Errorf("writer's wal_autocheckpoint = %d, want %d", pages, walSafetyPages)
	}
	must(t, s.Close())
	s.stop() // a second stop after Close returns at once
}
