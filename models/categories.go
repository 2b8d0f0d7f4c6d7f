package models

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Limits on categories.
const (
	MaxCategoryNameLen = 100
	MaxDescriptionLen  = 1000
)

// CategoryInput is what an admin decides about a category. An empty Slug
// is made from the name.
type CategoryInput struct {
	Name        string
	Slug        string
	Description string
	Position    int
}

func (in CategoryInput) validate() error {
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Name)); {
	case n == 0:
		fields["name"] = "A category needs a name."
	case n > MaxCategoryNameLen:
		fields["name"] = tooLong("The name is", n, MaxCategoryNameLen)
	default:
		setProblem(fields, "name", lineProblem(in.Name, false))
	}
	if in.Slug != "" && Slugify(in.Slug) != in.Slug {
		fields["slug"] = "Use lowercase letters, digits and hyphens, like " + orElse(Slugify(in.Slug), "telecom-and-internet") + "."
	}
	if n := utf8.RuneCountInString(in.Description); n > MaxDescriptionLen {
		fields["description"] = tooLong("The description is", n, MaxDescriptionLen)
	} else {
		setProblem(fields, "description", lineProblem(in.Description, true))
	}
	if len(fields) > 0 {
		return &ValidationError{Fields: fields}
	}
	return nil
}

// Categories returns every category in the admin's order.
func (s *Store) Categories(ctx context.Context) ([]Category, error) {
	var cs []Category
	if err := s.r.WithContext(ctx).Order("position, name").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	return cs, nil
}

// UpdateCategory changes category id. A slug another category has is a
// validation error on the slug field.
func (s *Store) UpdateCategory(ctx context.Context, id uint, in CategoryInput) (*Category, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	c := Category{ID: id, Name: strings.TrimSpace(in.Name), Slug: in.Slug,
		Description: strings.TrimSpace(in.Description), Position: in.Position}
	if c.Slug == "" {
		c.Slug = orElse(Slugify(c.Name), "category")
	}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Category{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := tx.Model(&Category{}).Where("slug = ? AND id <> ?", c.Slug, id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &ValidationError{Fields: map[string]string{"slug": "Another category has this slug."}}
		}
		if err := refuseTakenCategoryName(tx, c.Name, id); err != nil {
			return err
		}
		return tx.Model(&c).Select("name", "slug", "description", "position").Updates(&c).Error
	})
	if err != nil {
		return nil, fmt.Errorf("update category %d: %w", id, err)
	}
	return &c, nil
}

// refuseTakenCategoryName is a ValidationError on "name" when a category
// other than exceptID has a name that reads the same (nameKey): two
// "Télécom" in a menu cannot be told apart.
func refuseTakenCategoryName(tx *gorm.DB, name string, exceptID uint) error {
	var others []Category
	if err := tx.Select("id", "name").Where("id <> ?", exceptID).Find(&others).Error; err != nil {
		return err
	}
	key := nameKey(name)
	for _, o := range others {
		if nameKey(o.Name) == key {
			return &ValidationError{Fields: map[string]string{"name": fmt.Sprintf("The category %q has this name already.", o.Name)}}
		}
	}
	return nil
}

// DeleteCategory deletes a category; its stories keep their other ones.
func (s *Store) DeleteCategory(ctx context.Context, id uint) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("category_id = ?", id).Delete(&StoryCategory{}).Error; err != nil {
			return err
		}
		res := tx.Delete(&Category{}, id)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
	if err != nil {
		return fmt.Errorf("delete category %d: %w", id, err)
	}
	return nil
}
