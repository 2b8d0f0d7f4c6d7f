package models

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// Comments are committed in groups: every comment waiting for the writer
// when it becomes free goes into one transaction, each in a savepoint of its
// own, so that a refused comment (too soon, a closed story) leaves the
// others in. The rules are applied one comment after the other inside that
// transaction, exactly as when each had its own: a second comment of one
// person in the same group sees the first and is refused by the flood rule.
// Nobody is answered before the group's commit returns.
//
// Committing a transaction costs about as much as the comment in it, and
// the writer is the one thing comments wait for: one commit per group lets
// the posting rate grow with the number of people posting at once.

// maxPostBatch bounds the comments of one transaction, so that a burst does
// not hold the writer (which every other write waits for) too long.
const maxPostBatch = 256

// pendingPost is a comment waiting for its group's commit.
type pendingPost struct {
	ctx    context.Context
	in     *CommentPost
	c      *Comment
	done   chan error    // the outcome, once committed (or refused)
	leader chan struct{} // closed when this post is to run the next group
}

// postQueue holds the comments waiting for the writer. There is no
// goroutine of its own: the first poster to find the writer free runs a
// group (its own comment and those waiting), then hands the next group
// to the first poster still waiting.
type postQueue struct {
	mu      sync.Mutex
	waiting []*pendingPost
	busy    bool // a poster is running a group
}

// commitPost queues p, runs a group if it is its turn, and returns p's
// outcome once its group is committed.
func (s *Store) commitPost(p *pendingPost) error {
	q := &s.posts
	q.mu.Lock()
	q.waiting = append(q.waiting, p)
	if q.busy {
		q.mu.Unlock()
		select {
		case err := <-p.done:
			return err
		case <-p.leader: // its turn: p is first in waiting
		}
		q.mu.Lock()
	}
	q.busy = true
	n := min(len(q.waiting), maxPostBatch)
	group := append([]*pendingPost(nil), q.waiting[:n]...)
	q.waiting = append(q.waiting[:0], q.waiting[n:]...)
	q.mu.Unlock()
	defer q.passTurn() // even after a panic, or nobody would post again
	s.commitGroup(group)
	return <-p.done
}

// passTurn gives the writer to the first post waiting, if any.
func (q *postQueue) passTurn() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) > 0 {
		close(q.waiting[0].leader)
	} else {
		q.busy = false
	}
}

// errGroupPanicked is what the posts of a group whose commit panicked get.
var errGroupPanicked = errors.New("the comments' transaction panicked")

// commitGroup saves the posts of group in one transaction and tells each
// its outcome: its own refusal, or the commit's result.
func (s *Store) commitGroup(group []*pendingPost) {
	answered := 0
	defer func() {
		if v := recover(); v != nil {
			for _, p := range group[answered:] {
				select { // a post retried alone may have been answered
				case p.done <- errGroupPanicked:
				default:
				}
			}
			panic(v)
		}
	}()
	outcome := make([]error, len(group))
	// The group is not any one request's: one that gives up must not undo
	// the others' comments (a post that gave up before its turn is skipped).
	ctx := context.WithoutCancel(group[0].ctx)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.saveGroup(tx, group, outcome) })
	if err != nil && len(group) > 1 {
		// A write failed, or the commit: the group is undone. Each post
		// then goes alone, and learns its own outcome.
		for _, p := range group {
			s.commitGroup([]*pendingPost{p})
			answered++
		}
		return
	}
	for i, p := range group {
		if err != nil {
			outcome[i] = err
		}
		p.done <- outcome[i]
		answered++
	}
}

// saveGroup saves the posts of group in tx, setting each one's refusal in
// outcome; an error is a failed write, which undoes the group.
func (s *Store) saveGroup(tx *gorm.DB, group []*pendingPost, outcome []error) error {
	// A story's count is updated once for the group: its row holds the
	// story's text, and rewriting it cost more than the comment's insert.
	rows, err := readGroupRows(tx, group)
	if err != nil {
		return err
	}
	added := map[uint]int{}
	var stories []uint
	for i, p := range group {
		var err error
		if outcome[i], err = s.savePost(tx, p, rows); err != nil {
			return err
		}
		if outcome[i] == nil && p.c.Status == CommentApproved {
			if added[p.c.StoryID] == 0 {
				stories = append(stories, p.c.StoryID)
			}
			added[p.c.StoryID]++
		}
	}
	for _, id := range stories {
		if err := addCommentCount(tx, id, added[id]); err != nil {
			return err
		}
	}
	return nil
}

// savePost applies the rules to one post of a group, then inserts it. The
// rules only read: a refused post has written nothing, and is returned as
// its refusal while the group goes on (a savepoint per post would do, but
// makes SQLite copy every page a post changes, and cost as much as a
// commit). err is a failed write: the group must be undone.
func (s *Store) savePost(tx *gorm.DB, p *pendingPost, rows *groupRows) (refusal, err error) {
	if err := p.ctx.Err(); err != nil {
		return err, nil
	}
	p.c.ID = 0 // when a failed group is retried
	parent, refusal := s.checkPost(tx, p.in, p.c, rows)
	if refusal != nil {
		return refusal, nil
	}
	return nil, insertCommentRow(tx, p.c, parent)
}

// groupRows are the stories and the signed-in posters of a group, read in
// two queries for the group instead of two for each comment: the group's
// writes change neither (the stories' counts are not read).
type groupRows struct {
	stories map[uint]*Story
	users   map[uint]*User
}

// readGroupRows reads the rows the rules of group's posts need.
func readGroupRows(tx *gorm.DB, group []*pendingPost) (*groupRows, error) {
	var storyIDs, userIDs []uint
	for _, p := range group {
		storyIDs = append(storyIDs, p.in.StoryID)
		if p.in.Poster.UserID != nil {
			userIDs = append(userIDs, *p.in.Poster.UserID)
		}
	}
	var stories []Story
	if err := tx.Select("id", "author_id", "status", "comments_closed").Where("id IN ?", storyIDs).Find(&stories).Error; err != nil {
		return nil, fmt.Errorf("stories of the comments: %w", err)
	}
	var users []User
	if len(userIDs) > 0 {
		if err := tx.Select("id", "name", "role").Where("id IN ?", userIDs).Find(&users).Error; err != nil {
			return nil, fmt.Errorf("writers of the comments: %w", err)
		}
	}
	rows := &groupRows{stories: make(map[uint]*Story, len(stories)), users: make(map[uint]*User, len(users))}
	for i := range stories {
		rows.stories[stories[i].ID] = &stories[i]
	}
	for i := range users {
		rows.users[users[i].ID] = &users[i]
	}
	return rows, nil
}

// openStory returns the story id if it is published and takes comments.
func (rows *groupRows) openStory(id uint) (*Story, error) {
	st := rows.stories[id]
	if st == nil || st.Status != StatusPublished {
		return nil, fmt.Errorf("story %d: %w", id, ErrNotFound)
	}
	if st.CommentsClosed {
		return nil, ErrCommentsClosed
	}
	return st, nil
}
