package models

import (
	"context"
	"fmt"
	"strconv"
)

// A signed-in story page differs between viewers by whether they have
// comments held for moderation on the story and whether they like it or
// said "me too". Asking the database on every view costs two queries; the
// story's held posters and reactors, read once per story (and generation,
// by the caller), answer for every viewer. Past maxStoryViewers of one kind,
// they say they do not know, and the per-viewer queries answer.

// maxStoryViewers bounds the posters or reactors kept of one story.
var maxStoryViewers = 4096 // a variable for the tests

// set is the users or guests kept of a story: every signed-in view asks
// whether its viewer is among up to maxStoryViewers, a look-up, not a scan.
type set[K comparable] map[K]struct{}

func (s set[K]) add(k K) { s[k] = struct{}{} }

func (s set[K]) has(k K) bool {
	_, ok := s[k]
	return ok
}

// HeldPosters are the posters of a story's held (pending) comments.
type HeldPosters struct {
	users  set[uint]
	guests set[string] // guest keys of comments without a user
	many   bool        // over maxStoryViewers: not all are here
}

// HeldPostersOf returns who has comments held on story storyID.
func (s *Store) HeldPostersOf(ctx context.Context, storyID uint) (HeldPosters, error) {
	var rows []struct {
		UserID   *uint
		GuestKey *string
	}
	err := s.r.WithContext(ctx).Raw("SELECT user_id, guest_key FROM comments WHERE story_id = ? AND status = ? LIMIT "+strconv.Itoa(maxStoryViewers+1),
		storyID, CommentPending).Scan(&rows).Error
	if err != nil {
		return HeldPosters{}, fmt.Errorf("held posters of story %d: %w", storyID, err)
	}
	h := HeldPosters{users: set[uint]{}, guests: set[string]{}, many: len(rows) > maxStoryViewers}
	for _, r := range rows {
		switch {
		case r.UserID != nil:
			h.users.add(*r.UserID)
		case r.GuestKey != nil && *r.GuestKey != "":
			h.guests.add(*r.GuestKey)
		}
	}
	return h, nil
}

// Holds says whether v has held comments among h; known is false when h
// cannot tell (HasHeldComments can).
func (h HeldPosters) Holds(v Viewer) (held, known bool) {
	if h.many {
		return false, false
	}
	if v.UserID != nil && h.users.has(*v.UserID) {
		return true, true
	}
	key := guestKey(v.GuestToken)
	return key != "" && h.guests.has(key), true
}

// Reactors are the readers who like a story and who said "me too".
type Reactors struct {
	likers, meToos set[uint]
	many           bool // over maxStoryViewers: not all are here
}

// ReactorsOf returns who reacted to story storyID.
func (s *Store) ReactorsOf(ctx context.Context, storyID uint) (Reactors, error) {
	var out Reactors
	for _, t := range []struct {
		table string
		into  *set[uint]
	}{{"likes", &out.likers}, {"me_toos", &out.meToos}} {
		var ids []uint
		err := s.r.WithContext(ctx).Raw("SELECT user_id FROM "+t.table+" WHERE story_id = ? LIMIT "+strconv.Itoa(maxStoryViewers+1), storyID).
			Scan(&ids).Error
		if err != nil {
			return Reactors{}, fmt.Errorf("%s of story %d: %w", t.table, storyID, err)
		}
		out.many = out.many || len(ids) > maxStoryViewers
		*t.into = make(set[uint], len(ids))
		for _, id := range ids {
			t.into.add(id)
		}
	}
	return out, nil
}

// Of says what user viewerID did; known is false when r cannot tell
// (OwnReactions can).
func (r Reactors) Of(viewerID uint) (liked, meToo, known bool) {
	if r.many {
		return false, false, false
	}
	return r.likers.has(viewerID), r.meToos.has(viewerID), true
}
