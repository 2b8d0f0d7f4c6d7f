package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MaxCompanyNameLen bounds a company's name.
const MaxCompanyNameLen = 100

// CompanyRedirect remembers a company merged into another: its old slug
// answers with a redirect, and its old key still finds the company it went into.
type CompanyRedirect struct {
	ID        uint   `gorm:"primaryKey"`
	OldSlug   string `gorm:"size:100;not null;uniqueIndex"`
	OldKey    string `gorm:"size:100;not null;index"`
	CompanyID uint   `gorm:"not null;index"`
}

// CompaniesFor returns the companies the editor suggests to userID, by
// name: those of published stories, and those of userID's own stories. The
// companies typed only on other people's drafts stay private.
func (s *Store) CompaniesFor(ctx context.Context, userID uint) ([]Company, error) {
	var cs []Company
	err := s.r.WithContext(ctx).
		Where("EXISTS (SELECT 1 FROM story_counts sc WHERE sc.kind = ? AND sc.key = companies.id AND sc.n > 0)", countCompany).
		Or("EXISTS (SELECT 1 FROM stories st WHERE st.company_id = companies.id AND st.author_id = ?)", userID).
		Order("name COLLATE NOCASE, id").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("companies for user %d: %w", userID, err)
	}
	return cs, nil
}

// Companies returns every company by name, for admins.
func (s *Store) Companies(ctx context.Context) ([]Company, error) {
	var cs []Company
	if err := s.r.WithContext(ctx).Order("name COLLATE NOCASE, id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("companies: %w", err)
	}
	return cs, nil
}

// FindOrCreateCompany returns the company that name means, creating it if
// there is none. "orange", "ORANGE", " Orange S.A. " and "Oragne" all find
// Orange: names are compared by CompanyKey, then against the keys of merged
// companies, then allowing one typo for keys of fuzzyMinLen letters or more
// (the closest wins; on a tie, the oldest company).
func (s *Store) FindOrCreateCompany(ctx context.Context, name string) (*Company, error) {
	var c *Company
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		key, err := companyNameKey(name)
		if err != nil {
			return err
		}
		if c, err = matchCompany(tx, key); err != nil || c != nil {
			return err
		}
		c = &Company{Name: name}
		return createCompany(tx, c)
	})
	if err != nil {
		return nil, fmt.Errorf("company %q: %w", name, err)
	}
	return c, nil
}

// companyNameKey validates a company's name and returns its key.
func companyNameKey(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", &ValidationError{Fields: map[string]string{"company": "Name the company."}}
	case n > MaxCompanyNameLen:
		return "", &ValidationError{Fields: map[string]string{"company": tooLong("The company's name is", n, MaxCompanyNameLen)}}
	}
	if msg := lineProblem(name, false); msg != "" {
		return "", &ValidationError{Fields: map[string]string{"company": msg}}
	}
	key := CompanyKey(name)
	if key == "" {
		// Nothing readable (an emoji, a script Slugify drops): match it as typed.
		key = strings.ToLower(name)
	}
	return key, nil
}

// matchCompany finds the company for key, or returns nil: three queries.
func matchCompany(tx *gorm.DB, key string) (*Company, error) {
	var c Company
	err := tx.Where("key = ?", key).Take(&c).Error
	if err == nil {
		return &c, nil
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	var keys []struct {
		ID  uint
		Key string
	}
	err = tx.Raw(`SELECT id, key FROM companies WHERE key IS NOT NULL
		UNION ALL SELECT company_id, old_key FROM company_redirects ORDER BY id`).Scan(&keys).Error
	if err != nil {
		return nil, fmt.Errorf("company keys: %w", err)
	}
	best, bestDist := uint(0), 2
	for _, k := range keys {
		if k.Key == key {
			best, bestDist = k.ID, 0
			break
		}
		if closeKeys(k.Key, key) && bestDist > 1 {
			best, bestDist = k.ID, 1
		}
	}
	if best == 0 {
		return nil, nil
	}
	if err := tx.Take(&c, best).Error; err != nil {
		return nil, fmt.Errorf("company %d: %w", best, notFound(err))
	}
	return &c, nil
}

// createCompany saves c with its key and a slug that no company has or had.
func createCompany(tx *gorm.DB, c *Company) error {
	key, err := companyNameKey(c.Name)
	if err != nil {
		return err
	}
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.Key = &key
	var n int64
	if err := tx.Model(&Company{}).Where("key = ?", key).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("company key %q: %w", key, ErrConflict)
	}
	if c.Slug, err = freeSlug(tx, companySlugs, 0, Slugify(c.Name)); err != nil {
		return err
	}
	return tx.Create(c).Error
}

// MergeCompanies moves every story of company from to company into, makes
// from's slug (and the slugs that already redirected to it) redirect to into,
// and deletes from, in one transaction.
func (s *Store) MergeCompanies(ctx context.Context, fromID, intoID uint) error {
	if fromID == intoID {
		return fmt.Errorf("merge company %d into itself: %w", fromID, ErrConflict)
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var from, into Company
		if err := tx.Take(&from, fromID).Error; err != nil {
			return fmt.Errorf("company %d: %w", fromID, notFound(err))
		}
		if err := tx.Take(&into, intoID).Error; err != nil {
			return fmt.Errorf("company %d: %w", intoID, notFound(err))
		}
		// One recompute of the scorecard at the end, not one per story moved.
		if err := dropStatsTriggers(tx); err != nil {
			return err
		}
		if err := tx.Model(&Story{}).Where("company_id = ?", fromID).Update("company_id", intoID).Error; err != nil {
			return fmt.Errorf("move stories: %w", err)
		}
		if err := moveCompanySide(tx, fromID, intoID); err != nil {
			return err
		}
		if err := tx.Model(&CompanyRedirect{}).Where("company_id = ?", fromID).Update("company_id", intoID).Error; err != nil {
			return fmt.Errorf("move redirects: %w", err)
		}
		old := CompanyRedirect{OldSlug: from.Slug, CompanyID: intoID}
		if from.Key != nil {
			old.OldKey = *from.Key
		}
		if err := tx.Create(&old).Error; err != nil {
			return fmt.Errorf("redirect %q: %w", from.Slug, err)
		}
		if into.Description == "" && from.Description != "" {
			if err := tx.Model(&into).Update("description", from.Description).Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&from).Error; err != nil {
			return err
		}
		if err := refreshStats(tx, intoID); err != nil {
			return err
		}
		return createStatsTriggers(tx)
	})
	if err != nil {
		return fmt.Errorf("merge company %d into %d: %w", fromID, intoID, err)
	}
	return nil
}

// CompanyRedirect returns the current slug of the company that oldSlug
// belonged to before a merge, for a 301.
func (s *Store) CompanyRedirect(ctx context.Context, oldSlug string) (string, error) {
	var slugs []string
	err := s.r.WithContext(ctx).Model(&CompanyRedirect{}).
		Joins("JOIN companies ON companies.id = company_redirects.company_id").
		Where("company_redirects.old_slug = ?", oldSlug).Limit(1).Pluck("companies.slug", &slugs).Error
	if err != nil {
		return "", fmt.Errorf("company redirect %q: %w", oldSlug, err)
	}
	if len(slugs) == 0 {
		return "", fmt.Errorf("company redirect %q: %w", oldSlug, ErrNotFound)
	}
	return slugs[0], nil
}

// backfillCompanyKeys gives a key to companies saved before keys existed;
// one whose key another company already has keeps none, for an admin to merge.
func backfillCompanyKeys(db *gorm.DB) error {
	var cs []Company
	if err := db.Where("key IS NULL").Find(&cs).Error; err != nil {
		return err
	}
	for _, c := range cs {
		key, err := companyNameKey(c.Name)
		if err != nil {
			continue
		}
		err = db.Exec(`UPDATE companies SET key = ? WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM companies WHERE key = ?)`, key, c.ID, key).Error
		if err != nil {
			return fmt.Errorf("key of company %d: %w", c.ID, err)
		}
	}
	return nil
}

// moveCompanySide gives company into the replies, representatives and
// email domains of company from, which a merge deletes.
func moveCompanySide(tx *gorm.DB, fromID, intoID uint) error {
	for _, q := range []string{
		"UPDATE company_replies SET company_id = ? WHERE company_id = ?",
		"INSERT OR IGNORE INTO company_representatives (company_id, user_id, created_at) SELECT ?, user_id, created_at FROM company_representatives WHERE company_id = ?",
		"UPDATE company_domains SET company_id = ? WHERE company_id = ?",
	} {
		if err := tx.Exec(q, intoID, fromID).Error; err != nil {
			return fmt.Errorf("merge the company's side: %w", err)
		}
	}
	return tx.Where("company_id = ?", fromID).Delete(&CompanyRepresentative{}).Error
}
