package models

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestGenerationMovesAfterEachCommittedWrite checks every way a write
// reaches the writer: a transaction, GORM's own per-statement transaction,
// and a statement outside any transaction; reads leave it alone.
func TestGenerationMovesAfterEachCommittedWrite(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	author := newUser(t, s, "ada", RoleAuthor)
	st := newStory(t, s, author, "A story", time.Time{})
	writes := []struct {
		name  string
		write func() error
	}{
		{"store method (transaction)", func() error { return s.UnpublishStory(ctx, st.ID, author.ID) }},
		{"Create outside a transaction", func() error {
			return s.w.WithContext(ctx).Create(&Category{Name: "Banks", Slug: "banks"}).Error
		}},
		{"Exec outside a transaction", func() error {
			return s.w.WithContext(ctx).Exec("UPDATE users SET name = 'Ada L.' WHERE id = ?", author.ID).Error
		}},
		{"Raw scan outside a transaction", func() error {
			var n int
			return s.w.WithContext(ctx).Raw("UPDATE users SET bio = 'hi' WHERE id = ? RETURNING id", author.ID).Scan(&n).Error
		}},
	}
	for _, w := range writes {
		before := s.Generation()
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if s.Generation() == before {
			t.Errorf("%s: the generation did not move", w.name)
		}
	}
	before := s.Generation()
	if _, err := s.PublishedStories(ctx, StoryFilter{}, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sidebar(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Generation() != before {
		t.Error("reads moved the generation")
	}
}

// TestNoOpWritesLeaveTheGenerationAlone: a write that changes no row (a
// periodic sweep with nothing to sweep, an upsert that met its row, an
// update of something gone) changes no page; moving the generation for it
// would empty the page cache here and, through site_state.version, on
// every other instance.
func TestNoOpWritesLeaveTheGenerationAlone(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	author := newUser(t, s, "ada", RoleAuthor)
	newStory(t, s, author, "A story", time.Time{})
	if err := s.w.WithContext(ctx).Create(&Category{Name: "Banks", Slug: "banks"}).Error; err != nil {
		t.Fatal(err)
	}
	s.gen.polled.Store(0)
	s.Generation()
	version := func() int64 {
		var v int64
		if err := s.r.WithContext(ctx).Raw("SELECT version FROM site_state WHERE id = 1").Scan(&v).Error; err != nil {
			t.Fatal(err)
		}
		return v
	}
	noOps := []struct {
		name  string
		write func(tx *gorm.DB) error
	}{
		{"Exec matching nothing", func(tx *gorm.DB) error {
			return tx.Exec("UPDATE users SET name = 'Nobody' WHERE id = ?", 1_000_000).Error
		}},
		{"Delete matching nothing", func(tx *gorm.DB) error {
			return tx.Where("name = ?", "No such category").Delete(&Category{}).Error
		}},
		{"Update matching nothing", func(tx *gorm.DB) error {
			return tx.Model(&User{}).Where("id = ?", 1_000_000).Update("bio", "gone").Error
		}},
		{"insert that met its row", func(tx *gorm.DB) error {
			return tx.Exec("INSERT OR IGNORE INTO categories (name, slug, position) SELECT name, slug, position FROM categories WHERE slug = 'banks'").Error
		}},
	}
	for _, w := range noOps {
		before, v := s.Generation(), version()
		if err := w.write(s.w.WithContext(ctx)); err != nil {
			t.Fatalf("%s outside a transaction: %v", w.name, err)
		}
		if err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return w.write(tx) }); err != nil {
			t.Fatalf("%s in a transaction: %v", w.name, err)
		}
		if s.Generation() != before {
			t.Errorf("%s moved the generation", w.name)
		}
		if version() != v {
			t.Errorf("%s moved site_state.version, which every other instance follows", w.name)
		}
	}
	// The same statements changing a row still count.
	before := s.Generation()
	if err := s.w.WithContext(ctx).Exec("UPDATE users SET name = 'Ada L.' WHERE id = ?", author.ID).Error; err != nil {
		t.Fatal(err)
	}
	if s.Generation() == before {
		t.Error("an update of a row did not move the generation")
	}
}

// TestSessionsLeaveTheGenerationAlone: signing in, a session sliding and
// signing out change no page, so they must not empty the page cache.
func TestSessionsLeaveTheGenerationAlone(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u := newUser(t, s, "ada", RoleAuthor)
	before := s.Generation()
	token, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := s.SessionByToken(ctx, token, 30*24*time.Hour) // over an hour old for a 30-day session: it slides
	if err != nil || !sess.Renewed {
		t.Fatalf("session %+v, %v: want it renewed", sess, err)
	}
	if err := s.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if s.Generation() != before {
		t.Error("session writes moved the generation")
	}
}

// TestGenerationMovesOnlyOnceCommitted: a reader that sees the new
// generation must see the new data, so the move comes after the commit.
func TestGenerationMovesOnlyOnceCommitted(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	before := s.Generation()
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&Category{Name: "Banks", Slug: "banks"}).Error; err != nil {
			return err
		}
		if s.Generation() != before {
			t.Error("the generation moved before the commit")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Generation() == before {
		t.Error("the generation did not move after the commit")
	}
}

// TestGenerationSeesWritesOfAnotherProcess: another Store on the same file
// stands for a CLI command writing while the server runs.
func TestGenerationSeesWritesOfAnotherProcess(t *testing.T) {
	server, other := twoProcesses(t)
	before := server.Generation()
	newUser(t, other, "grace", RoleAuthor)
	deadline := time.Now().Add(3 * externalPoll)
	for server.Generation() == before {
		if time.Now().After(deadline) {
			t.Fatalf("a write by another process went unnoticed for %v", 3*externalPoll)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOwnWritesMoveTheGenerationOnce: the look for other processes' writes
// must not take this process's own, already counted, for one: each would
// empty the page cache and the memos a second time, up to a second later
// (a slow request then ran the sidebar's queries twice). A write of another
// process after them is still seen.
func TestOwnWritesMoveTheGenerationOnce(t *testing.T) {
	s, other := twoProcesses(t)
	ctx := context.Background()
	s.Generation() // the first look
	author := newUser(t, s, "ada", RoleAuthor)
	newStory(t, s, author, "A story", time.Time{})
	if err := s.w.WithContext(ctx).Create(&Category{Name: "Banks", Slug: "banks"}).Error; err != nil {
		t.Fatal(err)
	}
	after := s.Generation()
	s.gen.polled.Store(0) // look at site_state now, as a second later
	if s.Generation() != after {
		t.Error("the look at site_state counted this process's own writes a second time")
	}
	time.Sleep(2 * time.Millisecond) // changed_at counts milliseconds
	newUser(t, other, "grace", RoleAuthor)
	s.gen.polled.Store(0)
	if s.Generation() == after {
		t.Error("a write by another process after this one's went unnoticed")
	}
}

// twoProcesses opens two Stores on one file: the second stands for another
// process (a CLI command) writing while the first serves.
func twoProcesses(t *testing.T) (*Store, *Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shared.db")
	var out [2]*Store
	for i := range out {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1]
}
