package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// groupOf prepares posts as PostComment does, to commit them as one group.
func groupOf(t *testing.T, posts ...CommentPost) []*pendingPost {
	t.Helper()
	var group []*pendingPost
	for _, in := range posts {
		p, err := preparePost(context.Background(), in)
		must(t, err)
		group = append(group, p)
	}
	return group
}

// A refused comment in a group leaves the others in, and the rules apply
// inside a group as between groups: the flood rule sees the comment just
// before it in the same transaction, moderation holds what it held.
func TestCommitGroupRefusalsStayApart(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	author := newUser(t, s, "ana", RoleAuthor)
	rita, max, zoe := newUser(t, s, "rita", RoleReader), newUser(t, s, "max", RoleReader), newUser(t, s, "zoe", RoleReader)
	st := newStory(t, s, author, "Box", time.Time{})
	closed := newStory(t, s, author, "Closed", time.Time{})
	must(t, s.SetCommentsClosed(ctx, closed.ID, author.ID, true))
	links := "see https://a.example https://b.example and https://c.example"
	group := groupOf(t,
		userPost(st.ID, rita, "first"),
		userPost(st.ID, rita, "second, too soon"),
		userPost(closed.ID, max, "on a closed story"),
		CommentPost{StoryID: st.ID, ParentID: new(uint(9999)), Poster: Poster{UserID: &zoe.ID}, Body: "reply to nothing"},
		userPost(st.ID, max, links),
		userPost(st.ID, author, links),
		guestPost(st.ID, "1.2.3.4", "guest@example.org", "a guest"),
	)
	commits := func() uint64 { s.gen.mu.Lock(); defer s.gen.mu.Unlock(); return s.gen.commits }
	before := commits()
	s.commitGroup(group)
	if n := commits() - before; n != 1 {
		t.Errorf("%d transactions committed, want one for the group", n)
	}
	var soon *TooSoonError
	for i, want := range []struct {
		ok     bool
		status string
		check  func(error) bool
	}{
		{true, CommentApproved, nil},
		{false, "", func(err error) bool { return errors.As(err, &soon) }},
		{false, "", func(err error) bool { return errors.Is(err, ErrCommentsClosed) }},
		{false, "", func(err error) bool { return fieldsOf(err)["parent"] != "" }},
		{true, CommentPending, nil},
		{true, CommentApproved, nil},
		{true, CommentPending, nil},
	} {
		err := <-group[i].done
		switch {
		case want.ok && err != nil:
			t.Errorf("post %d: %v", i, err)
		case want.ok && group[i].c.Status != want.status:
			t.Errorf("post %d: status %s, want %s", i, group[i].c.Status, want.status)
		case !want.ok && (err == nil || !want.check(err)):
			t.Errorf("post %d: %v, want a refusal", i, err)
		}
	}
	var n int64
	must(t, s.r.Model(&Comment{}).Count(&n).Error)
	if n != 4 {
		t.Errorf("%d comments saved, want 4", n)
	}
	if got := storyCommentCount(t, s, st.ID); got != 2 {
		t.Errorf("comment_count %d, want 2", got)
	}
}

// A write that fails undoes the group's transaction: every post is then
// committed alone, so that only the failing one is refused.
func TestCommitGroupRetriesAloneAfterFailedWrite(t *testing.T) {
	s, _ := newTestStore(t)
	author := newUser(t, s, "ana", RoleAuthor)
	rita, max := newUser(t, s, "rita", RoleReader), newUser(t, s, "max", RoleReader)
	st := newStory(t, s, author, "Box", time.Time{})
	// The trigger is the test's own: its database is not used again.
	must(t, s.w.Exec("CREATE TRIGGER IF NOT EXISTS refuse_bad BEFORE INSERT ON comments WHEN NEW.body LIKE '%FAIL%' BEGIN SELECT RAISE(ABORT, 'refused'); END").Error)
	group := groupOf(t, userPost(st.ID, rita, "fine"), userPost(st.ID, max, "FAIL here"), userPost(st.ID, author, "fine too"))
	s.commitGroup(group)
	for i, wantErr := range []bool{false, true, false} {
		if err := <-group[i].done; (err != nil) != wantErr {
			t.Errorf("post %d: %v", i, err)
		}
	}
	if got := storyCommentCount(t, s, st.ID); got != 2 {
		t.Errorf("comment_count %d, want 2", got)
	}
}

// Under concurrency each person gets exactly one comment per flood
// interval, and moderation holds what it holds one post at a time.
func TestPostCommentConcurrentFloodAndModeration(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	author := newUser(t, s, "ana", RoleAuthor)
	st := newStory(t, s, author, "Box", time.Time{})
	const people, tries = 16, 4
	readers := make([]*User, people)
	for i := range readers {
		readers[i] = newUser(t, s, fmt.Sprintf("reader%d", i), RoleReader)
	}
	links := " https://a.example https://b.example https://c.example"
	type result struct {
		reader int
		c      *Comment
		held   bool
		err    error
	}
	results := make(chan result, people*tries)
	var wg sync.WaitGroup
	for i := range people * tries {
		wg.Go(func() {
			r, body := i%people, fmt.Sprint("comment ", i)
			if r%2 == 1 {
				body += links
			}
			c, held, err := s.PostComment(ctx, userPost(st.ID, readers[r], body))
			results <- result{r, c, held, err}
		})
	}
	wg.Wait()
	close(results)
	accepted := map[int]int{}
	for res := range results {
		var soon *TooSoonError
		switch {
		case res.err == nil:
			accepted[res.reader]++
			if res.held != (res.reader%2 == 1) {
				t.Errorf("reader %d: held %v", res.reader, res.held)
			}
		case !errors.As(res.err, &soon):
			t.Errorf("reader %d: %v", res.reader, res.err)
		}
	}
	for r := range people {
		if accepted[r] != 1 {
			t.Errorf("reader %d: %d comments accepted, want 1", r, accepted[r])
		}
	}
	if got := storyCommentCount(t, s, st.ID); got != people/2 {
		t.Errorf("comment_count %d, want %d", got, people/2)
	}
}

// A panic while a group is committed answers its posts with an error and
// passes the turn on: posting goes on after it.
func TestPostQueueSurvivesAPanic(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	author, rita := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "rita", RoleReader)
	st := newStory(t, s, author, "Box", time.Time{})
	must(t, s.w.Callback().Create().Before("gorm:create").Register("test:panic", func(db *gorm.DB) {
		if cs, ok := db.Statement.Dest.(*[]*Comment); ok && slices.ContainsFunc(*cs, func(c *Comment) bool { return strings.Contains(c.Body, "PANIC") }) {
			panic("test panic")
		}
	}))
	func() {
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		_, _, _ = s.PostComment(ctx, userPost(st.ID, rita, "PANIC"))
	}()
	clock.Add(FloodInterval)
	done := make(chan error, 1)
	go func() { _, _, err := s.PostComment(ctx, userPost(st.ID, rita, "fine")); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("posting is stuck after a panic")
	}
}

// A group's comments go into the search index by story: FTS4 starts a new
// segment whenever a docid (story id, then comment id) goes down, so a
// group posted round the stories, newest first, would make a segment per
// comment. Each story's comments still go in the order they came, and
// each story counts its own.
func TestCommitGroupIndexesByStory(t *testing.T) {
	onPostgres(t, "the segments of SQLite's FTS4 index")
	s, _ := newTestStore(t)
	author := newUser(t, s, "ana", RoleAuthor)
	var stories []*Story
	for i := range 4 {
		stories = append(stories, newStory(t, s, author, fmt.Sprint("Story ", i), time.Time{}))
	}
	var posts []CommentPost
	for round := range 3 { // story i gets min(i+1, 3) comments
		for i := len(stories) - 1; i >= round; i-- {
			u := newUser(t, s, fmt.Sprintf("reader-%d-%d", round, i), RoleReader)
			posts = append(posts, userPost(stories[i].ID, u, fmt.Sprint("round ", round)))
		}
	}
	segments := func() (n int64) {
		must(t, s.r.Raw("SELECT count(*) FROM comment_search_segdir").Scan(&n).Error)
		return n
	}
	before := segments()
	group := groupOf(t, posts...)
	s.commitGroup(group)
	for i, p := range group {
		if err := <-p.done; err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	if n := segments() - before; n != 1 {
		t.Errorf("%d segments added to the comment index for %d comments in one shard, want 1", n, len(posts))
	}
	for i, st := range stories {
		var bodies []string
		must(t, s.r.Model(&Comment{}).Where("story_id = ?", st.ID).Order("id").Pluck("body", &bodies).Error)
		if want := []string{"round 0", "round 1", "round 2"}[:min(i+1, 3)]; !slices.Equal(bodies, want) {
			t.Errorf("story %d: comments %q by id, want %q", st.ID, bodies, want)
		}
		if got := storyCommentCount(t, s, st.ID); got != len(bodies) {
			t.Errorf("story %d: comment_count %d, want %d", st.ID, got, len(bodies))
		}
	}
}

// The flood rule sees the comments of its own group, which are inserted
// together once the rules have run: of one person's two posts in a group
// (signed in, a guest by address, a guest by IPv6 network), on stories in
// either order, one is saved and the other told to wait the whole interval.
func TestCommitGroupFloodWithinTheGroup(t *testing.T) {
	s, _ := newTestStore(t)
	author, rita := newUser(t, s, "ana", RoleAuthor), newUser(t, s, "rita", RoleReader)
	first := newStory(t, s, author, "First", time.Time{})
	second := newStory(t, s, author, "Second", time.Time{})
	group := groupOf(t,
		userPost(second.ID, rita, "on the second story"),
		userPost(first.ID, rita, "then on the first"),
		guestPost(second.ID, "192.0.2.1", "a@example.org", "a guest"),
		guestPost(first.ID, "192.0.2.1", "a@example.org", "the same guest"),
		guestPost(first.ID, "192.0.2.2", "b@example.org", "another guest"),
		guestPost(second.ID, "2001:db8::1", "c@example.org", "a guest in a network"),
		guestPost(first.ID, "2001:db8::2", "c@example.org", "the same network"),
	)
	s.commitGroup(group)
	saved := 0
	for i, p := range group {
		var soon *TooSoonError
		switch err := <-p.done; {
		case err == nil:
			saved++
			// Each post learns the id of its own row, from the one INSERT.
			var c Comment
			must(t, s.r.Take(&c, p.c.ID).Error)
			if c.Body != p.c.Body || c.StoryID != p.c.StoryID {
				t.Errorf("post %d (%q): its id %d is the row of %q", i, p.c.Body, p.c.ID, c.Body)
			}
		case !errors.As(err, &soon) || soon.Wait != FloodInterval:
			t.Errorf("post %d: %v, want a wait of %v", i, err, FloodInterval)
		}
	}
	if saved != 4 {
		t.Errorf("%d comments saved, want 4: one a person", saved)
	}
	var n int64
	must(t, s.r.Model(&Comment{}).Count(&n).Error)
	if n != 4 {
		t.Errorf("%d comments in the table, want 4", n)
	}
}

// The writer keeps a prepared statement a text, up to maxPooledStmts: the
// IN lists of a group's reads and counts come in a few lengths, not one a
// group size.
func TestCommitGroupStatementsFewLengths(t *testing.T) {
	onPostgres(t, "the statements of SQLite's single writer connection")
	s, clock := newTestStore(t)
	author := newUser(t, s, "ana", RoleAuthor)
	const most = 20
	var stories []*Story
	var readers []*User
	for i := range most {
		stories = append(stories, newStory(t, s, author, fmt.Sprint("Story ", i), time.Time{}))
		readers = append(readers, newUser(t, s, fmt.Sprint("reader", i), RoleReader))
	}
	for size := 1; size <= most; size++ {
		clock.Add(FloodInterval)
		var posts []CommentPost
		for i := range size {
			posts = append(posts, userPost(stories[i].ID, readers[i], fmt.Sprint("comment ", size)))
		}
		group := groupOf(t, posts...)
		s.commitGroup(group)
		for i, p := range group {
			if err := <-p.done; err != nil {
				t.Fatalf("group of %d, post %d: %v", size, i, err)
			}
		}
	}
	pool := s.w.ConnPool.(*stmtPool)
	for _, head := range []string{"SELECT `id`,`author_id`", "SELECT id, name, role", "UPDATE `stories` SET `comment_count`"} {
		n := 0
		for q := range pool.stmts {
			if strings.HasPrefix(q, head) {
				n++
			}
		}
		if n == 0 || n > 6 { // 1, 2, 4, 8, 16, 32
			t.Errorf("%d statements %s... kept for groups of 1 to %d, want 1 to 6", n, head, most)
		}
	}
}
