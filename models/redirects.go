package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"gorm.io/gorm"
)

// How story slugs live:
//   - A story gets a slug from its title at its first publication. Until then
//     it has a provisional slug, "draft-" and random letters, that says nothing
//     of the title and squats no good slug; it is never public, since only
//     published stories are found by slug.
//   - Once a story has been published (PublishedAt set), a change of title
//     that changes the slug's words gives it a new slug, and the old one is
//     kept in slug_redirects. Redirects point at the story, not at the next
//     slug, so a chain A -> B -> C resolves to C in one query.
//   - No story may take a slug that is, or was, another story's.

// SlugRedirect maps a story's former slug to the story, so that old links
// can answer 301.
type SlugRedirect struct {
	ID      uint   `gorm:"primaryKey"`
	OldSlug string `gorm:"size:100;not null;uniqueIndex"`
	StoryID uint   `gorm:"not null;index"`
}

// slugSpace is a table of slugs and the table of its former slugs.
type slugSpace struct{ table, redirects, owner, fallback string }

var (
	storySlugs   = slugSpace{"stories", "slug_redirects", "story_id", "story"}
	companySlugs = slugSpace{"companies", "company_redirects", "company_id", "company"}
)

// freeSlug returns base, or base-2, base-3..., whichever no row but ownID
// has or had. An empty base becomes the space's fallback.
func freeSlug(tx *gorm.DB, sp slugSpace, ownID uint, base string) (string, error) {
	if base == "" {
		base = sp.fallback
	}
	taken, err := takenSlugs(tx, sp, ownID, base)
	if err != nil {
		return "", err
	}
	return firstFree(base, taken), nil
}

// takenSlugs returns the slugs base, base-2, base-3... that a row other than
// ownID has or had.
func takenSlugs(tx *gorm.DB, sp slugSpace, ownID uint, base string) ([]string, error) {
	var taken []string
	// Slugs are lowercase letters, digits and dashes, so "base-..." is the
	// range between "base-" and "base." ('.' follows '-'): an index range,
	// where LIKE 'base-%' would scan every slug.
	err := tx.Raw("SELECT slug FROM "+sp.table+" WHERE (slug = ? OR (slug > ? AND slug < ?)) AND id <> ?"+
		" UNION SELECT old_slug FROM "+sp.redirects+" WHERE (old_slug = ? OR (old_slug > ? AND old_slug < ?)) AND "+sp.owner+" <> ?",
		base, base+"-", base+".", ownID, base, base+"-", base+".", ownID).Scan(&taken).Error
	if err != nil {
		return nil, fmt.Errorf("slugs like %q: %w", base, err)
	}
	return taken, nil
}

// storySlug is the slug of a new story: from its title if it is published,
// provisional otherwise.
func storySlug(tx *gorm.DB, st *Story) (string, error) {
	if st.Status == StatusPublished {
		return freeSlug(tx, storySlugs, st.ID, Slugify(st.Title))
	}
	return provisionalSlug(tx)
}

// provisionalSlug returns an unused "draft-" slug.
func provisionalSlug(tx *gorm.DB) (string, error) {
	for {
		b := make([]byte, 5)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		slug := "draft-" + hex.EncodeToString(b)
		var n int64
		if err := tx.Model(&Story{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return slug, nil
		}
	}
}

// retitle gives a story that has been published a new slug when its new
// title changes the slug's words, keeping the old slug as a redirect. It
// only sets st.Slug; the caller saves the story.
func retitle(tx *gorm.DB, st *Story, title string) error {
	if st.PublishedAt == nil || Slugify(title) == Slugify(st.Title) {
		return nil
	}
	slug, err := freeSlug(tx, storySlugs, st.ID, Slugify(title))
	if err != nil || slug == st.Slug {
		return err
	}
	// Going back to a former slug makes it current again.
	if err := tx.Where("old_slug = ? AND story_id = ?", slug, st.ID).Delete(&SlugRedirect{}).Error; err != nil {
		return err
	}
	if err := tx.Create(&SlugRedirect{OldSlug: st.Slug, StoryID: st.ID}).Error; err != nil {
		return fmt.Errorf("redirect %q: %w", st.Slug, err)
	}
	st.Slug = slug
	return nil
}

// StoryRedirect returns the current slug of the published story that once
// had oldSlug, for a 301. Unpublished stories are ErrNotFound.
func (s *Store) StoryRedirect(ctx context.Context, oldSlug string) (string, error) {
	var slugs []string
	err := s.r.WithContext(ctx).Model(&SlugRedirect{}).
		Joins("JOIN stories ON stories.id = slug_redirects.story_id").
		Where("slug_redirects.old_slug = ? AND stories.status = ?", oldSlug, StatusPublished).
		Limit(1).Pluck("stories.slug", &slugs).Error
	if err != nil {
		return "", fmt.Errorf("story redirect %q: %w", oldSlug, err)
	}
	if len(slugs) == 0 {
		return "", fmt.Errorf("story redirect %q: %w", oldSlug, ErrNotFound)
	}
	return slugs[0], nil
}
