package handlers

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeHits counts hits per key as the database would, and the queries.
type fakeHits struct {
	counts  map[string]int
	queries int
	err     error
}

func (f *fakeHits) CountHit(_ context.Context, key string, at time.Time) (int, error) {
	f.queries++
	if f.err != nil {
		return 0, f.err
	}
	f.counts[key]++
	return f.counts[key], nil
}

// TestLimiterAsksTheDatabaseUntilItSaysNo: each allowed request is counted
// in the shared counter (another instance's hits included), a client over
// the limit is refused from memory for the rest of the minute, and a
// failing count is an error, not a silent pass.
func TestLimiterAsksTheDatabaseUntilItSaysNo(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 20, 0, time.UTC)
	hits := &fakeHits{counts: map[string]int{"search|192.0.2.1": 1}} // one hit through another instance
	l := newIPLimiter("search", 3, hits, func() time.Time { return now })
	ctx := context.Background()
	for i := range 2 {
		if wait, err := l.allow(ctx, "192.0.2.1"); wait != 0 || err != nil {
			t.Fatalf("request %d: wait %d, %v", i+1, wait, err)
		}
	}
	if wait, _ := l.allow(ctx, "192.0.2.1"); wait != 40 {
		t.Errorf("the fourth request of the minute (one elsewhere): wait %d, want 40", wait)
	}
	q := hits.queries
	if wait, _ := l.allow(ctx, "192.0.2.1"); wait != 40 || hits.queries != q {
		t.Errorf("a client over the limit: wait %d, %d more queries, want 40 and none", wait, hits.queries-q)
	}
	now = now.Add(time.Minute)
	hits.counts = map[string]int{}
	if wait, _ := l.allow(ctx, "192.0.2.1"); wait != 0 {
		t.Errorf("the next minute: wait %d", wait)
	}
	hits.err = errors.New("database gone")
	if _, err := l.allow(ctx, "192.0.2.2"); err == nil {
		t.Error("a failing count passed silently")
	}
}
