package models

import (
	"context"
	"doleances/models/pgtest"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm/logger"
)

// The one set of builders of the package's tests: newTestStore opens a
// store on a testClock; newUser, newStory and newDraft add its rows.

// testNow is where the tests' clock starts: stories are dated before it.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testClock is a clock the test moves by hand; step, if set, moves it on
// each reading.
type testClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// queryCounter is a GORM logger that counts the SQL statements it sees.
type queryCounter struct {
	logger.Interface
	n atomic.Int64
}

func (q *queryCounter) Trace(context.Context, time.Time, func() (string, int64), error) { q.n.Add(1) }

// counter is the query counter of a store from newTestStore.
func counter(s *Store) *queryCounter { return s.r.Logger.(*queryCounter) }

// queries returns the number of statements a store from newTestStore has run.
func queries(s *Store) int64 { return counter(s).n.Load() }

// storeOption changes how newTestStore opens a store.
type storeOption func(*Options)

// realTime gives the store the real clock, for what must follow it.
func realTime() storeOption { return func(o *Options) { o.Now = nil } }

// newTestStore opens a fresh store in a temporary folder; its clock stands
// at testNow until the test moves it, and it counts its queries.
func newTestStore(t testing.TB, opts ...storeOption) (*Store, *testClock) {
	t.Helper()
	clock := &testClock{t: testNow}
	o := Options{Now: clock.Now, Logger: &queryCounter{Interface: logger.Discard}}
	for _, opt := range opts {
		opt(&o)
	}
	s, err := Open(testDatabase(t), o)
	must(t, err)
	t.Cleanup(func() { s.Close() })
	return s, clock
}

// testDatabase is where a test's store lives: a SQLite file in a
// temporary folder, or a fresh PostgreSQL database when pgtest.Env is set.
func testDatabase(t testing.TB) string {
	t.Helper()
	if pgtest.URL() == "" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	return pgtest.Database(t, func(addr string) error {
		s, err := Open(addr, Options{})
		if err == nil {
			err = s.Close()
		}
		return err
	})
}

// onPostgres skips a test that is about SQLite itself (its file, its
// locks, its upgrade from an old file) when the tests run on PostgreSQL.
func onPostgres(t testing.TB, why string) {
	t.Helper()
	if pgtest.URL() != "" {
		t.Skip("SQLite only: " + why)
	}
}

// must fails the test on an error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newUser creates a user with a role, named after their handle in capitals.
func newUser(t testing.TB, s *Store, handle, role string) *User {
	t.Helper()
	u := &User{Handle: handle, Name: strings.ToUpper(handle), Role: role}
	must(t, s.CreateUser(context.Background(), u))
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
	must(t, err)
	return st
}

// newDraft saves a draft by author.
func newDraft(t *testing.T, s *Store, author *User, title string) *Story {
	t.Helper()
	st, err := s.CreateStory(context.Background(), StoryInput{Title: title, Body: "Draft of " + title, AuthorID: author.ID})
	must(t, err)
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
