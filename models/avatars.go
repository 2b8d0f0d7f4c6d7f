package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SetAvatar makes url (a picture of this site, or "" for the letters) the
// face of user userID; the picture it replaces is orphaned.
func (s *Store) SetAvatar(ctx context.Context, userID uint, url string) error {
	return s.replacePicture(ctx, &User{}, userID, "avatar_url", url)
}

// SetCompanyLogo makes url (a picture of this site, or "") the logo of
// company companyID; the picture it replaces is orphaned.
func (s *Store) SetCompanyLogo(ctx context.Context, companyID uint, url string) error {
	return s.replacePicture(ctx, &Company{}, companyID, "logo_url", url)
}

// replacePicture sets the picture column col of the row id of model's table.
func (s *Store) replacePicture(ctx context.Context, model any, id uint, col, url string) error {
	if _, ok := ParseMediaURL(url); url != "" && !ok {
		return &ValidationError{Fields: map[string]string{col: "Choose a picture uploaded here."}}
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old []string
		if err := tx.Model(model).Where("id = ?", id).Pluck(col, &old).Error; err != nil {
			return err
		}
		if len(old) == 0 {
			return ErrNotFound
		}
		if err := tx.Model(model).Where("id = ?", id).Update(col, url).Error; err != nil {
			return err
		}
		ref, ok := ParseMediaURL(old[0])
		if !ok || old[0] == url {
			return nil
		}
		var ids []uint
		if err := tx.Model(&Picture{}).Where("name = ?", ref.Name).Pluck("id", &ids).Error; err != nil {
			return err
		}
		return orphanPictures(tx, ids)
	})
	if err != nil {
		return fmt.Errorf("set %s of %d: %w", col, id, err)
	}
	return nil
}
