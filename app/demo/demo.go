package demo

import (
	"context"
	"fmt"
	"time"

	"doleances/models"
	"doleances/models/media"
)

// Seed fills an empty site with the demo authors, categories, companies,
// stories and comments of demodata.go, dated relative to now. A site that
// already has users or stories is left alone.
func Seed(ctx context.Context, s *models.Store, files media.Storage, now time.Time) error {
	empty, err := s.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	users := map[string]*models.User{}
	for _, a := range demoAuthors {
		u := &models.User{Handle: a.Handle, Name: a.Name, Bio: a.Bio, Role: models.RoleAuthor}
		if err := s.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("author %s: %w", a.Handle, err)
		}
		users[a.Handle] = u
	}
	cats := map[string]uint{}
	for i, c := range Categories {
		cat := &models.Category{Name: c.Name, Description: c.Description, Position: i + 1}
		if err := s.CreateCategory(ctx, cat); err != nil {
			return fmt.Errorf("category %s: %w", c.Name, err)
		}
		cats[c.Name] = cat.ID
	}
	companies := map[string]uint{}
	for _, c := range demoCompanies {
		co := &models.Company{Name: c.Name, Description: c.Description}
		if err := s.CreateCompany(ctx, co); err != nil {
			return fmt.Errorf("company %s: %w", c.Name, err)
		}
		companies[c.Name] = co.ID
	}
	for i, d := range Stories {
		if err := seedStory(ctx, s, files, now, i, d, users, cats, companies); err != nil {
			return err
		}
	}
	return nil
}

func seedStory(ctx context.Context, s *models.Store, files media.Storage, now time.Time, i int, d demoStory,
	users map[string]*models.User, cats, companies map[string]uint) error {
	author, ok := users[d.Author]
	if !ok {
		return fmt.Errorf("story %q: unknown author %q", d.Title, d.Author)
	}
	published := now.Add(-time.Duration(d.DaysAgo)*24*time.Hour - time.Duration(i*37)*time.Minute).UTC()
	in := models.StoryInput{
		Title: d.Title, Body: d.Body, AuthorID: author.ID, Tags: d.Tags, City: d.City,
		Resolution: d.Resolution, Status: models.StatusPublished, PublishedAt: &published,
		Lang: "en", // the demo stories are written in English, whatever the site's language
	}
	for _, name := range d.Categories {
		in.CategoryIDs = append(in.CategoryIDs, cats[name])
	}
	if id, ok := companies[d.Company]; ok {
		in.CompanyID = &id
	}
	if err := addDemoPictures(ctx, s, files, &in); err != nil {
		return err
	}
	st, err := s.CreateStory(ctx, in)
	if err != nil {
		return err
	}
	ids := make([]uint, len(d.Comments))
	for j, dc := range d.Comments {
		// Comments stay in the past and in order even on a story from yesterday.
		at := published.Add(time.Duration(dc.Hours) * time.Hour)
		if latest := now.Add(-time.Duration(len(d.Comments)-j) * 7 * time.Minute); at.After(latest) {
			at = latest
		}
		c := models.CommentInput{
			StoryID: st.ID, AuthorName: dc.Name, AuthorEmail: dc.Email, AuthorURL: dc.Website,
			Body: dc.Body, Status: models.CommentApproved, CreatedAt: at,
		}
		if u, ok := users[dc.Handle]; ok {
			c.UserID, c.AuthorName = &u.ID, u.Name
		}
		if dc.ReplyTo > 0 && dc.ReplyTo <= j {
			c.ParentID = &ids[dc.ReplyTo-1]
		}
		cm, err := s.AddComment(ctx, c)
		if err != nil {
			return fmt.Errorf("comment %d on %q: %w", j+1, d.Title, err)
		}
		ids[j] = cm.ID
	}
	return nil
}
