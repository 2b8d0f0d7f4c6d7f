package models

import (
	"context"
	"testing"
	"time"
)

// TestCountRead: an address counts once per story and day, another
// address counts, the next day counts again and forgets the day before;
// counting never moves the site's generation (the cached pages stay).
func TestCountRead(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	author := newUser(t, s, "margot", RoleAuthor)
	st := newStory(t, s, author, "Read me", clock.Now())
	gen := s.Generation()
	for i, c := range []struct {
		ip   string
		want bool
	}{{"203.0.113.1", true}, {"203.0.113.1", false}, {"203.0.113.2", true}, {"203.0.113.1", false}} {
		got, err := s.CountRead(ctx, st.ID, c.ip)
		must(t, err)
		if got != c.want {
			t.Errorf("read %d from %s counted %v, want %v", i, c.ip, got, c.want)
		}
	}
	if g := s.Generation(); g != gen {
		t.Errorf("counting reads moved the generation from %d to %d", gen, g)
	}
	clock.Add(24 * time.Hour)
	if got, err := s.CountRead(ctx, st.ID, "203.0.113.1"); err != nil || !got {
		t.Errorf("the next day's read counted %v (%v)", got, err)
	}
	var salts, reads int64
	must(t, s.r.Model(&ReadSalt{}).Count(&salts).Error)
	must(t, s.r.Model(&StoryRead{}).Count(&reads).Error)
	if salts != 1 || reads != 1 {
		t.Errorf("after a day: %d salts and %d reads kept, want only today's 1 and 1", salts, reads)
	}
	counts, err := s.ReadCounts(ctx, []uint{st.ID, st.ID + 100})
	must(t, err)
	if len(counts) != 1 || counts[st.ID] != 3 {
		t.Errorf("read counts %v, want 3 for story %d", counts, st.ID)
	}
}
