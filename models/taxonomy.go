package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CategoryBySlug returns the category with this slug.
func (s *Store) CategoryBySlug(ctx context.Context, slug string) (*Category, error) {
	return findBy[Category](ctx, s, "slug", slug, "category")
}

// TagBySlug returns the tag with this slug, if a published story has it:
// a tag typed only on drafts (or on an edit waiting for review) is nobody
// else's business, so it is not found.
func (s *Store) TagBySlug(ctx context.Context, slug string) (*Tag, error) {
	return findPublic[Tag](ctx, s, "tags", countTag, slug, "tag")
}

// CompanyBySlug returns the company with this slug, if a published story is
// about it (ErrNotFound otherwise, as for TagBySlug).
func (s *Store) CompanyBySlug(ctx context.Context, slug string) (*Company, error) {
	return findPublic[Company](ctx, s, "companies", countCompany, slug, "company")
}

// findPublic returns the row of T in table with this slug if story_counts
// counts published stories for it (kind names the count).
func findPublic[T any](ctx context.Context, s *Store, table, kind, slug, what string) (*T, error) {
	var row T
	err := s.r.WithContext(ctx).Table(table).Where(table+".slug = CAST(? AS TEXT)", slug).
		Where("EXISTS (SELECT 1 FROM story_counts sc WHERE sc.kind = CAST(? AS TEXT) AND sc.key = "+table+".id AND sc.n > 0)", kind).
		Take(&row).Error
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", what, slug, notFound(err))
	}
	return &row, nil
}

// UserByHandle returns the user with this handle.
func (s *Store) UserByHandle(ctx context.Context, handle string) (*User, error) {
	return findBy[User](ctx, s, "handle", handle, "user")
}

// findBy returns the row of T whose column equals value; what names T in errors.
func findBy[T any](ctx context.Context, s *Store, column, value, what string) (*T, error) {
	var row T
	if err := s.r.WithContext(ctx).Where(column+" = ?", value).Take(&row).Error; err != nil {
		return nil, fmt.Errorf("%s %q: %w", what, value, notFound(err))
	}
	return &row, nil
}

// RecentComment is a line of the sidebar's recent comments.
type RecentComment struct {
	ID         uint
	AuthorName string
	StoryTitle string
	StorySlug  string
	CreatedAt  time.Time
}

// Month is a month that has published stories.
type Month struct {
	Month string // "2026-01"
	Count int
}

// Path is the month's archive path: "2026/01".
func (m Month) Path() string { return strings.Replace(m.Month, "-", "/", 1) }

// Label is the month's name: "January 2026".
func (m Month) Label() string {
	t, err := time.Parse("2006-01", m.Month)
	if err != nil {
		return m.Month
	}
	return t.Format("January 2006")
}

// Sidebar is what every page shows beside its content.
type Sidebar struct {
	Categories     []Category
	Companies      []Company
	RecentStories  []StoryLink
	RecentComments []RecentComment
	Months         []Month
}

// Sidebar returns the categories with their counts of published stories, the
// companies with the most stories, the latest stories and comments, and the
// months with stories: five queries, each reading about as many rows as it
// returns (the counts are kept in story_counts).
func (s *Store) Sidebar(ctx context.Context) (Sidebar, error) {
	var sb Sidebar
	db := s.r.WithContext(ctx)
	err := db.Model(&Category{}).
		Select("categories.*, COALESCE(sc.n, 0) AS story_count").
		Joins("LEFT JOIN story_counts sc ON sc.kind = CAST(? AS TEXT) AND sc.key = categories.id", countCategory).
		Order("categories.position, categories.name").Find(&sb.Categories).Error
	if err != nil {
		return sb, fmt.Errorf("sidebar categories: %w", err)
	}
	err = db.Model(&Company{}).
		Select("companies.*, sc.n AS story_count").
		Joins("JOIN story_counts sc ON sc.kind = CAST(? AS TEXT) AND sc.key = companies.id", countCompany).
		Order("sc.n DESC, companies.name").Limit(10).Find(&sb.Companies).Error
	if err != nil {
		return sb, fmt.Errorf("sidebar companies: %w", err)
	}
	err = db.Model(&Story{}).Select("title, slug, published_at").Where("status = CAST(? AS TEXT)", StatusPublished).
		Order("published_at DESC, id DESC").Limit(5).Find(&sb.RecentStories).Error
	if err != nil {
		return sb, fmt.Errorf("sidebar stories: %w", err)
	}
	err = db.Table("comments").
		Select("comments.id, comments.author_name, comments.created_at, stories.title AS story_title, stories.slug AS story_slug").
		Joins("JOIN stories ON stories.id = comments.story_id").
		Where("comments.status = CAST(? AS TEXT) AND stories.status = CAST(? AS TEXT)", CommentApproved, StatusPublished).
		Order("comments.created_at DESC, comments.id DESC").Limit(5).Scan(&sb.RecentComments).Error
	if err != nil {
		return sb, fmt.Errorf("sidebar comments: %w", err)
	}
	var months []struct{ Key, N int }
	err = db.Raw("SELECT key, n FROM story_counts WHERE kind = CAST(? AS TEXT) AND key > 0 ORDER BY key DESC LIMIT 24", countMonth).
		Scan(&months).Error
	if err != nil {
		return sb, fmt.Errorf("sidebar months: %w", err)
	}
	for _, m := range months {
		sb.Months = append(sb.Months, Month{Month: monthOfKey(m.Key), Count: m.N})
	}
	return sb, nil
}
