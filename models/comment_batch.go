package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Comments are committed in groups: every comment waiting for the writer
// when it becomes free goes into one transaction. The rules are applied one
// comment after the other inside it, exactly as when each had its own, and
// only read, so that a refused comment (too soon, a closed story) has
// written nothing and leaves the others in; the accepted ones are then
// inserted together. A second comment of one person in the same group sees
// the first (groupRows keeps it until the insert) and is refused by the
// flood rule. Nobody is answered before the group's commit returns.
//
// The posts of a group are applied and inserted by story (postOrder), not
// in the order they came: they were all waiting at once, so any order is
// one they could have come in, and of a person's two posts in one group
// the first applied passes and the other is refused.
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
	rows, err := s.readGroupRows(tx, group)
	if err != nil {
		return err
	}
	for _, i := range postOrder(group) {
		outcome[i] = s.checkGroupPost(tx, group[i], rows)
	}
	if len(rows.accepted) == 0 {
		return nil
	}
	// One statement for the group's rows: SQLite opens a statement journal
	// for each INSERT that fires a trigger, and FTS4 writes the terms it
	// holds to a new segment of the index at each (fts3SavepointMethod),
	// so that an INSERT per comment made a segment per comment.
	if err := tx.Create(&rows.accepted).Error; err != nil {
		return err
	}
	return addGroupCounts(tx, rows.accepted)
}

// addGroupCounts adds the approved comments of a group to their stories'
// counts: once a story (its row holds the story's text, and rewriting it
// cost more than the comment's insert), and in one statement for all the
// stories that gain as many (most often one each: the statement cost more
// in GORM than in the database).
func addGroupCounts(tx *gorm.DB, accepted []*Comment) error {
	added := map[uint]int{}
	for _, c := range accepted {
		if c.Status == CommentApproved {
			added[c.StoryID]++
		}
	}
	byCount := map[int][]uint{}
	for id, n := range added {
		byCount[n] = append(byCount[n], id)
	}
	for _, n := range slices.Sorted(maps.Keys(byCount)) {
		ids := byCount[n]
		slices.Sort(ids)
		if err := addCommentCount(tx, n, inList(ids)...); err != nil {
			return err
		}
	}
	return nil
}

// postOrder is the order in which the posts of group are applied and
// inserted: by story id (and so by search shard), each story's posts in the
// order they came. A comment's search docid is its story id then its own
// (commentDocid), and FTS4 writes the terms it holds in memory to a new
// segment of the index whenever a docid is lower than the one before or the
// shard changes: in the order they came, round the stories of a front page,
// nearly every comment of a group would make a segment of its own. In this
// order a group makes one segment a shard. PostgreSQL's index does not
// care about the order.
func postOrder(group []*pendingPost) []int {
	order := make([]int, len(group))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(group[a].in.StoryID, group[b].in.StoryID) })
	return order
}

// checkGroupPost applies the rules to one post of a group, and returns its
// refusal, or adds it to the group's rows to insert. The rules only read:
// a refused post leaves the group as it was (a savepoint per post would do,
// but makes SQLite copy every page a post changes, and cost as much as a
// commit). The rules never need a row of the group that is not inserted
// yet but to know a poster's latest comment, which groupRows keeps (no one
// knows a comment's id before its group's commit to answer it).
func (s *Store) checkGroupPost(tx *gorm.DB, p *pendingPost, rows *groupRows) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	p.c.ID = 0 // when a failed group is retried
	parent, refusal := s.checkPost(tx, p.in, p.c, rows)
	if refusal != nil {
		return refusal
	}
	p.c.placeUnder(parent)
	rows.accept(p.c)
	return nil
}

// groupRows are the stories and the signed-in posters of a group, read in
// two queries for the group instead of two for each comment: the group's
// writes change neither (the stories' counts are not read). It also keeps
// the comments the group accepts, and when each of its signed-in posters
// last commented, read with the users then kept as the group accepts
// their comments.
type groupRows struct {
	stories  map[uint]*Story
	users    map[uint]*User
	lastSeen map[uint]time.Time // by user id; none: never commented
	accepted []*Comment
}

// groupUser is a signed-in poster of a group and their latest comment.
type groupUser struct {
	ID            uint
	Name, Role    string
	LatestComment *time.Time
}

// latestCommentSQL is a user's latest comment time, for the users query of
// readGroupRows: one search of idx_comments_user_created a user. A scalar
// subquery keeps the column's declared type on SQLite, so that it reads
// back as a time (max() would give text).
const latestCommentSQL = "(SELECT created_at FROM comments WHERE comments.user_id = users.id ORDER BY created_at DESC LIMIT 1) AS latest_comment"

// readGroupUsers reads the users ids and their latest comments into users.
func readGroupUsers(tx *gorm.DB, ids []uint, users *[]groupUser) error {
	return tx.Table("users").Select("id, name, role, "+latestCommentSQL).Where("id IN ?", inList(ids)).Scan(users).Error
}

// inList returns ids (not empty) for an IN list, its length rounded up to
// a power of two by repeating the last id: the same list, but in one of
// nine statement texts for up to maxPostBatch ids instead of one a length,
// so that a group's reads and counts do not fill the writer's statement
// pool (maxPooledStmts) with one statement a group size.
func inList(ids []uint) []uint {
	n := 1
	for n < len(ids) {
		n <<= 1
	}
	out := make([]uint, n)
	copy(out, ids)
	for i := len(ids); i < n; i++ {
		out[i] = ids[len(ids)-1]
	}
	return out
}

// readGroupRows reads the rows the rules of group's posts need. On
// PostgreSQL the signed-in posters are locked first (lockUsers), so that
// the latest comments read after are the ones another process committed.
func (s *Store) readGroupRows(tx *gorm.DB, group []*pendingPost) (*groupRows, error) {
	var storyIDs, userIDs []uint
	for _, p := range group {
		storyIDs = append(storyIDs, p.in.StoryID)
		if p.in.Poster.UserID != nil {
			userIDs = append(userIDs, *p.in.Poster.UserID)
		}
	}
	// Each id once, in order: fewer lengths of IN list to prepare (each
	// is a statement of the pool), and the order lockUsers needs.
	slices.Sort(storyIDs)
	slices.Sort(userIDs)
	storyIDs, userIDs = slices.Compact(storyIDs), slices.Compact(userIDs)
	var stories []Story
	if err := tx.Select("id", "author_id", "status", "comments_closed").Where("id IN ?", inList(storyIDs)).Find(&stories).Error; err != nil {
		return nil, fmt.Errorf("stories of the comments: %w", err)
	}
	var users []groupUser
	if len(userIDs) > 0 {
		if err := s.d.lockUsers(tx, userIDs, s.now()); err != nil {
			return nil, err
		}
		if err := readGroupUsers(tx, userIDs, &users); err != nil {
			return nil, fmt.Errorf("writers of the comments: %w", err)
		}
	}
	rows := &groupRows{stories: make(map[uint]*Story, len(stories)), users: make(map[uint]*User, len(users)),
		lastSeen: make(map[uint]time.Time, len(users))}
	for i := range stories {
		rows.stories[stories[i].ID] = &stories[i]
	}
	for _, u := range users {
		rows.users[u.ID] = &User{ID: u.ID, Name: u.Name, Role: u.Role}
		if u.LatestComment != nil {
			rows.lastSeen[u.ID] = *u.LatestComment
		}
	}
	return rows, nil
}

// accept adds c to the comments the group inserts.
func (rows *groupRows) accept(c *Comment) {
	rows.accepted = append(rows.accepted, c)
	if c.UserID != nil && c.CreatedAt.After(rows.lastSeen[*c.UserID]) {
		rows.lastSeen[*c.UserID] = c.CreatedAt
	}
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
