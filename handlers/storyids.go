package handlers

import (
	"context"
	"strings"
	"sync"
	"time"
)

// A comment's post needs only its story's id, which a query per comment
// read from the slug. The ids are kept here, by slug, under a rule looser
// than the memos': an id serves while the generation it was read in is
// current, and for keptIDFor after it was read whatever was written since.
// Comments are written in groups that each move the generation, so under
// the generation alone a storm of comments would read every id again.
//
// A stale id cannot put a comment where it must not go: the writer reads
// the story's status and whether it takes comments again in the comment's
// own transaction (models' openStory), and the form's stamp is signed for
// the story's id, so a post to a slug that another story took meanwhile is
// refused as out of date. A story found gone by the writer is forgotten
// at once. Other instances' writes take up to a second to be seen anyway.

// keptIDFor is how long a kept id serves across writes: the second within
// which another instance's writes show on this one's pages.
const keptIDFor = time.Second

// maxKeptIDs bounds the ids kept: when full it starts again empty.
const maxKeptIDs = 4096

// storyIDs keeps published stories' ids by slug.
type storyIDs struct {
	load func(ctx context.Context, slug string) (uint, error)
	gen  func() uint64
	now  func() time.Time
	mu   sync.Mutex
	m    map[string]keptID
}

type keptID struct {
	id  uint
	gen uint64    // the generation when it was read
	at  time.Time // when it was read
}

func newStoryIDs(load func(ctx context.Context, slug string) (uint, error), gen func() uint64, now func() time.Time) *storyIDs {
	return &storyIDs{load: load, gen: gen, now: now, m: map[string]keptID{}}
}

// id returns the id of the published story at slug, kept or read. Errors
// (a story not found) are not kept.
func (s *storyIDs) id(ctx context.Context, slug string) (uint, error) {
	gen, now := s.gen(), s.now() // before the read: a write during it makes it old
	s.mu.Lock()
	k, ok := s.m[slug]
	s.mu.Unlock()
	if age := now.Sub(k.at); ok && (k.gen == gen || age >= 0 && age < keptIDFor) {
		return k.id, nil
	}
	id, err := s.load(ctx, slug)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxKeptIDs {
		clear(s.m)
	}
	s.m[strings.Clone(slug)] = keptID{id: id, gen: gen, at: now} // a fiber value: copied to be kept
	return id, nil
}

// forget drops the id kept for slug, which the writer found no longer
// published, so that the next post reads it again.
func (s *storyIDs) forget(slug string) {
	s.mu.Lock()
	delete(s.m, slug)
	s.mu.Unlock()
}
