package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// FeedSize is the number of items in a feed.
const FeedSize = 20

// RecentStories returns the n newest published stories matching f, with
// their author, company, categories and tags.
func (s *Store) RecentStories(ctx context.Context, f StoryFilter, n int) ([]Story, error) {
	q, err := s.filtered(ctx, f, n)
	if err != nil {
		return nil, fmt.Errorf("recent stories: %w", err)
	}
	var stories []Story
	err = withStoryRefs(q).Preload("Updates", publicUpdates).
		Order("stories.published_at DESC, stories.id DESC").Limit(n).Find(&stories).Error
	if err != nil {
		return nil, fmt.Errorf("recent stories: %w", err)
	}
	for i := range stories {
		sortUpdates(&stories[i])
	}
	return stories, nil
}

// LatestComments returns the n newest approved comments on published
// stories (on one story when storyID is not 0), with their story's title and
// slug and their signed-in author.
func (s *Store) LatestComments(ctx context.Context, storyID uint, n int) ([]Comment, error) {
	q := s.r.WithContext(ctx).Preload("User").
		Preload("Story", func(db *gorm.DB) *gorm.DB { return db.Select("id, title, slug, status, published_at") }).
		Joins("JOIN stories ON stories.id = comments.story_id AND stories.status = CAST(? AS TEXT)", StatusPublished).
		Where("comments.status = CAST(? AS TEXT) AND NOT comments.deleted", CommentApproved)
	if storyID != 0 {
		q = q.Where("comments.story_id = CAST(? AS INTEGER)", storyID)
	}
	var cs []Comment
	if err := q.Order("comments.created_at DESC, comments.id DESC").Limit(n).Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("latest comments: %w", err)
	}
	return cs, nil
}

// SitemapEntry is a page of the site with when it last changed.
type SitemapEntry struct {
	Path    string
	LastMod time.Time
}

// Sitemap returns every public page worth indexing: published stories,
// categories, tags, authors and companies that have published stories, each
// dated by its newest story. Five queries.
func (s *Store) Sitemap(ctx context.Context) ([]SitemapEntry, error) {
	db := s.r.WithContext(ctx)
	var out []SitemapEntry
	var stories []struct {
		Slug                   string
		PublishedAt, UpdatedAt time.Time
	}
	err := db.Model(&Story{}).Select("slug, published_at, updated_at").Where("status = ?", StatusPublished).
		Order("published_at DESC, id DESC").Scan(&stories).Error
	if err != nil {
		return nil, fmt.Errorf("sitemap stories: %w", err)
	}
	for _, st := range stories {
		out = append(out, SitemapEntry{Path: "/stories/" + st.Slug, LastMod: latest(st.PublishedAt, st.UpdatedAt)})
	}
	groups := []struct{ prefix, query string }{
		{"/category/", "SELECT c.slug AS slug, max(st.published_at) AS last FROM categories c JOIN story_categories sc ON sc.category_id = c.id JOIN stories st ON st.id = sc.story_id AND st.status = ? GROUP BY c.id ORDER BY c.position, c.name"},
		{"/tag/", "SELECT t.slug AS slug, max(st.published_at) AS last FROM tags t JOIN story_tags sg ON sg.tag_id = t.id JOIN stories st ON st.id = sg.story_id AND st.status = ? GROUP BY t.id ORDER BY t.slug"},
		{"/author/", "SELECT u.handle AS slug, max(st.published_at) AS last FROM users u JOIN stories st ON st.author_id = u.id AND st.status = ? WHERE u.handle <> '" + DeletedUserHandle + "' GROUP BY u.id ORDER BY u.handle"},
		{"/company/", "SELECT co.slug AS slug, max(st.published_at) AS last FROM companies co JOIN stories st ON st.company_id = co.id AND st.status = ? GROUP BY co.id ORDER BY co.slug"},
	}
	for _, g := range groups {
		var rows []struct {
			Slug string
			Last string
		}
		if err := db.Raw(g.query, StatusPublished).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("sitemap %s: %w", g.prefix, err)
		}
		for _, r := range rows {
			out = append(out, SitemapEntry{Path: g.prefix + r.Slug, LastMod: parseSQLiteTime(r.Last)})
		}
	}
	return out, nil
}

// parseSQLiteTime reads a time as the SQLite driver stores it, for
// aggregates (max) that come back as text; a zero time if it cannot.
func parseSQLiteTime(v string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// publicUpdates preloads the updates readers see; sortUpdates puts them
// oldest first. Not ORDER BY: with it, SQLite plans the preload's
// "story_id = ?" (one story) for the value bound, and so prepares the
// statement again at every run.
func publicUpdates(db *gorm.DB) *gorm.DB {
	return db.Where("pending = ?", false)
}

// sortUpdates puts st's updates oldest first.
func sortUpdates(st *Story) {
	slices.SortFunc(st.Updates, func(a, b StoryUpdate) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
