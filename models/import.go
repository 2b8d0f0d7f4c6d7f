package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ImportStory is a story to import in bulk with its comments and reactions
// (the seed command's unit). Everything derived from it (HTML, excerpt,
// plain text, slug, counts, the search index) is computed as a save would.
type ImportStory struct {
	Story    StoryInput // Status must be published or draft; PublishedAt set for published
	Comments []ImportComment
	Likers   []uint // users who like the story, each once
	MeToos   []uint // users who say "me too", each once
	// Origin, when set, says where the story comes from: recorded with it,
	// in the same transaction, so that a second import skips it.
	Origin *ImportOrigin
}

// ImportOrigin is what an imported story was on another site.
type ImportOrigin struct {
	Source string // the other site (see ImportKey)
	Key    string // the story's id there
	Slug   string // the slug it had, kept here when free (published stories)
	Note   string // for the author, shown as a review note
	Closed bool   // comments were closed there: closed here too
	// Modified is when it was last changed there; zero: when published.
	Modified time.Time
	Paths    []string // its former addresses, as LegacyKey makes them
}

// ImportComment is a comment of an ImportStory. Parent is the index, in the
// story's Comments, of the comment it answers (which must come before it),
// or -1. A comment with UserID set takes that user's name.
type ImportComment struct {
	Parent      int
	UserID      *uint
	AuthorName  string
	AuthorEmail string
	AuthorURL   string
	IP          string
	Body        string
	Status      string
	CreatedAt   time.Time
}

// ImportBatch is a set of stories rendered and checked by PrepareImport,
// ready for Import.
type ImportBatch struct {
	stories  []Story
	tags     [][]string
	comments [][]Comment
	parents  [][]int
	likers   [][]uint
	metoos   [][]uint
	origins  []*ImportOrigin
	// deferStats leaves the scorecards of the batch's companies stale.
	deferStats bool
}

// DeferScorecards leaves the scorecards of the batch's companies to
// RefreshStaleStats, which the importer calls once at its end (and Open
// calls, after an import that stopped half-way): a bulk import recomputing
// every company of every batch slowed down as it grew (150 stories a
// second falling to 20 at 50,000 stories).
func (b *ImportBatch) DeferScorecards() { b.deferStats = true }

// Len is the number of stories and of comments in the batch.
func (b *ImportBatch) Len() (stories, comments int) {
	for _, cs := range b.comments {
		comments += len(cs)
	}
	return len(b.stories), comments
}

// PrepareImport validates and renders stories and comments: the CPU work of
// an import, which needs no database and may run in several goroutines.
func PrepareImport(in []ImportStory) (*ImportBatch, error) {
	b := &ImportBatch{}
	// Comments repeat one another (thanks, me too, the seed's bank of
	// lines): each different body is rendered once per batch.
	rendered := map[string]checkedBody{}
	for i, is := range in {
		if err := is.Story.validate(); err != nil {
			return nil, fmt.Errorf("story %d %q: %w", i, is.Story.Title, err)
		}
		st, err := storyOf(is.Story)
		if err != nil {
			return nil, err
		}
		cs := make([]Comment, len(is.Comments))
		parents := make([]int, len(is.Comments))
		for j, ic := range is.Comments {
			if ic.Parent >= j {
				return nil, fmt.Errorf("story %q: comment %d answers comment %d, which comes after it", st.Title, j, ic.Parent)
			}
			body := strings.TrimSpace(ic.Body)
			cb, ok := rendered[body]
			if !ok {
				if cb.pub, cb.msg, err = publishBody(body); err != nil {
					return nil, err
				}
				rendered[body] = cb
			}
			if cb.msg != "" {
				return nil, fmt.Errorf("story %q: comment %d: %s", st.Title, j, cb.msg)
			}
			cs[j] = Comment{UserID: ic.UserID, AuthorName: ic.AuthorName, AuthorEmail: ic.AuthorEmail, AuthorURL: ic.AuthorURL,
				IP: ic.IP, Status: ic.Status, CreatedAt: ic.CreatedAt.UTC()}
			cb.pub.set(&cs[j], body)
			cs[j].UpdatedAt = cs[j].CreatedAt
			parents[j] = ic.Parent
			if cs[j].Status == CommentApproved {
				st.CommentCount++
			}
		}
		st.LikeCount, st.MeTooCount = len(is.Likers), len(is.MeToos)
		b.likers, b.metoos = append(b.likers, is.Likers), append(b.metoos, is.MeToos)
		if o := is.Origin; o != nil {
			st.ReviewNote, st.CommentsClosed = truncate(o.Note, 1000), o.Closed
			if o.Modified.After(st.CreatedAt) {
				st.UpdatedAt = o.Modified.UTC()
			}
		}
		b.origins = append(b.origins, is.Origin)
		b.stories = append(b.stories, *st)
		b.tags = append(b.tags, NormalizeTags(is.Story.Tags))
		b.comments, b.parents = append(b.comments, cs), append(b.parents, parents)
	}
	return b, nil
}

// checkedBody is a comment's body checked and rendered: its published
// text, or what is wrong with it.
type checkedBody struct {
	pub published
	msg string
}

// storyOf is a new story's row as CreateStory would save it, slug aside.
func storyOf(in StoryInput) (*Story, error) {
	if in.Status != StatusPublished && in.Status != StatusDraft {
		return nil, fmt.Errorf("story %q: import only published stories and drafts", in.Title)
	}
	if in.PublishedAt == nil {
		return nil, fmt.Errorf("story %q: import needs a publication time", in.Title)
	}
	r, err := RenderStory(in.Body)
	if err != nil {
		return nil, fmt.Errorf("render story %q: %w", in.Title, err)
	}
	at := in.PublishedAt.UTC()
	st := &Story{
		Title: strings.TrimSpace(in.Title), Body: in.Body, HTML: r.HTML, Excerpt: r.Excerpt, PlainText: r.Text, ReadingMinutes: ReadingMinutes(r.Text),
		AuthorID: in.AuthorID, CompanyID: in.CompanyID, City: strings.TrimSpace(in.City),
		Status: in.Status, Resolution: in.Resolution, CreatedAt: at, UpdatedAt: at,
	}
	if st.Resolution == "" {
		st.Resolution = ResolutionOpen
	}
	if st.Status == StatusPublished {
		st.PublishedAt = &at
	}
	for _, id := range in.CategoryIDs {
		st.Categories = append(st.Categories, Category{ID: id})
	}
	return st, nil
}

// importTriggers are the search triggers an import suspends: it indexes each
// story once, with all its comments, instead of once per row.
var importTriggers = []string{"story_ins", "tag_link_ins", "comment_ins"}

// Import saves a prepared batch in one transaction on the writer: stories
// with unique slugs, their categories, tags, comments (threaded as
// AddComment threads them), likes and me-toos, then indexes the stories for
// search. It is all or nothing.
// The scorecards of the batch's companies are recomputed with it, unless
// the batch says DeferScorecards.
func (s *Store) Import(ctx context.Context, b *ImportBatch) error {
	if len(b.stories) == 0 {
		return nil
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, name := range importTriggers {
			if err := tx.Exec("DROP TRIGGER IF EXISTS " + searchTriggerVersion + name).Error; err != nil {
				return err
			}
		}
		if err := dropStatsTriggers(tx); err != nil {
			return err
		}
		if err := importRows(tx, b); err != nil {
			return err
		}
		if err := s.d.catchUpIDs(tx, "stories", "comments"); err != nil {
			return err
		}
		stats := func() error { return refreshStats(tx, companyIDsOf(b.stories)...) }
		if b.deferStats {
			stats = func() error { return markStale(tx, companyIDsOf(b.stories)) }
		}
		if err := stats(); err != nil {
			return err
		}
		if err := createStatsTriggers(tx); err != nil {
			return err
		}
		lo, hi := b.stories[0].ID, b.stories[len(b.stories)-1].ID
		if err := reindex(tx, lo, hi, maskedSource, sharded); err != nil {
			return fmt.Errorf("index stories %d-%d: %w", lo, hi, err)
		}
		for _, t := range searchTriggers {
			if err := tx.Exec(searchTriggerSQL(searchTriggerVersion, t)).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// importRows inserts the batch's rows with ids taken after the highest in
// use (the immediate transaction keeps other writers out meanwhile).
func importRows(tx *gorm.DB, b *ImportBatch) error {
	var next struct{ Story, Comment uint }
	if err := tx.Raw("SELECT COALESCE((SELECT max(id) FROM stories), 0) AS story, COALESCE((SELECT max(id) FROM comments), 0) AS comment").
		Scan(&next).Error; err != nil {
		return err
	}
	tagIDs := map[string]uint{}
	var links []StoryTag
	var cats []StoryCategory
	var comments []Comment
	for i := range b.stories {
		st := &b.stories[i]
		next.Story++
		st.ID = next.Story
		var err error
		if st.Slug, err = importSlug(tx, st, b.origins[i], b.stories[:i]); err != nil {
			return err
		}
		for _, c := range st.Categories {
			cats = append(cats, StoryCategory{StoryID: st.ID, CategoryID: c.ID})
		}
		tags, err := cachedTags(tx, tagIDs, b.tags[i])
		if err != nil {
			return err
		}
		for _, id := range tags {
			links = append(links, StoryTag{StoryID: st.ID, TagID: id})
		}
		cs := b.comments[i]
		for j := range cs {
			next.Comment++
			cs[j].ID, cs[j].StoryID = next.Comment, st.ID
			if p := b.parents[i][j]; p >= 0 {
				parent := &cs[p]
				if parent.Depth >= MaxDepth-1 {
					cs[j].ParentID, cs[j].Depth = parent.ParentID, parent.Depth
				} else {
					cs[j].ParentID, cs[j].Depth = &parent.ID, parent.Depth+1
				}
			}
		}
		comments = append(comments, cs...)
	}
	if err := nameCommenters(tx, comments); err != nil {
		return err
	}
	if err := tx.Omit(clause.Associations).CreateInBatches(b.stories, 100).Error; err != nil {
		return fmt.Errorf("import stories: %w", err)
	}
	for _, st := range b.stories {
		// Pictures brought with the import are the story's, as in a typed
		// one: shown once it is published, kept while it shows them.
		if len(pictureNames(st.Body, st.Cover)) > 0 {
			if err := linkPictures(tx, st.ID, st.Body, st.Cover); err != nil {
				return err
			}
		}
	}
	var likes []Like
	var metoos []MeToo
	for i, st := range b.stories {
		for _, u := range b.likers[i] {
			likes = append(likes, Like{StoryID: st.ID, UserID: u, CreatedAt: st.CreatedAt})
		}
		for _, u := range b.metoos[i] {
			metoos = append(metoos, MeToo{StoryID: st.ID, UserID: u, CreatedAt: st.CreatedAt})
		}
	}
	keys, paths := originRows(b)
	for _, rows := range []any{cats, links, comments, likes, metoos, keys} {
		if err := tx.Omit(clause.Associations).CreateInBatches(rows, 200).Error; err != nil && !errors.Is(err, gorm.ErrEmptySlice) {
			return fmt.Errorf("import: %w", err)
		}
	}
	// A former address another story already has keeps its first story.
	err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(paths, 200).Error
	if err != nil && !errors.Is(err, gorm.ErrEmptySlice) {
		return fmt.Errorf("import former addresses: %w", err)
	}
	return nil
}

// importSlug is storySlug for a story saved with the earlier ones of its
// batch, which are not in the table yet.
func importSlug(tx *gorm.DB, st *Story, o *ImportOrigin, earlier []Story) (string, error) {
	if st.Status != StatusPublished {
		return provisionalSlug(tx)
	}
	base := Slugify(st.Title)
	if o != nil && Slugify(o.Slug) != "" {
		base = Slugify(o.Slug)
	}
	if base == "" {
		base = storySlugs.fallback
	}
	taken, err := takenSlugs(tx, storySlugs, 0, base)
	if err != nil {
		return "", err
	}
	for _, e := range earlier {
		if e.Slug == base || strings.HasPrefix(e.Slug, base+"-") {
			taken = append(taken, e.Slug)
		}
	}
	return firstFree(base, taken), nil
}

// originRows are the import keys and former addresses of the batch's
// stories, which have their ids by now.
func originRows(b *ImportBatch) ([]ImportKey, []LegacyPath) {
	var keys []ImportKey
	var paths []LegacyPath
	for i, o := range b.origins {
		if o == nil {
			continue
		}
		id := b.stories[i].ID
		keys = append(keys, ImportKey{Source: o.Source, Kind: ImportedStory, Key: o.Key, TargetID: id})
		for _, p := range o.Paths {
			paths = append(paths, LegacyPath{Path: p, Kind: ImportedStory, TargetID: id})
		}
	}
	return keys, paths
}

// cachedTags returns the ids of the tags named, created as needed.
func cachedTags(tx *gorm.DB, ids map[string]uint, names []string) ([]uint, error) {
	var out []uint
	for _, name := range names {
		if id, ok := ids[name]; ok {
			out = append(out, id)
			continue
		}
		tags, err := ensureTags(tx, []string{name})
		if err != nil {
			return nil, err
		}
		ids[name] = tags[0].ID
		out = append(out, tags[0].ID)
	}
	return out, nil
}

// nameCommenters gives signed-in commenters' comments their user's name, as
// PostComment does.
func nameCommenters(tx *gorm.DB, cs []Comment) error {
	want := map[uint]string{}
	for _, c := range cs {
		if c.UserID != nil {
			want[*c.UserID] = ""
		}
	}
	if len(want) == 0 {
		return nil
	}
	ids := make([]uint, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	var users []User
	if err := tx.Select("id", "name").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return err
	}
	for _, u := range users {
		want[u.ID] = u.Name
	}
	for i := range cs {
		if cs[i].UserID != nil {
			name := want[*cs[i].UserID]
			if name == "" {
				return fmt.Errorf("comment by user %d: %w", *cs[i].UserID, ErrNotFound)
			}
			cs[i].AuthorName = name
		}
	}
	return nil
}

// ImportUsers saves users in one transaction, making handles unique as
// CreateUser does.
func (s *Store) ImportUsers(ctx context.Context, users []User) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range users {
			if err := createUser(tx, &users[i]); err != nil {
				return fmt.Errorf("user %q: %w", users[i].Handle, err)
			}
		}
		return nil
	})
}
