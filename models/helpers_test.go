package models

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newUser(t *testing.T, s *Store, handle string) *User {
	t.Helper()
	u := &User{Handle: handle, Name: handle, Role: RoleAuthor}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// newStory publishes a story by author, published at when (zero: now).
func newStory(t *testing.T, s *Store, author *User, title string, when time.Time, categories ...uint) *Story {
	t.Helper()
	in := StoryInput{Title: title, Body: "Body of *" + title + "*.", AuthorID: author.ID,
		Status: StatusPublished, CategoryIDs: categories}
	if !when.IsZero() {
		in.PublishedAt = &when
	}
	st, err := s.CreateStory(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
