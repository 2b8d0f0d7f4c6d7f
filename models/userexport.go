package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// UserExport is everything a user wrote and the account's data, as
// /me/export gives it (GDPR art. 15 and 20). Field names are the JSON's.
type UserExport struct {
	ExportedAt time.Time        `json:"exported_at"`
	Account    ExportAccount    `json:"account"`
	Sign       []ExportIdentity `json:"sign_in_providers"`
	Stories    []ExportStory    `json:"stories"`
	Comments   []ExportComment  `json:"comments"`
	Likes      []ExportReaction `json:"likes"`
	MeToos     []ExportReaction `json:"me_toos"`
	Notices    []Notice         `json:"decisions_about_my_content"`
	Pictures   []ExportPicture  `json:"pictures"`
}

// ExportPicture is a picture the user uploaded: the addresses of its sizes
// on the site (relative to its address), smallest first.
type ExportPicture struct {
	Kind      string    `json:"kind"`
	Alt       string    `json:"alt,omitempty"`
	URLs      []string  `json:"urls"`
	CreatedAt time.Time `json:"uploaded_at"`
}

// ExportAccount is the account's own row.
type ExportAccount struct {
	ID        uint      `json:"id"`
	Handle    string    `json:"handle"`
	Name      string    `json:"name"`
	Email     string    `json:"email,omitempty"`
	Role      string    `json:"role"`
	Bio       string    `json:"bio,omitempty"`
	Links     []string  `json:"links,omitempty"`
	AvatarURL string    `json:"avatar_url,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportIdentity is a linked sign-in provider.
type ExportIdentity struct {
	Provider string    `json:"provider"`
	Email    string    `json:"email,omitempty"`
	Name     string    `json:"name,omitempty"`
	Linked   time.Time `json:"linked_at"`
	LastUsed time.Time `json:"last_used_at"`
}

// ExportStory is a story with the author's original text.
type ExportStory struct {
	Title       string         `json:"title"`
	Slug        string         `json:"slug"`
	Status      string         `json:"status"`
	Original    string         `json:"original_markdown"`
	Published   string         `json:"published_html"`
	ShownPII    []string       `json:"personal_data_shown_by_choice,omitempty"`
	City        string         `json:"city,omitempty"`
	Resolution  string         `json:"resolution"`
	CreatedAt   time.Time      `json:"created_at"`
	PublishedAt *time.Time     `json:"published_at,omitempty"`
	Updates     []ExportUpdate `json:"updates,omitempty"`
}

// ExportUpdate is a dated update of a story.
type ExportUpdate struct {
	Markdown  string    `json:"markdown"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportComment is a comment the user wrote.
type ExportComment struct {
	Story     string    `json:"story_slug"`
	Markdown  string    `json:"markdown"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportReaction is a like or a "me too".
type ExportReaction struct {
	Story     string    `json:"story_slug"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportUser gathers userID's data, reading one snapshot of the database.
func (s *Store) ExportUser(ctx context.Context, userID uint) (*UserExport, error) {
	db := s.r.WithContext(ctx)
	var u User
	if err := db.Take(&u, userID).Error; err != nil {
		return nil, fmt.Errorf("export user %d: %w", userID, notFound(err))
	}
	x := &UserExport{ExportedAt: s.now(), Account: ExportAccount{ID: u.ID, Handle: u.Handle, Name: u.Name, Email: u.Email,
		Role: u.Role, Bio: u.Bio, Links: u.LinkList(), AvatarURL: u.AvatarURL, CreatedAt: u.CreatedAt}}
	var ids []Identity
	if err := db.Where("user_id = ?", userID).Order("id").Find(&ids).Error; err != nil {
		return nil, fmt.Errorf("export identities: %w", err)
	}
	for _, id := range ids {
		x.Sign = append(x.Sign, ExportIdentity{Provider: id.Provider, Email: id.Email, Name: id.Name, Linked: id.CreatedAt, LastUsed: id.LastUsedAt})
	}
	if err := s.exportStories(ctx, userID, x); err != nil {
		return nil, err
	}
	err := db.Table("comments").Select("stories.slug AS story, comments.body AS markdown, comments.status, comments.created_at").
		Joins("JOIN stories ON stories.id = comments.story_id").Where("comments.user_id = ? AND NOT comments.deleted", userID).
		Order("comments.id").Scan(&x.Comments).Error
	if err != nil {
		return nil, fmt.Errorf("export comments: %w", err)
	}
	for table, into := range map[string]*[]ExportReaction{"likes": &x.Likes, "me_toos": &x.MeToos} {
		err := db.Table(table).Select("stories.slug AS story, "+table+".created_at").
			Joins("JOIN stories ON stories.id = "+table+".story_id").Where(table+".user_id = ?", userID).
			Order(table + ".created_at").Scan(into).Error
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", table, err)
		}
	}
	if x.Notices, err = s.NoticesAbout(ctx, userID); err != nil {
		return nil, err
	}
	if x.Pictures, err = s.exportPictures(ctx, userID); err != nil {
		return nil, err
	}
	for i := range x.Notices { // who sent a notice, and what they wrote, is not the author's to know
		x.Notices[i].Name, x.Notices[i].Email, x.Notices[i].Explanation = "", "", ""
	}
	return x, nil
}

func (s *Store) exportStories(ctx context.Context, userID uint, x *UserExport) error {
	var sts []Story
	err := s.r.WithContext(ctx).Preload("Updates").Where("author_id = ?", userID).Order("id").Find(&sts).Error
	if err != nil {
		return fmt.Errorf("export stories: %w", err)
	}
	for _, st := range sts {
		es := ExportStory{Title: st.Title, Slug: st.Slug, Status: st.Status, Original: st.Body, Published: st.HTML,
			ShownPII: SplitShown(st.ShownPII), City: st.City, Resolution: st.Resolution, CreatedAt: st.CreatedAt, PublishedAt: st.PublishedAt}
		for _, u := range st.Updates {
			es.Updates = append(es.Updates, ExportUpdate{Markdown: u.Body, CreatedAt: u.CreatedAt})
		}
		x.Stories = append(x.Stories, es)
	}
	return nil
}

func (s *Store) exportPictures(ctx context.Context, userID uint) ([]ExportPicture, error) {
	var pics []Picture
	if err := s.r.WithContext(ctx).Where("owner_id = ? AND NOT orphaned", userID).Order("id").Find(&pics).Error; err != nil {
		return nil, fmt.Errorf("export pictures: %w", err)
	}
	out := make([]ExportPicture, 0, len(pics))
	for _, p := range pics {
		ep := ExportPicture{Kind: p.Kind, Alt: p.Alt, CreatedAt: p.CreatedAt}
		for _, key := range strings.Split(p.Files, ",") {
			ep.URLs = append(ep.URLs, MediaURL(key))
		}
		out = append(out, ep)
	}
	return out, nil
}
