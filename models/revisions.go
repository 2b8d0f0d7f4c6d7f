package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Revision is a story as it was before one of its edits, and who made that
// edit, when. Categories and tags are kept by name, so that the history
// still reads right after a category is renamed or deleted.
type Revision struct {
	ID         uint      `gorm:"primaryKey"`
	StoryID    uint      `gorm:"not null;index:idx_revisions_story,priority:1"`
	EditorID   uint      `gorm:"not null"`
	Editor     User      `gorm:"foreignKey:EditorID"`
	CreatedAt  time.Time `gorm:"index:idx_revisions_story,priority:2"`
	Title      string    `gorm:"size:200;not null"`
	Slug       string    `gorm:"size:100;not null"`
	Body       string    `gorm:"not null"`
	CompanyID  *uint
	City       string `gorm:"size:100"`
	Status     string `gorm:"size:10;not null"`
	Resolution string `gorm:"size:10;not null"`
	Categories string `gorm:"size:2000"` // names, ", "-separated
	Tags       string `gorm:"size:2000"` // names, ", "-separated
}

// revisionOf records st as it is now (with its categories and tags loaded),
// edited by editorID.
func revisionOf(st *Story, editorID uint) *Revision {
	cats := make([]string, len(st.Categories))
	for i, c := range st.Categories {
		cats[i] = c.Name
	}
	tags := make([]string, len(st.Tags))
	for i, t := range st.Tags {
		tags[i] = t.Name
	}
	return &Revision{
		StoryID: st.ID, EditorID: editorID, Title: st.Title, Slug: st.Slug, Body: st.Body,
		CompanyID: st.CompanyID, City: st.City, Status: st.Status, Resolution: st.Resolution,
		Categories: strings.Join(cats, ", "), Tags: strings.Join(tags, ", "),
	}
}

// Revisions returns the former versions of a story, newest first, with who
// made each change. It does not check who is asking: load the story with
// StoryForEdit first.
func (s *Store) Revisions(ctx context.Context, storyID uint) ([]Revision, error) {
	var rs []Revision
	err := s.r.WithContext(ctx).Preload("Editor").Where("story_id = ?", storyID).
		Order("created_at DESC, id DESC").Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("revisions of story %d: %w", storyID, err)
	}
	return rs, nil
}
