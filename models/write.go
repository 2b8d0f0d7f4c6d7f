package models

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Limits on what a story may hold.
const (
	MaxTitleLen = 200
	MaxBodyLen  = 100_000
	MaxTags     = 10
	maxTagLen   = 50
	MaxCityLen  = 100
	MaxAltLen   = 1000 // a picture's description
)

// StoryInput is everything an author decides about a story. Nothing else
// (counts, slug, rendered HTML) can be set from outside.
type StoryInput struct {
	Title       string
	Body        string
	AuthorID    uint
	CategoryIDs []uint
	Tags        []string
	CompanyID   *uint
	City        string
	Resolution  string
	Status      string
	PublishedAt *time.Time // when empty and published: now
	// Cover is the /media/ path of a story picture of this site, or empty.
	Cover, CoverAlt string
	// ShowPII are the texts the author chose to publish although they look
	// like personal data; those that cannot be shown are ignored (see ShownIn).
	ShowPII []string
	// Lang is the story's language, a BCP 47 tag ("fr", "en-GB"); empty:
	// the site's.
	Lang string
}

// langTag is the shape of a story's language: a BCP 47 tag of a language
// and an optional region or script.
var langTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// validateTags returns a message if tags are too many once normalised, or too long.
func validateTags(tags []string) string {
	if len(tags) > 10*MaxTags { // not worth normalising: mostly empty or repeated
		return fmt.Sprintf("At most %d tags; there are %d.", MaxTags, len(tags))
	}
	norm := NormalizeTags(tags)
	if len(norm) > MaxTags {
		return fmt.Sprintf("At most %d tags; there are %d.", MaxTags, len(norm))
	}
	for _, t := range norm {
		if utf8.RuneCountInString(t) > maxTagLen {
			return fmt.Sprintf("The tag %q is longer than %d characters.", t, maxTagLen)
		}
		if msg := lineProblem(t, false); msg != "" {
			return "In the tag " + strconv.QuoteToASCII(t) + ": " + msg
		}
	}
	return ""
}

// Validate checks what an author typed, before anything is looked up or
// created for it (the story's company).
func (in StoryInput) Validate() error { return in.validate() }

func (in StoryInput) validate() error {
	fields := map[string]string{}
	title := strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		fields["title"] = "A story needs a title."
	case n > MaxTitleLen:
		fields["title"] = tooLong("The title is", n, MaxTitleLen)
	default:
		setProblem(fields, "title", lineProblem(title, false))
	}
	if n := utf8.RuneCountInString(in.Body); n > MaxBodyLen {
		fields["body"] = tooLong("The story is", n, MaxBodyLen)
	} else if msg := badText(in.Body); msg != "" {
		fields["body"] = msg
	} else if msg := CheckMarkdown(in.Body); msg != "" {
		fields["body"] = msg
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.City)); n > MaxCityLen {
		fields["city"] = tooLong("The city is", n, MaxCityLen)
	} else {
		setProblem(fields, "city", lineProblem(in.City, false))
	}
	if err := validateTags(in.Tags); err != "" {
		fields["tags"] = err
	}
	switch in.Resolution {
	case "", ResolutionOpen, ResolutionResolved, ResolutionAbandoned:
	default:
		fields["resolution"] = "Choose open, resolved or abandoned."
	}
	if _, ok := ParseMediaURL(in.Cover); in.Cover != "" && !ok {
		fields["cover"] = "The cover must be a picture uploaded here."
	} else if n := utf8.RuneCountInString(in.CoverAlt); n > MaxAltLen {
		fields["cover"] = tooLong("The cover's description is", n, MaxAltLen)
	}
	if in.Lang != "" && !langTag.MatchString(in.Lang) {
		fields["lang"] = "Choose the language the story is written in."
	}
	switch in.Status {
	case "", StatusDraft, StatusPublished, StatusReview:
	default:
		fields["status"] = "Unknown status."
	}
	if len(fields) > 0 {
		return &ValidationError{Fields: fields}
	}
	return nil
}

// CreateStory validates and saves a new story, rendering its Markdown and
// giving it a unique slug, its tags created as needed, in one transaction.
func (s *Store) CreateStory(ctx context.Context, in StoryInput) (*Story, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	shown := ShownIn(in.Body, in.ShowPII)
	r, err := RenderStoryShowing(in.Body, SplitShown(shown))
	if err != nil {
		return nil, fmt.Errorf("render story: %w", err)
	}
	st := &Story{
		Title: strings.TrimSpace(in.Title), Body: in.Body, ShownPII: shown, HTML: r.HTML, Excerpt: r.Excerpt, PlainText: r.Text, ReadingMinutes: ReadingMinutes(r.Text),
		AuthorID: in.AuthorID, CompanyID: in.CompanyID, City: strings.TrimSpace(in.City),
		Status: in.Status, Resolution: in.Resolution, PublishedAt: in.PublishedAt,
		Cover: in.Cover, CoverAlt: strings.TrimSpace(in.CoverAlt), Lang: in.Lang,
	}
	if st.Status == "" {
		st.Status = StatusDraft
	}
	if st.Resolution == "" {
		st.Resolution = ResolutionOpen
	}
	if st.Status == StatusPublished && st.PublishedAt == nil {
		now := s.now()
		st.PublishedAt = &now
		st.MailState = MailNew
	}
	if st.PublishedAt != nil {
		t := st.PublishedAt.UTC()
		st.PublishedAt = &t
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Only a published story gets a slug from its title; see storySlug.
		if st.Slug, err = storySlug(tx, st); err != nil {
			return err
		}
		// An admin may have deleted a category since the editor was opened.
		cats, err := checkRefs(tx, in)
		if err != nil {
			return err
		}
		for _, id := range cats {
			st.Categories = append(st.Categories, Category{ID: id})
		}
		if st.Tags, err = ensureTags(tx, in.Tags); err != nil {
			return err
		}
		if err := tx.Omit("Categories.*", "Tags.*").Create(st).Error; err != nil {
			return err
		}
		return linkPictures(tx, st.ID, st.Body, st.Cover)
	})
	if err != nil {
		return nil, fmt.Errorf("create story %q: %w", in.Title, err)
	}
	return st, nil
}

// uniqueSlug returns base, or base-2, base-3... whichever is free in the
// table of model. An empty base becomes fallback.
func uniqueSlug(tx *gorm.DB, model any, base, fallback string) (string, error) {
	if base == "" {
		base = fallback
	}
	var taken []string
	err := tx.Model(model).Where("slug = ? OR slug LIKE ?", base, base+"-%").Pluck("slug", &taken).Error
	if err != nil {
		return "", fmt.Errorf("slugs like %q: %w", base, err)
	}
	return firstFree(base, taken), nil
}

// firstFree returns base, or base-2, base-3... whichever is not taken.
func firstFree(base string, taken []string) string {
	used := make(map[string]bool, len(taken))
	for _, t := range taken {
		used[t] = true
	}
	slug := base
	for i := 2; used[slug]; i++ {
		slug = base + "-" + strconv.Itoa(i)
	}
	return slug
}

// NormalizeTags trims, lowercases and de-duplicates tags (by slug), dropping
// empty ones and keeping the first spelling.
func NormalizeTags(tags []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range tags {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		slug := Slugify(t)
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		out = append(out, t)
	}
	return out
}

// ensureTags finds or creates a tag for each name.
func ensureTags(tx *gorm.DB, names []string) ([]Tag, error) {
	var tags []Tag
	for _, name := range NormalizeTags(names) {
		t := Tag{Name: name, Slug: Slugify(name)}
		if err := tx.Where(Tag{Slug: t.Slug}).FirstOrCreate(&t).Error; err != nil {
			return nil, fmt.Errorf("tag %q: %w", name, err)
		}
		tags = append(tags, t)
	}
	return tags, nil
}

// CreateUser saves a new user, making the handle unique if it is taken.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return createUser(tx, u) })
}

// createUser saves u in tx, a reader unless it says otherwise, under a
// handle made unique from its handle or name.
func createUser(tx *gorm.DB, u *User) error {
	if u.Role == "" {
		u.Role = RoleReader
	}
	base := Slugify(u.Handle)
	if base == "" {
		base = Slugify(u.Name)
	}
	var err error
	if u.Handle, err = uniqueHandle(tx, base); err != nil {
		return err
	}
	return tx.Create(u).Error
}

func uniqueHandle(tx *gorm.DB, base string) (string, error) {
	if base == "" {
		base = "reader"
	}
	if len(base) > 30 {
		base = strings.Trim(base[:30], "-")
	}
	for i := 1; ; i++ {
		h := base
		if i > 1 {
			h = base + "-" + strconv.Itoa(i)
		}
		var n int64
		if err := tx.Model(&User{}).Where("handle = ?", h).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return h, nil
		}
	}
}

// CreateCategory saves a new category with a unique slug.
func (s *Store) CreateCategory(ctx context.Context, c *Category) error {
	if err := (CategoryInput{Name: c.Name, Description: c.Description}).validate(); err != nil {
		return err
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := refuseTakenCategoryName(tx, c.Name, 0); err != nil {
			return err
		}
		var err error
		if c.Slug, err = uniqueSlug(tx, &Category{}, Slugify(c.Name), "category"); err != nil {
			return err
		}
		return tx.Create(c).Error
	})
}

// CreateCompany saves a new company with a unique slug and its matching key
// (ErrConflict if a company with the same key exists; see FindOrCreateCompany).
func (s *Store) CreateCompany(ctx context.Context, c *Company) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return createCompany(tx, c)
	})
}

// IsEmpty reports whether the site has no stories and no users yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	if err := s.r.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	err := s.r.WithContext(ctx).Model(&Story{}).Count(&n).Error
	return n == 0, err
}
