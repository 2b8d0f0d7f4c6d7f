package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// PendingEdit is a change to a published story made by a reader (a writer
// the admins have not yet made an author), kept aside until an admin
// approves it: the approved version stays public meanwhile, so that a story
// reviewed once cannot be turned into something else without a second
// look. A story has at most one: a new edit replaces it. Its tags and
// company already exist as rows, but nothing shows them until a published
// story has them (see TagBySlug).
type PendingEdit struct {
	ID          uint   `gorm:"primaryKey"`
	StoryID     uint   `gorm:"not null;uniqueIndex"`
	EditorID    uint   `gorm:"not null"`
	Title       string `gorm:"size:200;not null"`
	Body        string `gorm:"not null"`
	HTML        string `gorm:"column:html;not null"` // the body rendered, for the admin who reviews it
	CompanyID   *uint
	Company     *Company
	City        string `gorm:"size:100"`
	Resolution  string `gorm:"size:10;not null"`
	ShownPII    string `gorm:"column:shown_pii;not null;default:''"` // as Story.ShownPII
	CategoryIDs string `gorm:"size:2000"`                            // ids, ","-separated
	Tags        string `gorm:"size:2000"`                            // names, ", "-separated
	Cover       string `gorm:"size:200;not null;default:''"`
	CoverAlt    string `gorm:"size:1000;not null;default:''"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// CategoryNames are the names of CategoryIDs, as ReviewQueue loads them.
	CategoryNames []string `gorm:"-"`
}

// CategoryIDList is the edit's categories as ids.
func (p *PendingEdit) CategoryIDList() []uint {
	var ids []uint
	for _, f := range strings.Split(p.CategoryIDs, ",") {
		if id, err := strconv.ParseUint(f, 10, 32); err == nil {
			ids = append(ids, uint(id))
		}
	}
	return ids
}

// edit is a story's new version, checked and rendered, as UpdateStory and
// ApproveStory apply it.
type edit struct {
	title, body, city, resolution string
	shown                         string // Story.ShownPII
	r                             Rendered
	company                       *uint
	cats                          []uint
	tags                          []Tag
	cover, coverAlt               string
	noRevision                    bool // an autosave of a draft keeps no revision
}

// changes reports whether e changes anything of st.
func (e edit) changes(st *Story) bool {
	return storyChanged(st, e) || st.Cover != e.cover || st.CoverAlt != e.coverAlt
}

// heldForReview reports whether editorID's change to st must wait for an
// admin: st is public and editorID is a reader.
func heldForReview(tx *gorm.DB, st *Story, editorID uint) (bool, error) {
	if st.Status != StatusPublished {
		return false, nil
	}
	role, err := roleOf(tx, editorID)
	return role == RoleReader, err
}

// holdEdit keeps e as st's pending edit, replacing any earlier one; an edit
// back to the published version drops the pending one.
func holdEdit(tx *gorm.DB, st *Story, editorID uint, e edit) error {
	if err := tx.Where("story_id = ?", st.ID).Delete(&PendingEdit{}).Error; err != nil {
		return fmt.Errorf("former pending edit: %w", err)
	}
	if !e.changes(st) {
		return nil
	}
	ids := make([]string, len(e.cats))
	for i, c := range e.cats {
		ids[i] = strconv.FormatUint(uint64(c), 10)
	}
	names := make([]string, len(e.tags))
	for i, t := range e.tags {
		names[i] = t.Name
	}
	p := &PendingEdit{StoryID: st.ID, EditorID: editorID, Title: e.title, Body: e.body, HTML: e.r.HTML, ShownPII: e.shown,
		CompanyID: e.company, City: e.city, Resolution: e.resolution,
		CategoryIDs: strings.Join(ids, ","), Tags: strings.Join(names, ", "), Cover: e.cover, CoverAlt: e.coverAlt}
	if err := tx.Create(p).Error; err != nil {
		return fmt.Errorf("pending edit: %w", err)
	}
	return nil
}

// applyPending publishes st's pending edit and pending updates, if any, and
// reports whether there were some. Categories or a company deleted since
// the edit was made are left out.
func applyPending(tx *gorm.DB, st *Story) (bool, error) {
	var ps []PendingEdit
	if err := tx.Where("story_id = ?", st.ID).Limit(1).Find(&ps).Error; err != nil {
		return false, fmt.Errorf("pending edit: %w", err)
	}
	found := len(ps) > 0
	if found {
		if err := applyPendingEdit(tx, st, &ps[0]); err != nil {
			return false, err
		}
	}
	var ups []StoryUpdate
	if err := tx.Where("story_id = ? AND pending = ?", st.ID, true).Order("created_at, id").Find(&ups).Error; err != nil {
		return false, fmt.Errorf("pending updates: %w", err)
	}
	resolution := ""
	for _, u := range ups {
		resolution = orElse(u.Resolution, resolution)
	}
	if len(ups) > 0 {
		if err := tx.Model(&StoryUpdate{}).Where("story_id = ? AND pending = ?", st.ID, true).Update("pending", false).Error; err != nil {
			return false, fmt.Errorf("pending updates: %w", err)
		}
		if cols := resolutionChange(st, resolution, tx.NowFunc()); cols != nil {
			if err := tx.Model(st).Updates(cols).Error; err != nil {
				return false, err
			}
		} else if err := tx.Model(st).Update("resolution", st.Resolution).Error; err != nil {
			return false, err
		}
	}
	return found || len(ups) > 0, nil
}

// applyPendingEdit applies p to st (loaded with its categories and tags)
// as if its editor made it now, and deletes it.
func applyPendingEdit(tx *gorm.DB, st *Story, p *PendingEdit) error {
	r, err := RenderStoryShowing(p.Body, SplitShown(p.ShownPII))
	if err != nil {
		return fmt.Errorf("render pending edit: %w", err)
	}
	var cats []uint
	if ids := p.CategoryIDList(); len(ids) > 0 {
		if err := tx.Model(&Category{}).Where("id IN ?", ids).Order("id").Pluck("id", &cats).Error; err != nil {
			return fmt.Errorf("categories: %w", err)
		}
	}
	company := p.CompanyID
	if company != nil {
		var n int64
		if err := tx.Model(&Company{}).Where("id = ?", *company).Count(&n).Error; err != nil {
			return fmt.Errorf("company: %w", err)
		}
		if n == 0 {
			company = nil
		}
	}
	tags, err := ensureTags(tx, strings.Split(p.Tags, ","))
	if err != nil {
		return err
	}
	e := edit{title: p.Title, body: p.Body, shown: p.ShownPII, city: p.City, resolution: p.Resolution, r: r, company: company, cats: cats, tags: tags,
		cover: p.Cover, coverAlt: p.CoverAlt}
	if err := applyEdit(tx, st, p.EditorID, e); err != nil {
		return err
	}
	return tx.Delete(p).Error
}

// dropPending deletes st's pending edit and updates, and reports whether
// there were some.
func dropPending(tx *gorm.DB, storyID uint) (bool, error) {
	a := tx.Where("story_id = ?", storyID).Delete(&PendingEdit{})
	if a.Error != nil {
		return false, fmt.Errorf("pending edit: %w", a.Error)
	}
	b := tx.Where("story_id = ? AND pending = ?", storyID, true).Delete(&StoryUpdate{})
	if b.Error != nil {
		return false, fmt.Errorf("pending updates: %w", b.Error)
	}
	return a.RowsAffected+b.RowsAffected > 0, nil
}

// hasPending is the condition on stories of having changes waiting for review.
const hasPending = "(EXISTS (SELECT 1 FROM pending_edits pe WHERE pe.story_id = stories.id) OR " +
	"EXISTS (SELECT 1 FROM story_updates su WHERE su.story_id = stories.id AND su.pending))"
