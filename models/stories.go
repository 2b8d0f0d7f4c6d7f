package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PageSize is the number of stories on a list page.
const PageSize = 10

// StoryFilter narrows a list of published stories. Zero fields do not filter.
type StoryFilter struct {
	CategoryID uint
	TagID      uint
	AuthorID   uint
	CompanyID  uint
	// From and To bound the publication time: From <= published_at < To.
	From, To time.Time
}

// StoryPage is one page of a list of stories.
type StoryPage struct {
	Stories []Story
	Page    int
	Pages   int
	Total   int64
}

// PublishedStories returns page n (from 1) of the published stories that
// match f, newest first, with their author, company, categories and tags.
// A page past the last one is ErrNotFound; page 1 of an empty list is not.
func (s *Store) PublishedStories(ctx context.Context, f StoryFilter, n int) (StoryPage, error) {
	if n < 1 {
		return StoryPage{}, ErrNotFound
	}
	total, err := s.countStories(ctx, f)
	if err != nil {
		return StoryPage{}, fmt.Errorf("count stories: %w", err)
	}
	pages := int((total + PageSize - 1) / PageSize)
	if n > max(pages, 1) {
		return StoryPage{}, ErrNotFound
	}
	var stories []Story
	err = withStoryRefs(s.filtered(ctx, f)).
		Order("stories.published_at DESC, stories.id DESC").
		Limit(PageSize).Offset((n - 1) * PageSize).
		Find(&stories).Error
	if err != nil {
		return StoryPage{}, fmt.Errorf("list stories: %w", err)
	}
	return StoryPage{Stories: stories, Page: n, Pages: pages, Total: total}, nil
}

func (s *Store) filtered(ctx context.Context, f StoryFilter) *gorm.DB {
	q := s.r.WithContext(ctx).Model(&Story{}).Where("stories.status = ?", StatusPublished)
	if f.CategoryID != 0 {
		q = q.Where("stories.id IN (SELECT story_id FROM story_categories WHERE category_id = ?)", f.CategoryID)
	}
	if f.TagID != 0 {
		q = q.Where("stories.id IN (SELECT story_id FROM story_tags WHERE tag_id = ?)", f.TagID)
	}
	if f.AuthorID != 0 {
		q = q.Where("stories.author_id = ?", f.AuthorID)
	}
	if f.CompanyID != 0 {
		q = q.Where("stories.company_id = ?", f.CompanyID)
	}
	if !f.From.IsZero() {
		q = q.Where("stories.published_at >= ? AND stories.published_at < ?", f.From.UTC(), f.To.UTC())
	}
	return q
}

// withStoryRefs loads what a story card shows, in one query per relation.
func withStoryRefs(q *gorm.DB) *gorm.DB {
	return q.Preload("Author").Preload("Company").
		Preload("Categories", func(db *gorm.DB) *gorm.DB { return db.Order("position, name") }).
		Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Order("name") })
}

// PublishedStory returns the published story with this slug.
func (s *Store) PublishedStory(ctx context.Context, slug string) (*Story, error) {
	var st Story
	err := withStoryRefs(s.r.WithContext(ctx)).
		Preload("Updates", func(db *gorm.DB) *gorm.DB { return db.Order("created_at, id") }).
		Where("slug = ? AND status = ?", slug, StatusPublished).Take(&st).Error
	if err != nil {
		return nil, fmt.Errorf("story %q: %w", slug, notFound(err))
	}
	return &st, nil
}

// StoryLink is what a link to a story needs.
type StoryLink struct {
	Title       string
	Slug        string
	PublishedAt time.Time
}

// Neighbours returns the published stories just before and after st, or nil.
func (s *Store) Neighbours(ctx context.Context, st *Story) (prev, next *StoryLink, err error) {
	find := func(cond, order string) (*StoryLink, error) {
		var links []StoryLink
		err := s.r.WithContext(ctx).Model(&Story{}).Select("title, slug, published_at").
			Where("status = ?", StatusPublished).
			Where(cond, st.PublishedAt, st.PublishedAt, st.PublishedAt, st.ID).
			Order(order).Limit(1).Find(&links).Error
		if err != nil || len(links) == 0 {
			return nil, err
		}
		return &links[0], nil
	}
	// The first bound repeats the condition in a form the planner can start
	// the index range from: with the times as two parameters, it cannot tell
	// that they are one, and would read every published story.
	if prev, err = find("published_at <= ? AND (published_at < ? OR (published_at = ? AND id < ?))", "published_at DESC, id DESC"); err != nil {
		return nil, nil, fmt.Errorf("previous story: %w", err)
	}
	if next, err = find("published_at >= ? AND (published_at > ? OR (published_at = ? AND id > ?))", "published_at, id"); err != nil {
		return nil, nil, fmt.Errorf("next story: %w", err)
	}
	return prev, next, nil
}

// Related returns up to n published stories that share a category or the
// company with st, those sharing the company first, newest first.
func (s *Store) Related(ctx context.Context, st *Story, n int) ([]StoryLink, error) {
	cats := make([]uint, 0, len(st.Categories))
	for _, c := range st.Categories {
		cats = append(cats, c.ID)
	}
	company := uint(0)
	if st.CompanyID != nil {
		company = *st.CompanyID
	}
	var links []StoryLink
	err := s.r.WithContext(ctx).Model(&Story{}).Select("title, slug, published_at").
		Where("status = ? AND id <> ?", StatusPublished, st.ID).
		Where("company_id = ? OR id IN (SELECT story_id FROM story_categories WHERE category_id IN ?)", company, append(cats, 0)).
		Order(gorm.Expr("company_id IS ? DESC, published_at DESC", company)).
		Limit(n).Find(&links).Error
	if err != nil {
		return nil, fmt.Errorf("related to %q: %w", st.Slug, err)
	}
	return links, nil
}

// Comments returns the approved comments of a story, oldest first, with
// their signed-in authors.
func (s *Store) Comments(ctx context.Context, storyID uint) ([]Comment, error) {
	var cs []Comment
	err := s.r.WithContext(ctx).Preload("User").
		Where("story_id = ? AND status = ?", storyID, CommentApproved).
		Order("created_at, id").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("comments of story %d: %w", storyID, err)
	}
	return cs, nil
}
