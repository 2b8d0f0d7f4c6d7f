package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// PurposeClaim is a link mailed to a user who claims to represent the
// company of OneTimeToken.CompanyID: opening it makes them one.
const PurposeClaim = "claim"

// MailKindClaim is the outbox kind of the mails confirming a claim.
const MailKindClaim = "claim"

// Why a claim is refused, as the company page says it.
var (
	ErrClaimNoDomains  = errors.New("this company has no email domain: an admin adds its representatives")
	ErrClaimUnverified = errors.New("your email address is not verified")
	ErrClaimDomain     = errors.New("your email address is not at one of the company's domains")
	ErrClaimAlready    = errors.New("you already represent this company")
)

// addCompanyClaims is a migration step: the company a claim link is for,
// the mail states of official replies and follow-ups (the author hears of
// them), the reply or follow-up a notice is about, and whether a decision
// on a notice unpublished it.
func addCompanyClaims(ctx context.Context, tx *gorm.DB, d dialect) error {
	for _, c := range []struct{ table, column, definition string }{
		{"one_time_tokens", "company_id", "integer"},
		{"company_replies", "mail_state", "integer NOT NULL DEFAULT 0"},
		{"company_follow_ups", "mail_state", "integer NOT NULL DEFAULT 0"},
		{"notices", "reply_id", "integer NOT NULL DEFAULT 0"},
		{"notices", "follow_up_id", "integer NOT NULL DEFAULT 0"},
		{"company_replies", "hidden", "numeric NOT NULL DEFAULT false"},
		{"company_follow_ups", "hidden", "numeric NOT NULL DEFAULT false"},
	} {
		if err := d.addColumn(tx, c.table, c.column, c.definition); err != nil {
			return fmt.Errorf("%s.%s: %w", c.table, c.column, err)
		}
	}
	return execAll(tx, []string{
		"CREATE INDEX IF NOT EXISTS `idx_company_replies_mail_state` ON `company_replies`(`mail_state`)",
		"CREATE INDEX IF NOT EXISTS `idx_company_follow_ups_mail_state` ON `company_follow_ups`(`mail_state`)",
	})
}

// DomainMatches says whether the address email is at domain or at one of
// its subdomains ("x@sav.orange.fr" matches "orange.fr"): a company owns
// the names under its domain, and its staff often write from them.
func DomainMatches(email, domain string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || domain == "" {
		return false
	}
	host := strings.ToLower(email[at+1:])
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// claimCheck says why user u may not claim company companyID (nil: they may).
func claimCheck(tx *gorm.DB, u *User, companyID uint) error {
	var domains []string
	if err := tx.Model(&CompanyDomain{}).Where("company_id = ?", companyID).Pluck("domain", &domains).Error; err != nil {
		return err
	}
	if len(domains) == 0 {
		return ErrClaimNoDomains
	}
	if u.Email == "" || !u.EmailVerified {
		return ErrClaimUnverified
	}
	ok := false
	for _, d := range domains {
		ok = ok || DomainMatches(u.Email, d)
	}
	if !ok {
		return ErrClaimDomain
	}
	if rep, err := represents(tx, u.ID, companyID); err != nil || rep {
		return cmpErr(err, ErrClaimAlready)
	}
	return nil
}

// cmpErr is err, or other when err is nil.
func cmpErr(err, other error) error {
	if err != nil {
		return err
	}
	return other
}

// CanClaim says whether userID may claim company companyID now: nil, or
// one of the ErrClaim errors saying why not.
func (s *Store) CanClaim(ctx context.Context, userID, companyID uint) error {
	db := s.r.WithContext(ctx)
	var u User
	if err := db.Select("id", "email", "email_verified").Take(&u, userID).Error; err != nil {
		return fmt.Errorf("user %d: %w", userID, notFound(err))
	}
	if err := claimCheck(db, &u, companyID); err != nil {
		return fmt.Errorf("claim of company %d by user %d: %w", companyID, userID, err)
	}
	return nil
}

// ConfirmClaim uses a claim link: its user becomes a representative of
// its company, if they still may (their verified address still at one of
// the company's domains). Used, expired or unknown: ErrNotFound.
func (s *Store) ConfirmClaim(ctx context.Context, token string) (*Company, error) {
	var co Company
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.useOneTimeToken(tx, PurposeClaim, token)
		if err != nil {
			return err
		}
		if t.UserID == nil || t.CompanyID == nil {
			return ErrNotFound
		}
		var u User
		if err := tx.Select("id", "email", "email_verified").Take(&u, *t.UserID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Take(&co, *t.CompanyID).Error; err != nil {
			return notFound(err)
		}
		// The address must be the one the link went to, and still qualify.
		if !strings.EqualFold(u.Email, t.Email) {
			return ErrClaimDomain
		}
		if err := claimCheck(tx, &u, co.ID); err != nil {
			return err
		}
		if err := addRepresentative(tx, co.ID, u.ID); err != nil {
			return err
		}
		return s.audit(tx, u.ID, AuditCompanyClaim, fmt.Sprintf("company %d", co.ID), u.Email)
	})
	if err != nil {
		return nil, fmt.Errorf("claim link: %w", err)
	}
	return &co, nil
}
