package models

import (
	"context"
	"fmt"
	"strconv"
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
	q, err := s.filtered(ctx, f, n*PageSize)
	if err != nil {
		return StoryPage{}, fmt.Errorf("list stories: %w", err)
	}
	var stories []Story
	err = withStoryRefs(q).
		Order("stories.published_at DESC, stories.id DESC").
		Limit(PageSize).Offset((n - 1) * PageSize).
		Find(&stories).Error
	if err != nil {
		return StoryPage{}, fmt.Errorf("list stories: %w", err)
	}
	return StoryPage{Stories: stories, Page: n, Pages: pages, Total: total}, nil
}

// filtered selects the published stories that match f, to be read the
// first rows deep in publication order (-1: all of them, as a count does).
// A category or tag is matched the cheaper way for its size; see scanLinks.
func (s *Store) filtered(ctx context.Context, f StoryFilter, rows int) (*gorm.DB, error) {
	status := "stories.status = CAST(? AS TEXT)"
	var links []string
	var args []any
	for _, l := range []struct {
		id                  uint
		kind, table, column string
	}{
		{f.CategoryID, countCategory, "story_categories", "category_id"},
		{f.TagID, countTag, "story_tags", "tag_id"},
	} {
		if l.id == 0 {
			continue
		}
		scan, err := s.scanLinks(ctx, l.kind, []uint{l.id}, rows)
		if err != nil {
			return nil, err
		}
		if !scan {
			status = "+" + status // read the links first, not publication order
		}
		links, args = append(links, linkCond(l.table, l.column, scan)), append(args, []uint{l.id})
	}
	q := s.r.WithContext(ctx).Model(&Story{}).Where(status, StatusPublished)
	for i, cond := range links {
		q = q.Where(cond, args[i])
	}
	if f.AuthorID != 0 {
		q = q.Where("stories.author_id = CAST(? AS INTEGER)", f.AuthorID)
	}
	if f.CompanyID != 0 {
		q = q.Where("stories.company_id = CAST(? AS INTEGER)", f.CompanyID)
	}
	if !f.From.IsZero() {
		q = q.Where("stories.published_at >= ? AND stories.published_at < ?", f.From.UTC(), f.To.UTC())
	}
	return q, nil
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
		Preload("Updates", publicUpdates).
		Where("slug = ? AND status = ?", slug, StatusPublished).Take(&st).Error
	if err != nil {
		return nil, fmt.Errorf("story %q: %w", slug, notFound(err))
	}
	sortUpdates(&st)
	if st.RepliedAt != nil { // only stories with a reply pay its queries
		if st.Reply, err = s.CompanyReplyOf(ctx, st.ID); err != nil {
			return nil, fmt.Errorf("story %q: %w", slug, err)
		}
	}
	return &st, nil
}

// PublishedStoryID returns the id of the published story at slug: what
// posting to it needs, without the text and references PublishedStory loads.
func (s *Store) PublishedStoryID(ctx context.Context, slug string) (uint, error) {
	var ids []uint
	err := s.r.WithContext(ctx).Model(&Story{}).Where("slug = ? AND status = ?", slug, StatusPublished).Limit(1).Pluck("id", &ids).Error
	if err == nil && len(ids) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("story %q: %w", slug, err)
	}
	return ids[0], nil
}

// StoryLink is what a link to a story needs.
type StoryLink struct {
	Title       string
	Slug        string
	PublishedAt time.Time
}

// Neighbours returns the published stories just before and after st, or
// nil, in one query.
func (s *Store) Neighbours(ctx context.Context, st *Story) (prev, next *StoryLink, err error) {
	// Each side starts with a bound that repeats its condition in a form the
	// planner can start the index range from: with the time as two
	// parameters, it cannot tell that they are one, and would read every
	// published story.
	const side = `SELECT * FROM (SELECT title, slug, published_at, %[1]d AS after FROM stories
		WHERE status = CAST(? AS TEXT) AND published_at %[2]s= %[4]s AND (published_at %[2]s %[4]s OR (published_at = %[4]s AND id %[2]s ?))
		ORDER BY published_at %[3]s, id %[3]s LIMIT 1) AS side%[1]d`
	at := s.d.timeParam()
	q := fmt.Sprintf(side, 0, "<", "DESC", at) + " UNION ALL " + fmt.Sprintf(side, 1, ">", "ASC", at)
	side1 := []any{StatusPublished, st.PublishedAt, st.PublishedAt, st.PublishedAt, st.ID}
	var rows []struct {
		StoryLink
		After bool
	}
	if err := s.r.WithContext(ctx).Raw(q, append(side1, side1...)...).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("neighbours of %q: %w", st.Slug, err)
	}
	for _, r := range rows {
		if r.After {
			next = &r.StoryLink
		} else {
			prev = &r.StoryLink
		}
	}
	return prev, next, nil
}

// Related returns up to n published stories that share a category or the
// company with st, those sharing the company first, newest first: the
// newest n of each kind, in one query.
func (s *Store) Related(ctx context.Context, st *Story, n int) ([]StoryLink, error) {
	cats := make([]uint, 0, len(st.Categories))
	for _, c := range st.Categories {
		cats = append(cats, c.ID)
	}
	company := uint(0)
	if st.CompanyID != nil {
		company = *st.CompanyID
	}
	// +status: the company's index, in publication order, not the status one.
	q := `SELECT * FROM (SELECT title, slug, published_at, id, 0 AS grp FROM stories
		WHERE company_id = CAST(? AS INTEGER) AND +status = CAST(? AS TEXT) AND id <> CAST(? AS INTEGER)
		ORDER BY published_at DESC, id DESC LIMIT ` + strconv.Itoa(n) + `) AS same_company`
	args := []any{company, StatusPublished, st.ID}
	if len(cats) > 0 {
		scan, err := s.scanLinks(ctx, countCategory, cats, n)
		if err != nil {
			return nil, fmt.Errorf("related to %q: %w", st.Slug, err)
		}
		status := "status = CAST(? AS TEXT)"
		if !scan {
			status = "+" + status
		}
		q += ` UNION ALL SELECT * FROM (SELECT title, slug, published_at, id, 1 AS grp FROM stories
			WHERE ` + status + ` AND id <> CAST(? AS INTEGER) AND company_id IS NOT ? AND ` + linkCond("story_categories", "category_id", scan) + `
			ORDER BY published_at DESC, id DESC LIMIT ` + strconv.Itoa(n) + `) AS same_category`
		args = append(args, StatusPublished, st.ID, company, cats)
	}
	var links []StoryLink
	err := s.r.WithContext(ctx).Raw("SELECT title, slug, published_at FROM ("+q+") AS related ORDER BY grp, published_at DESC, id DESC LIMIT "+strconv.Itoa(n),
		args...).Scan(&links).Error
	if err != nil {
		return nil, fmt.Errorf("related to %q: %w", st.Slug, err)
	}
	return links, nil
}
