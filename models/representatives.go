package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// CompanyRepresentative makes a user a representative of a company: they
// may answer its stories officially.
type CompanyRepresentative struct {
	CompanyID uint `gorm:"primaryKey"`
	UserID    uint `gorm:"primaryKey;index"`
	User      User `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt time.Time
}

// CompanyDomain is an email domain a company owns ("orange.fr"): a user
// whose verified email is there may claim to represent it.
type CompanyDomain struct {
	Domain    string `gorm:"primaryKey;size:253"`
	CompanyID uint   `gorm:"not null;index"`
}

// represents says whether userID represents companyID.
func represents(tx *gorm.DB, userID, companyID uint) (bool, error) {
	var n int64
	err := tx.Model(&CompanyRepresentative{}).Where("company_id = ? AND user_id = ?", companyID, userID).Count(&n).Error
	return n > 0, err
}

// Represents says whether userID represents companyID. One query.
func (s *Store) Represents(ctx context.Context, userID, companyID uint) (bool, error) {
	ok, err := represents(s.r.WithContext(ctx), userID, companyID)
	if err != nil {
		return false, fmt.Errorf("representative %d of %d: %w", userID, companyID, err)
	}
	return ok, nil
}

// Representatives returns the representatives of a company, by name, with
// what anyone may see of them.
func (s *Store) Representatives(ctx context.Context, companyID uint) ([]User, error) {
	var us []User
	err := s.r.WithContext(ctx).Select("users.id", "users.handle", "users.name", "users.avatar_url").
		Joins("JOIN company_representatives cr ON cr.user_id = users.id AND cr.company_id = CAST(? AS INTEGER)", companyID).
		Order("users.name COLLATE NOCASE, users.id").Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("representatives of %d: %w", companyID, err)
	}
	return us, nil
}

// AddRepresentative makes the user whose handle is handle a representative
// of company companyID, for admin adminID (else ErrNotFound). An unknown
// handle is a ValidationError on "handle"; adding one twice changes nothing.
func (s *Store) AddRepresentative(ctx context.Context, adminID, companyID uint, handle string) error {
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		if err := tx.Select("id").Take(&Company{}, companyID).Error; err != nil {
			return fmt.Errorf("company %d: %w", companyID, notFound(err))
		}
		var u User
		if err := tx.Select("id").Where("handle = ?", strings.ToLower(handle)).Take(&u).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return &ValidationError{Fields: map[string]string{"handle": fmt.Sprintf("No one has the handle @%s.", handle)}}
		} else if err != nil {
			return err
		}
		return addRepresentative(tx, companyID, u.ID)
	})
	if err != nil {
		return fmt.Errorf("add representative %q to company %d: %w", handle, companyID, err)
	}
	return nil
}

// addRepresentative makes userID a representative of companyID, once.
func addRepresentative(tx *gorm.DB, companyID, userID uint) error {
	return tx.Exec("INSERT INTO company_representatives (company_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		companyID, userID, tx.NowFunc()).Error
}

// RemoveRepresentative ends userID's representation of companyID, for admin adminID.
func (s *Store) RemoveRepresentative(ctx context.Context, adminID, companyID, userID uint) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		return tx.Where("company_id = ? AND user_id = ?", companyID, userID).Delete(&CompanyRepresentative{}).Error
	})
	if err != nil {
		return fmt.Errorf("remove representative %d of company %d: %w", userID, companyID, err)
	}
	return nil
}

// CompanyInput is what an admin edits of a company.
type CompanyInput struct {
	Name, Website, Description string
	Logo                       string // the /media/ address of an uploaded picture, or empty
	Domains                    string // email domains, separated by spaces, commas or lines
}

// Limits on a company's fields.
const (
	MaxCompanyDescriptionLen = 1000
	MaxCompanyDomains        = 20
)

// ParseDomains splits and checks a list of email domains: lowercase names
// with at least one dot, without "@".
func ParseDomains(s string) ([]string, string) {
	seen := map[string]bool{}
	var out []string
	for _, d := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		d = strings.TrimPrefix(strings.Trim(d, "."), "@")
		if !hostName(d) || !strings.Contains(d, ".") {
			return nil, fmt.Sprintf("%q is not an email domain (like example.com).", d)
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	if len(out) > MaxCompanyDomains {
		return nil, fmt.Sprintf("At most %d domains.", MaxCompanyDomains)
	}
	return out, ""
}

// validate checks the input and returns its domains.
func (in *CompanyInput) validate() ([]string, error) {
	fields := map[string]string{}
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Website, in.Description = strings.TrimSpace(in.Website), strings.TrimSpace(in.Description)
	if _, err := companyNameKey(in.Name); err != nil {
		fields["name"] = err.(*ValidationError).Fields["company"]
	}
	if in.Website != "" {
		if w, msg := checkURL(in.Website); msg != "" {
			fields["website"] = msg
		} else {
			in.Website = w
		}
	}
	if n := utf8.RuneCountInString(in.Description); n > MaxCompanyDescriptionLen {
		fields["description"] = tooLong("The description is", n, MaxCompanyDescriptionLen)
	} else if msg := badText(in.Description); msg != "" {
		fields["description"] = msg
	}
	if in.Logo = strings.TrimSpace(in.Logo); in.Logo != "" {
		if _, ok := ParseMediaURL(in.Logo); !ok {
			fields["logo"] = "The logo must be the address of a picture uploaded to this site (/media/…)."
		}
	}
	domains, msg := ParseDomains(in.Domains)
	if msg != "" {
		fields["domains"] = msg
	}
	if len(fields) > 0 {
		return nil, &ValidationError{Fields: fields}
	}
	return domains, nil
}

// UpdateCompany saves an admin's edit of company id: its name (the slug and
// key stay, so links keep working), website, description and domains. A
// domain another company owns is a ValidationError.
func (s *Store) UpdateCompany(ctx context.Context, adminID, id uint, in CompanyInput) error {
	domains, err := in.validate()
	if err != nil {
		return err
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		var taken []string
		if len(domains) > 0 {
			if err := tx.Model(&CompanyDomain{}).Where("domain IN ? AND company_id <> ?", domains, id).Pluck("domain", &taken).Error; err != nil {
				return err
			}
		}
		if len(taken) > 0 {
			return &ValidationError{Fields: map[string]string{"domains": fmt.Sprintf("Another company owns %s.", strings.Join(taken, ", "))}}
		}
		// The new name is matched as typed names are: it must not be another company's.
		key, _ := companyNameKey(in.Name)
		var clash int64
		if err := tx.Model(&Company{}).Where("key = ? AND id <> ?", key, id).Count(&clash).Error; err != nil {
			return err
		}
		if clash > 0 {
			return &ValidationError{Fields: map[string]string{"name": "Another company has this name: merge the two instead."}}
		}
		res := tx.Model(&Company{}).Where("id = ?", id).
			Updates(map[string]any{"name": in.Name, "key": key, "website": in.Website, "description": in.Description, "logo_url": in.Logo})
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.Where("company_id = ?", id).Delete(&CompanyDomain{}).Error; err != nil {
			return err
		}
		for _, d := range domains {
			if err := tx.Create(&CompanyDomain{Domain: d, CompanyID: id}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update company %d: %w", id, err)
	}
	return nil
}

// CompanyDomains returns the email domains company id owns, sorted.
func (s *Store) CompanyDomains(ctx context.Context, id uint) ([]string, error) {
	var ds []string
	if err := s.r.WithContext(ctx).Model(&CompanyDomain{}).Where("company_id = CAST(? AS INTEGER)", id).Order("domain").Pluck("domain", &ds).Error; err != nil {
		return nil, fmt.Errorf("domains of company %d: %w", id, err)
	}
	return ds, nil
}

// CompanyByID returns company id.
func (s *Store) CompanyByID(ctx context.Context, id uint) (*Company, error) {
	var c Company
	if err := s.r.WithContext(ctx).Take(&c, id).Error; err != nil {
		return nil, fmt.Errorf("company %d: %w", id, notFound(err))
	}
	return &c, nil
}
