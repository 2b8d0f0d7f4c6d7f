package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Identity is an account at a sign-in provider linked to a user. A provider's
// user id belongs to one user at most.
type Identity struct {
	ID             uint   `gorm:"primaryKey"`
	UserID         uint   `gorm:"not null;index"`
	User           User   `gorm:"constraint:OnDelete:CASCADE"`
	Provider       string `gorm:"size:40;not null;uniqueIndex:idx_identities_provider_user,priority:1"`
	ProviderUserID string `gorm:"size:255;not null;uniqueIndex:idx_identities_provider_user,priority:2"`
	Email          string `gorm:"size:254"`
	EmailVerified  bool   `gorm:"not null;default:false"`
	Name           string `gorm:"size:100"`
	CreatedAt      time.Time
	LastUsedAt     time.Time
}

// IdentityInput is what a provider tells about the person who signed in.
type IdentityInput struct {
	Provider       string
	ProviderUserID string
	Email          string
	EmailVerified  bool
	Name           string
	Nick           string
	AvatarURL      string
	// Admin makes the user an admin (the caller decided from the verified email).
	Admin bool
}

var handlePattern = regexp.MustCompile(`^[a-z0-9-]{3,30}$`)

// MaxHandleLen is the longest handle, as handlePattern says.
const MaxHandleLen = 30

// SignInWithIdentity returns the user linked to the provider's account,
// creating the user and the identity on the first sign-in. Accounts are never
// merged by email: an identity joins an existing user only through LinkIdentity.
func (s *Store) SignInWithIdentity(ctx context.Context, in IdentityInput) (*User, error) {
	if in.Provider == "" || in.ProviderUserID == "" {
		return nil, errors.New("sign in: provider and provider user id are required")
	}
	var u User
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.signInWithIdentity(tx, in, &u) })
	if err != nil {
		return nil, fmt.Errorf("sign in with %s: %w", in.Provider, err)
	}
	return &u, nil
}

// signInWithIdentity is SignInWithIdentity inside tx, filling u.
func (s *Store) signInWithIdentity(tx *gorm.DB, in IdentityInput, u *User) error {
	var id Identity
	err := tx.Where("provider = ? AND provider_user_id = ?", in.Provider, in.ProviderUserID).Take(&id).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return createUserWithIdentity(tx, in, u, s.now())
	case err != nil:
		return err
	}
	if err := tx.Take(u, id.UserID).Error; err != nil {
		return err
	}
	upd := map[string]any{"email": in.Email, "email_verified": in.EmailVerified, "name": in.Name, "last_used_at": s.now()}
	if err := tx.Model(&id).Updates(upd).Error; err != nil {
		return err
	}
	if in.EmailVerified && in.Email != "" && (!u.EmailVerified || u.Email == "") {
		u.Email, u.EmailVerified = in.Email, true
	}
	if in.Admin {
		u.Role = RoleAdmin
	}
	return tx.Model(u).Select("email", "email_verified", "role").Updates(u).Error
}

func createUserWithIdentity(tx *gorm.DB, in IdentityInput, u *User, now time.Time) error {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = strings.TrimSpace(in.Nick)
	}
	if name == "" {
		name = "Reader"
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	if !in.Admin && (lineProblem(name, false) != "" || reservedName(name)) {
		name = "Reader" // the provider's name, not typed here: the person chooses theirs at /me
	}
	*u = User{Name: name, Role: RoleReader}
	if SafeURLAbsolute(in.AvatarURL) && len(in.AvatarURL) <= 2000 {
		u.AvatarURL = in.AvatarURL
	}
	if in.EmailVerified {
		u.Email, u.EmailVerified = in.Email, true
	}
	if in.Admin {
		u.Role = RoleAdmin
	}
	base := Slugify(in.Nick)
	if base == "" {
		base = Slugify(name)
	}
	if !in.Admin && reservedName(base) {
		base = "reader"
	}
	var err error
	if u.Handle, err = uniqueHandle(tx, base); err != nil {
		return err
	}
	if err := tx.Create(u).Error; err != nil {
		return err
	}
	return tx.Create(&Identity{UserID: u.ID, Provider: in.Provider, ProviderUserID: in.ProviderUserID,
		Email: in.Email, EmailVerified: in.EmailVerified, Name: in.Name, LastUsedAt: now}).Error
}

// LinkIdentity links a provider's account to user userID. An account already
// linked to another user is ErrConflict.
func (s *Store) LinkIdentity(ctx context.Context, userID uint, in IdentityInput) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var id Identity
		err := tx.Where("provider = ? AND provider_user_id = ?", in.Provider, in.ProviderUserID).Take(&id).Error
		switch {
		case err == nil && id.UserID == userID:
			return nil
		case err == nil:
			return fmt.Errorf("link %s: %w", in.Provider, ErrConflict)
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		return tx.Create(&Identity{UserID: userID, Provider: in.Provider, ProviderUserID: in.ProviderUserID,
			Email: in.Email, EmailVerified: in.EmailVerified, Name: in.Name, LastUsedAt: s.now()}).Error
	})
}

// Identities lists the identities of a user, oldest first.
func (s *Store) Identities(ctx context.Context, userID uint) ([]Identity, error) {
	var ids []Identity
	err := s.r.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&ids).Error
	return ids, err
}

// UnlinkIdentity removes one of a user's identities, unless it is the last one
// (ErrLastSignIn).
func (s *Store) UnlinkIdentity(ctx context.Context, userID, identityID uint) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Identity{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
			return err
		}
		res := tx.Where("id = ? AND user_id = ?", identityID, userID).Delete(&Identity{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if n <= 1 {
			return ErrLastSignIn // rolls the delete back
		}
		return nil
	})
}

// UserByID returns a user.
func (s *Store) UserByID(ctx context.Context, id uint) (*User, error) {
	var u User
	if err := s.r.WithContext(ctx).Take(&u, id).Error; err != nil {
		return nil, fmt.Errorf("user %d: %w", id, notFound(err))
	}
	return &u, nil
}

// UserByEmailOrHandle finds a user by handle, or else by email.
func (s *Store) UserByEmailOrHandle(ctx context.Context, who string) (*User, error) {
	var u User
	who = strings.TrimSpace(who)
	err := s.r.WithContext(ctx).Where("handle = ?", strings.ToLower(who)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) && who != "" {
		err = s.r.WithContext(ctx).Where("lower(email) = ?", strings.ToLower(who)).Order("id").Take(&u).Error
	}
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", who, notFound(err))
	}
	return &u, nil
}

// HasAdmin reports whether any user is an admin.
func (s *Store) HasAdmin(ctx context.Context) (bool, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&User{}).Where("role = ?", RoleAdmin).Count(&n).Error
	return n > 0, err
}

// ValidateProfile checks a display name and a handle.
func ValidateProfile(name, handle string) map[string]string {
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(name)); {
	case n == 0:
		fields["name"] = "Please give a display name."
	case n > MaxNameLen:
		fields["name"] = tooLong("The name is", n, MaxNameLen)
	default:
		setProblem(fields, "name", lineProblem(name, false))
	}
	if handle != "" && !handlePattern.MatchString(handle) {
		fields["handle"] = "Use 3 to 30 characters: lowercase letters, digits and hyphens."
	}
	return fields
}

// UpdateProfile changes a user's display name and handle. A handle taken by
// someone else is a ValidationError on "handle".
func (s *Store) UpdateProfile(ctx context.Context, userID uint, name, handle string) error {
	name, handle = strings.TrimSpace(name), strings.TrimSpace(handle)
	if handle == "" {
		return &ValidationError{Fields: map[string]string{"handle": "Please choose a handle."}}
	}
	if f := ValidateProfile(name, handle); len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := refuseReservedProfile(tx, userID, name, handle); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&User{}).Where("handle = ? AND id <> ?", handle, userID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &ValidationError{Fields: map[string]string{"handle": "That handle is taken; please choose another."}}
		}
		res := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"name": name, "handle": handle})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
}

// refuseReservedProfile is a ValidationError when a name or handle passes
// for the site or its staff, unless userID is an admin (who is the staff).
func refuseReservedProfile(tx *gorm.DB, userID uint, name, handle string) error {
	fields := map[string]string{}
	if reservedName(name) {
		fields["name"] = reservedNameMessage
	}
	if reservedName(handle) {
		fields["handle"] = reservedNameMessage
	}
	if len(fields) == 0 {
		return nil
	}
	if role, err := roleOf(tx, userID); err != nil || role == RoleAdmin {
		return err
	}
	return &ValidationError{Fields: fields}
}

// Users returns every user but the deleted-user account, admins first, then by name, for the admin's list.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var us []User
	// The deleted-user account is no one to manage (see ghostUser).
	err := s.r.WithContext(ctx).Where("handle <> ?", DeletedUserHandle).
		Order("CASE role WHEN 'admin' THEN 0 WHEN 'author' THEN 1 ELSE 2 END, name COLLATE NOCASE, id").Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return us, nil
}

// PromoteUser gives user userID a role (reader, author or admin). Only
// admins may (ErrNotFound for others); the last admin cannot step down
// (ErrConflict), so that the site always has one.
func (s *Store) PromoteUser(ctx context.Context, adminID, userID uint, role string) error {
	switch role {
	case RoleReader, RoleAuthor, RoleAdmin:
	default:
		return &ValidationError{Fields: map[string]string{"role": "Choose reader, author or admin."}}
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := requireAdmin(tx, adminID); err != nil {
			return err
		}
		current, err := roleOf(tx, userID)
		if err != nil || current == role {
			return err
		}
		if err := refuseGhost(tx, userID); err != nil {
			return err
		}
		if current == RoleAdmin {
			var admins int64
			if err := tx.Model(&User{}).Where("role = ?", RoleAdmin).Count(&admins).Error; err != nil {
				return err
			}
			if admins <= 1 {
				return fmt.Errorf("the last admin cannot step down: %w", ErrConflict)
			}
		}
		if err := s.audit(tx, adminID, AuditUserRole, idList("user", []uint{userID}), current+" → "+role); err != nil {
			return err
		}
		return tx.Model(&User{}).Where("id = ?", userID).Update("role", role).Error
	})
	if err != nil {
		return fmt.Errorf("give user %d the role %s: %w", userID, role, err)
	}
	return nil
}
