package models

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm/logger"
)

// Two Stores opened on one database file stand for two instances of a site
// behind a load balancer: what one counts or writes, the other must see.

// twoInstances opens two Stores on one file with one test clock.
func twoInstances(t *testing.T) (*Store, *Store, *testClock) {
	t.Helper()
	return twoInstancesOn(t, filepath.Join(t.TempDir(), "shared.db"))
}

// twoInstancesOn opens two Stores on the database at path with one test clock.
func twoInstancesOn(t *testing.T, path string) (*Store, *Store, *testClock) {
	t.Helper()
	clock := &testClock{t: testNow}
	var out [2]*Store
	for i := range out {
		s, err := Open(path, Options{Now: clock.Now, Logger: &queryCounter{Interface: logger.Discard}})
		must(t, err)
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1], clock
}

// TestHitsCountAcrossInstances: a hit counted by one instance counts for
// the other, a new minute starts again, and the sweep deletes the rows of
// minutes over.
func TestHitsCountAcrossInstances(t *testing.T) {
	a, b, clock := twoInstances(t)
	ctx := context.Background()
	hit := func(s *Store, key string) int {
		t.Helper()
		n, err := s.CountHit(ctx, key, clock.Now())
		must(t, err)
		return n
	}
	for i, s := range []*Store{a, b, a, b} {
		if n := hit(s, "search|192.0.2.1"); n != i+1 {
			t.Fatalf("hit %d counted as %d", i+1, n)
		}
	}
	if n := hit(b, "search|192.0.2.2"); n != 1 {
		t.Errorf("another address starts at %d, want 1", n)
	}
	clock.Add(time.Minute)
	if n := hit(b, "search|192.0.2.1"); n != 1 {
		t.Errorf("the next minute starts at %d, want 1", n)
	}
	if rows := countRows(t, a, "rate_limits"); rows != 1 {
		t.Errorf("%d rate-limit rows after the sweep, want 1 (the current minute's)", rows)
	}
}

// TestHitsLeaveTheGenerationAlone: a hit is a write no page shows; moving
// the generation would empty every instance's page cache at each search.
func TestHitsLeaveTheGenerationAlone(t *testing.T) {
	a, b, clock := twoInstances(t)
	ga, gb := a.Generation(), b.Generation()
	for range 3 {
		_, err := a.CountHit(context.Background(), "posts|192.0.2.1", clock.Now())
		must(t, err)
	}
	clock.Add(externalPoll) // b looks at site_state again
	if a.Generation() != ga || b.Generation() != gb {
		t.Error("a rate-limit hit moved the site generation")
	}
}

// TestFloodRuleAcrossInstances: a comment posted through one instance makes
// the same person wait on the other, a guest and a signed-in user alike.
func TestFloodRuleAcrossInstances(t *testing.T) {
	a, b, clock := twoInstances(t)
	ctx := context.Background()
	author := newUser(t, a, "ada", RoleAuthor)
	reader := newUser(t, a, "bob", RoleReader)
	st := newStory(t, a, author, "Hold music", time.Time{})
	for _, p := range []Poster{{IP: "192.0.2.7"}, {UserID: &reader.ID, IP: "192.0.2.8"}} {
		in := CommentPost{StoryID: st.ID, Poster: p, Name: "Guest", Email: "guest@example.org", Body: "Same here."}
		_, _, err := a.PostComment(ctx, in)
		must(t, err)
		clock.Add(5 * time.Second)
		in.Body = "And again."
		_, _, err = b.PostComment(ctx, in)
		var soon *TooSoonError
		if !errors.As(err, &soon) || soon.Wait != 10*time.Second {
			t.Errorf("second comment of %+v on the other instance: %v, want to wait 10s", p, err)
		}
		clock.Add(10 * time.Second)
		if _, _, err := b.PostComment(ctx, in); err != nil {
			t.Errorf("a comment after the interval: %v", err)
		}
	}
}

// TestGenerationSeesAnotherInstancesWrites: a write committed by one
// instance, to any table pages show (legal pages have no trigger on
// site_state.changed_at), is seen by the other at its first look after
// externalPoll on its clock, not sooner (a query per page would cost), and
// no look sees a write that was not made.
func TestGenerationSeesAnotherInstancesWrites(t *testing.T) {
	a, b, clock := twoInstances(t)
	ctx := context.Background()
	before := a.Generation() // a first look, which notes site_state
	page := LegalPage{Slug: "terms", Title: "Terms", Body: "Be kind.", HTML: "<p>Be kind.</p>"}
	must(t, b.w.WithContext(ctx).Create(&page).Error)
	clock.Add(externalPoll - time.Millisecond)
	if a.Generation() != before {
		t.Error("the generation moved before externalPoll had passed: the look costs a query on every call")
	}
	clock.Add(time.Millisecond)
	after := a.Generation()
	if after == before {
		t.Fatalf("a write by another instance was not seen %v after it", externalPoll)
	}
	clock.Add(externalPoll)
	if a.Generation() != after {
		t.Error("a look with no write in between moved the generation")
	}
}

// TestFloodRuleHoldsUnderConcurrentPosts: one person posting at once
// through two instances gets one comment in, whatever the engine's
// isolation (on PostgreSQL the flood lock serialises the two checks).
func TestFloodRuleHoldsUnderConcurrentPosts(t *testing.T) {
	a, b, _ := twoInstances(t)
	ctx := context.Background()
	st := newStory(t, a, newUser(t, a, "ada", RoleAuthor), "Hold music", time.Time{})
	errs := make(chan error, 8)
	for i := range 8 {
		s := []*Store{a, b}[i%2]
		go func() {
			_, _, err := s.PostComment(ctx, CommentPost{StoryID: st.ID, Poster: Poster{IP: "192.0.2.9"},
				Name: "Guest", Email: "guest@example.org", Body: "At once."})
			errs <- err
		}()
	}
	posted := 0
	for range 8 {
		if err := <-errs; err == nil {
			posted++
		} else if !errors.Is(err, ErrTooSoon) {
			t.Error(err)
		}
	}
	if posted != 1 {
		t.Errorf("%d comments of one person got in at once, want 1", posted)
	}
}

// TestCommentsTakeNoFloodLockOnSQLite: on SQLite a comment writes no
// rate-limit row (its IMMEDIATE transaction already keeps every other
// writer of the file out, TestFloodRuleHoldsUnderConcurrentPosts), while
// the flood rule still holds across the two instances.
func TestCommentsTakeNoFloodLockOnSQLite(t *testing.T) {
	a, b, clock := twoInstances(t)
	ctx := context.Background()
	st := newStory(t, a, newUser(t, a, "ada", RoleAuthor), "Hold music", time.Time{})
	in := CommentPost{StoryID: st.ID, Poster: Poster{IP: "192.0.2.9"}, Name: "Guest", Email: "guest@example.org", Body: "Same here."}
	_, _, err := a.PostComment(ctx, in)
	must(t, err)
	if rows := countRows(t, a, "rate_limits"); rows != 0 {
		t.Errorf("a comment wrote %d rate-limit rows on SQLite, want none", rows)
	}
	clock.Add(time.Second)
	if _, _, err := b.PostComment(ctx, in); !errors.Is(err, ErrTooSoon) {
		t.Errorf("a second comment a second later on the other instance: %v, want ErrTooSoon", err)
	}
}

// BenchmarkCountHit is the cost of a rate-limit hit on the single writer
// connection: a search or a form post pays it once.
func BenchmarkCountHit(b *testing.B) {
	s, clock := newTestStore(b)
	ctx := context.Background()
	at := clock.Now()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.CountHit(ctx, "search|192.0.2."+strconv.Itoa(i%200), at); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSignInLinkWorksOnceAcrossInstances: a sign-in link opened at once on
// two instances signs in once (on PostgreSQL both transactions read the
// token; only the one whose delete removed it may sign in).
func TestSignInLinkWorksOnceAcrossInstances(t *testing.T) {
	a, b, _ := twoInstances(t)
	ctx := context.Background()
	u := newUser(t, a, "ada", RoleAuthor)
	token, err := a.CreateOneTimeToken(ctx, PurposeSignIn, &u.ID, time.Hour)
	must(t, err)
	errs := make(chan error, 6)
	for i := range 6 {
		s := []*Store{a, b}[i%2]
		go func() {
			_, err := s.SignInWithLink(ctx, token)
			errs <- err
		}()
	}
	used := 0
	for range 6 {
		if err := <-errs; err == nil {
			used++
		} else if !errors.Is(err, ErrNotFound) {
			t.Error(err)
		}
	}
	if used != 1 {
		t.Errorf("the link signed in %d times, want once", used)
	}
}

// countRows is the number of rows of a table.
func countRows(t *testing.T, s *Store, table string) int64 {
	t.Helper()
	var n int64
	must(t, s.r.Table(table).Count(&n).Error)
	return n
}
