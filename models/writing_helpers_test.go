package models

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm/logger"
)

// newClockStore opens a test store on a clock starting at 1 March 2026,
// counting its queries.
func newClockStore(t *testing.T) (*Store, *testClock, *queryCounter) {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	qc := &queryCounter{Interface: logger.Discard}
	s, err := Open(filepath.Join(t.TempDir(), "test.db"), Options{Now: clock.Now, Logger: qc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock, qc
}

// newUserAs creates a user with a role.
func newUserAs(t *testing.T, s *Store, handle, role string) *User {
	t.Helper()
	u := &User{Handle: handle, Name: handle, Role: role}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// newDraft saves a draft by author.
func newDraft(t *testing.T, s *Store, author *User, title string) *Story {
	t.Helper()
	st, err := s.CreateStory(context.Background(), StoryInput{Title: title, Body: "Draft of " + title, AuthorID: author.ID})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// fieldsOf returns the field messages of a ValidationError, or nil.
func fieldsOf(err error) map[string]string {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Fields
	}
	return nil
}
