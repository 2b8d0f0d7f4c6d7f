package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The legal pages, by slug: the site's footer links them.
const (
	LegalNotice  = "legal-notice"
	LegalTerms   = "terms"
	LegalPrivacy = "privacy"
)

// LegalSlugs are the legal pages in the footer's order.
var LegalSlugs = []string{LegalNotice, LegalTerms, LegalPrivacy}

// MaxLegalLen is the longest a legal page may be, in characters.
const MaxLegalLen = 100_000

// LegalPage is a legal page as an admin edited it. A page never edited
// has no row and shows its default text (DefaultLegal).
type LegalPage struct {
	Slug      string `gorm:"primaryKey;size:20"`
	Title     string `gorm:"size:200;not null"`
	Body      string `gorm:"not null"`
	HTML      string `gorm:"column:html;not null"`
	UpdatedAt time.Time
	// Default says the page is the built-in text, not edited yet.
	Default bool `gorm:"-"`
}

// LegalPageBySlug returns the page, or its default text; ErrNotFound for
// a slug that is not a legal page.
func (s *Store) LegalPageBySlug(ctx context.Context, slug string) (*LegalPage, error) {
	if !slices.Contains(LegalSlugs, slug) {
		return nil, fmt.Errorf("legal page %q: %w", slug, ErrNotFound)
	}
	var ps []LegalPage
	if err := s.r.WithContext(ctx).Where("slug = ?", slug).Limit(1).Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("legal page %q: %w", slug, err)
	}
	if len(ps) > 0 {
		return &ps[0], nil
	}
	d := defaultLegal[slug]
	r, err := RenderPage(d.body)
	if err != nil {
		return nil, err
	}
	return &LegalPage{Slug: slug, Title: d.title, Body: d.body, HTML: r.HTML, Default: true}, nil
}

// SaveLegalPage replaces a legal page's title and Markdown text. Only
// admins may (ErrNotFound for others).
func (s *Store) SaveLegalPage(ctx context.Context, adminID uint, slug, title, body string) error {
	if !slices.Contains(LegalSlugs, slug) {
		return fmt.Errorf("legal page %q: %w", slug, ErrNotFound)
	}
	title = strings.TrimSpace(title)
	f := map[string]string{}
	setLength(f, "title", title, MaxTitleLen, "The page needs a title.")
	setProblem(f, "title", lineProblem(title, false))
	if n := utf8.RuneCountInString(body); n > MaxLegalLen {
		f["body"] = tooLong("The page is", n, MaxLegalLen)
	} else if msg := badText(body); msg != "" {
		f["body"] = msg
	} else if msg := CheckMarkdown(body); msg != "" {
		f["body"] = msg
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	r, err := RenderPage(body)
	if err != nil {
		return err
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		p := LegalPage{Slug: slug, Title: title, Body: body, HTML: r.HTML}
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&p).Error
	})
}
