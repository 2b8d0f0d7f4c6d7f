package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Kinds of imported things, as ImportKey.Kind and LegacyPath.Kind say them.
const (
	ImportedUser     = "user"
	ImportedCategory = "category"
	ImportedTag      = "tag"
	ImportedStory    = "story"
	// ImportedHome is a former home page: LegacyPath only, TargetID 0.
	ImportedHome = "home"
)

// ImportKey records what an item of another site became here, so that
// importing the same export twice changes nothing the second time.
type ImportKey struct {
	ID uint `gorm:"primaryKey"`
	// Source names the other site (a WordPress export's base_site_url).
	Source   string `gorm:"size:300;not null;uniqueIndex:idx_import_keys,priority:1"`
	Kind     string `gorm:"size:20;not null;uniqueIndex:idx_import_keys,priority:2"`
	Key      string `gorm:"size:300;not null;uniqueIndex:idx_import_keys,priority:3"`
	TargetID uint   `gorm:"not null"`
}

// LegacyPath is an address of a site's former home (/2008/03/slug, /?p=6,
// /category/a/b) and what it became, so that old links answer 301. It is
// looked up only for requests that would otherwise be a 404.
type LegacyPath struct {
	ID       uint   `gorm:"primaryKey"`
	Path     string `gorm:"size:1000;not null;uniqueIndex"`
	Kind     string `gorm:"size:20;not null"`
	TargetID uint   `gorm:"not null"`
}

// LegacyKey is the form in which legacy paths are stored and looked up:
// the path without its trailing slash ("/" for the root), lowercased,
// with ?p=ID kept when the query has it.
func LegacyKey(path, p string) string {
	path = strings.ToLower(strings.TrimRight(path, "/"))
	if path == "" {
		path = "/"
	}
	if p != "" {
		path += "?p=" + p
	}
	return path
}

// ImportedKeys returns the keys already imported from source of one kind,
// with the id of what each became.
func (s *Store) ImportedKeys(ctx context.Context, source, kind string) (map[string]uint, error) {
	var rows []ImportKey
	err := s.r.WithContext(ctx).Where("source = ? AND kind = ?", source, kind).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("imported %ss: %w", kind, err)
	}
	out := make(map[string]uint, len(rows))
	for _, r := range rows {
		out[r.Key] = r.TargetID
	}
	return out, nil
}

// ImportUser creates u (an author of another site: no identity, so no
// sign-in until they sign in by email or link a provider) unless the key
// was imported before, and returns the user's id and whether it was new.
func (s *Store) ImportUser(ctx context.Context, source, key string, u *User) (uint, bool, error) {
	// Names from the file were not typed here: one that would pass for the
	// site's staff ("admin", WordPress's first user) is replaced, as a
	// provider's is at sign-in; the person chooses theirs at /me.
	if lineProblem(u.Name, false) != "" || reservedName(u.Name) {
		u.Name = "Author"
	}
	if reservedName(u.Handle) || reservedName(Slugify(u.Handle)) {
		u.Handle = "author"
	}
	return s.importOnce(ctx, ImportKey{Source: source, Kind: ImportedUser, Key: key}, func(tx *gorm.DB) (uint, error) {
		err := createUser(tx, u)
		return u.ID, err
	})
}

// ImportCategory creates c, under its slug when free, unless the key was
// imported before; a category of the site with the same slug is used as it
// is, untouched. It returns the category's id and whether it was new.
func (s *Store) ImportCategory(ctx context.Context, source, key string, c *Category) (uint, bool, error) {
	if err := (CategoryInput{Name: c.Name, Description: c.Description}).validate(); err != nil {
		return 0, false, err
	}
	return s.importOnce(ctx, ImportKey{Source: source, Kind: ImportedCategory, Key: key}, func(tx *gorm.DB) (uint, error) {
		var same []Category
		if err := tx.Where("slug = ?", Slugify(c.Slug)).Limit(1).Find(&same).Error; err != nil {
			return 0, err
		}
		if len(same) > 0 {
			return same[0].ID, nil
		}
		var err error
		if c.Slug, err = uniqueSlug(tx, &Category{}, Slugify(orElse(c.Slug, c.Name)), "category"); err != nil {
			return 0, err
		}
		return c.ID, tx.Create(c).Error
	})
}

// ImportTag finds or creates the tag named name unless the key was imported
// before, and returns its id and whether the key was new.
func (s *Store) ImportTag(ctx context.Context, source, key, name string) (uint, bool, error) {
	return s.importOnce(ctx, ImportKey{Source: source, Kind: ImportedTag, Key: key}, func(tx *gorm.DB) (uint, error) {
		tags, err := ensureTags(tx, []string{name})
		if err != nil {
			return 0, err
		}
		if len(tags) == 0 {
			return 0, &ValidationError{Fields: map[string]string{"tags": "A tag needs letters or digits."}}
		}
		return tags[0].ID, nil
	})
}

// importOnce runs create and records its id under k, in one transaction,
// unless k is recorded already.
func (s *Store) importOnce(ctx context.Context, k ImportKey, create func(*gorm.DB) (uint, error)) (uint, bool, error) {
	created := false
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old []ImportKey
		if err := tx.Where("source = ? AND kind = ? AND key = ?", k.Source, k.Kind, k.Key).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		if len(old) > 0 {
			k.TargetID = old[0].TargetID
			return nil
		}
		id, err := create(tx)
		if err != nil {
			return err
		}
		k.TargetID, created = id, true
		return tx.Create(&k).Error
	})
	if err != nil {
		return 0, false, fmt.Errorf("import %s %q: %w", k.Kind, k.Key, err)
	}
	return k.TargetID, created, nil
}

// AddLegacyPaths records former addresses and returns how many were new;
// one already recorded keeps the target it had.
func (s *Store) AddLegacyPaths(ctx context.Context, paths []LegacyPath) (int, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	res := s.w.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(paths, 200)
	if res.Error != nil {
		return 0, fmt.Errorf("legacy paths: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// LegacyTarget returns the address here of what the former address key (see
// LegacyKey) leads to: a published story, a category, a tag, an author or
// the front page. Anything else is ErrNotFound.
func (s *Store) LegacyTarget(ctx context.Context, key string) (string, error) {
	var lp LegacyPath
	err := s.r.WithContext(ctx).Where("path = ?", key).Take(&lp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fmt.Errorf("legacy path %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("legacy path %q: %w", key, err)
	}
	var prefix, q string
	switch lp.Kind {
	case ImportedHome:
		return "/", nil
	case ImportedStory:
		prefix, q = "/stories/", "SELECT slug FROM stories WHERE id = ? AND status = '"+StatusPublished+"'"
	case ImportedCategory:
		prefix, q = "/category/", "SELECT slug FROM categories WHERE id = ?"
	case ImportedTag:
		prefix, q = "/tag/", "SELECT slug FROM tags WHERE id = ?"
	case ImportedUser:
		prefix, q = "/author/", "SELECT handle FROM users WHERE id = ?"
	default:
		return "", fmt.Errorf("legacy path %q of kind %q: %w", key, lp.Kind, ErrNotFound)
	}
	var slugs []string
	if err := s.r.WithContext(ctx).Raw(q, lp.TargetID).Scan(&slugs).Error; err != nil {
		return "", fmt.Errorf("legacy path %q: %w", key, err)
	}
	if len(slugs) == 0 {
		return "", fmt.Errorf("legacy path %q: %w", key, ErrNotFound)
	}
	return prefix + slugs[0], nil
}

// CheckCommentBody returns a message when an imported comment's Markdown
// could not have been typed here (PostComment's rules), or "".
func CheckCommentBody(body string) string { return checkBody(strings.TrimSpace(body)) }

// GuestFields returns a guest's name, email and website as PostComment
// would keep them: a name cut to MaxNameLen ("Anonymous" for one that
// could not have been typed, or passes for the site's staff), an email or
// website that could not have been typed dropped.
func GuestFields(name, email, website string) (string, string, string) {
	name = truncate(strings.TrimSpace(name), MaxNameLen-1) // truncate may add "…"
	if checkName(name) != "" {
		name = "Anonymous"
	}
	if checkEmail(email) != "" {
		email = ""
	}
	site, msg := checkURL(website)
	if msg != "" {
		site = ""
	}
	return name, email, site
}
