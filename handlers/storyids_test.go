package handlers

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"doleances/models"
)

// TestStoryIDsAreKeptASecondAcrossWrites: an id read serves without a
// query while no write came, or for a second after it was read whatever
// was written; a story not found is read every time, and a forgotten one
// is read again.
func TestStoryIDsAreKeptASecondAcrossWrites(t *testing.T) {
	var gen atomic.Uint64
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	loads, next := 0, uint(1)
	ids := newStoryIDs(func(_ context.Context, slug string) (uint, error) {
		loads++
		if slug == "gone" {
			return 0, fmt.Errorf("story %q: %w", slug, models.ErrNotFound)
		}
		return next, nil
	}, gen.Load, func() time.Time { return now })
	ctx := context.Background()
	get := func(slug string) uint {
		t.Helper()
		id, err := ids.id(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	steps := []struct {
		name      string
		change    func()
		want      uint
		wantLoads int
	}{
		{"first read", func() {}, 1, 1},
		{"kept", func() { next = 2 }, 1, 1},
		{"kept across a write within the second", func() { gen.Add(1); now = now.Add(999 * time.Millisecond) }, 1, 1},
		{"read again a second after, the generation moved", func() { now = now.Add(time.Millisecond) }, 2, 2},
		{"kept past the second while no write came", func() { next = 3; now = now.Add(time.Hour) }, 2, 2},
		{"read again when the clock went back and a write came", func() { gen.Add(1); now = now.Add(-2 * time.Hour) }, 3, 3},
		{"read again once forgotten", func() { next = 4; ids.forget("a") }, 4, 4},
	}
	for _, s := range steps {
		s.change()
		if got := get("a"); got != s.want || loads != s.wantLoads {
			t.Fatalf("%s: id %d after %d loads, want %d after %d", s.name, got, loads, s.want, s.wantLoads)
		}
	}
	for range 2 {
		if _, err := ids.id(ctx, "gone"); err == nil {
			t.Fatal("a story not found has an id")
		}
	}
	if loads != 6 {
		t.Errorf("a story not found was kept: %d loads, want 6", loads)
	}
}
