package models

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
)

// holdWriteLock takes SQLite's write lock on the database at path from a
// connection of its own, as a sqlite3 shell in BEGIN IMMEDIATE does, until
// the returned function is called.
func holdWriteLock(t *testing.T, path string) func() {
	t.Helper()
	db, err := sql.Open(sqlite.DriverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	}
}

// A write that waits past the busy timeout fails with ErrBusy, whatever
// the write; once the lock is gone the same write works.
func TestBusyDatabaseIsErrBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	s, err := Open(path, Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := &User{Handle: "ana", Name: "Ana"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	release := holdWriteLock(t, path)
	in := StoryInput{Title: "Locked out", Body: "Some text.", AuthorID: u.ID}
	if _, err := s.CreateStory(ctx, in); !errors.Is(err, ErrBusy) {
		t.Errorf("CreateStory under another's lock: %v, want ErrBusy", err)
	}
	if err := s.CreateUser(ctx, &User{Handle: "bo", Name: "Bo"}); !errors.Is(err, ErrBusy) {
		t.Errorf("CreateUser under another's lock: %v, want ErrBusy", err)
	}
	release()
	if _, err := s.CreateStory(ctx, in); err != nil {
		t.Errorf("CreateStory after the lock: %v", err)
	}
}

// A foreign key that fails under the checks (a row deleted between them and
// the write) is a ValidationError, not a 500.
func TestForeignKeyIsValidation(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	err := s.w.WithContext(ctx).Exec("INSERT INTO story_categories (story_id, category_id) VALUES (424242, 434343)").Error
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Fields["form"] == "" {
		t.Errorf("a dangling reference: %v, want a ValidationError", err)
	}
}

// Updates and comments that show nothing are refused like empty ones.
func TestBlankUpdatesAndComments(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	u := newUser(t, s, "ana", RoleAuthor)
	st, err := s.CreateStory(ctx, StoryInput{Title: "T", Body: "Text.", AuthorID: u.ID, Status: StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := s.CreateStory(ctx, StoryInput{Title: "T", Body: "---", AuthorID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitStory(ctx, draft.ID, u.ID); fieldsOf(err)["body"] == "" {
		t.Errorf("publishing a story of a rule alone: %v", err)
	}
	for _, body := range []string{"\u200b\u200b", "---", "<span></span>", "* \n* "} {
		var ve *ValidationError
		if _, err := s.AddStoryUpdate(ctx, st.ID, u.ID, body, ""); !errors.As(err, &ve) {
			t.Errorf("update %q: %v, want a ValidationError", body, err)
		}
		_, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, UserID: &u.ID, AuthorName: "Ana", Body: body, Status: CommentApproved})
		if !errors.As(err, &ve) {
			t.Errorf("comment %q: %v, want a ValidationError", body, err)
		}
		if msg := checkBody(body); msg == "" {
			t.Errorf("checkBody(%q) accepts it", body)
		}
	}
	if msg := checkBody("![a picture](/media/a.png)"); msg != "" {
		t.Errorf("a comment of a picture alone: %q", msg)
	}
}
