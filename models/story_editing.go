package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// editableBy narrows a query on stories to those userID may change: their
// own, or any if they are an admin. Anyone else gets ErrNotFound from the
// callers, so that a draft's existence is never revealed.
func editableBy(db *gorm.DB, userID uint) *gorm.DB {
	return db.Where("(stories.author_id = ? OR EXISTS (SELECT 1 FROM users WHERE users.id = ? AND users.role = ?))",
		userID, userID, RoleAdmin)
}

// withEditRefs loads what the editor shows beside a story's own columns.
// The writer sees their own changes waiting for review, with the rest.
func withEditRefs(db *gorm.DB) *gorm.DB {
	return withStoryRefs(db).Preload("Updates", func(db *gorm.DB) *gorm.DB { return db.Order("created_at, id") }).
		Preload("Pending").Preload("Pending.Company")
}

// StoryForEdit returns story id, whatever its status, with its author,
// company, categories, tags and updates, if userID is its author or an
// admin; ErrNotFound otherwise.
func (s *Store) StoryForEdit(ctx context.Context, id, userID uint) (*Story, error) {
	var st Story
	err := editableBy(withEditRefs(s.r.WithContext(ctx)), userID).Where("stories.id = ?", id).Take(&st).Error
	if err != nil {
		return nil, fmt.Errorf("story %d for user %d: %w", id, userID, notFound(err))
	}
	return &st, nil
}

// StoryForEditBySlug is StoryForEdit for the story whose current slug
// (provisional for a draft) is slug.
func (s *Store) StoryForEditBySlug(ctx context.Context, slug string, userID uint) (*Story, error) {
	var st Story
	err := editableBy(withEditRefs(s.r.WithContext(ctx)), userID).Where("stories.slug = ?", slug).Take(&st).Error
	if err != nil {
		return nil, fmt.Errorf("story %q for user %d: %w", slug, userID, notFound(err))
	}
	return &st, nil
}

// UpdateStory saves an edit of story id by editorID (its author or an
// admin, else ErrNotFound): it validates like CreateStory, renders the
// Markdown, replaces categories and tags, keeps the former version as a
// Revision and, for a story that has been published, moves the slug if the
// title's words changed (the old slug redirects), in one transaction. An
// edit that changes nothing writes nothing. A reader's edit of a published
// story is kept as its PendingEdit instead, until an admin approves it
// (ApproveStory). The input's AuthorID, Status and PublishedAt are ignored
// (see SubmitStory and UnpublishStory); an empty Resolution keeps the
// current one.
func (s *Store) UpdateStory(ctx context.Context, id, editorID uint, in StoryInput) (*Story, error) {
	return s.updateStory(ctx, id, editorID, in, false)
}

// AutosaveDraft saves in as draft id while its writer types, as UpdateStory
// does, but only while the story is a draft (ErrNotDraft otherwise: an
// autosave must never publish half-typed text, nor put it in the review
// queue), and without a Revision each time: the history keeps the
// versions saved by hand.
func (s *Store) AutosaveDraft(ctx context.Context, id, editorID uint, in StoryInput) (*Story, error) {
	return s.updateStory(ctx, id, editorID, in, true)
}

func (s *Store) updateStory(ctx context.Context, id, editorID uint, in StoryInput, autosave bool) (*Story, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	shown := ShownIn(in.Body, in.ShowPII)
	r, err := RenderStoryShowing(in.Body, SplitShown(shown))
	if err != nil {
		return nil, fmt.Errorf("render story: %w", err)
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var st Story
		err := editableBy(tx.Preload("Categories").Preload("Tags"), editorID).Where("stories.id = ?", id).Take(&st).Error
		if err != nil {
			return notFound(err)
		}
		if autosave && st.Status != StatusDraft {
			return ErrNotDraft
		}
		cats, err := checkRefs(tx, in)
		if err != nil {
			return err
		}
		tags, err := ensureTags(tx, in.Tags)
		if err != nil {
			return err
		}
		if st.Status != StatusDraft && in.Body != st.Body && Blank(r.HTML) {
			return errEmptyStory() // a draft may be a title alone; a public story may not become one
		}
		e := edit{title: strings.TrimSpace(in.Title), body: in.Body, shown: shown, city: strings.TrimSpace(in.City),
			resolution: orElse(in.Resolution, st.Resolution), r: r, company: in.CompanyID, cats: cats, tags: tags,
			cover: in.Cover, coverAlt: strings.TrimSpace(in.CoverAlt), noRevision: autosave}
		if in.Lang != st.Lang {
			// The language says how to read the text, not what it says: no review.
			if err := tx.Model(&Story{}).Where("id = ?", st.ID).UpdateColumn("lang", in.Lang).Error; err != nil {
				return err
			}
		}
		held, err := heldForReview(tx, &st, editorID)
		if err != nil {
			return err
		}
		if held {
			return holdEdit(tx, &st, editorID, e)
		}
		return applyEdit(tx, &st, editorID, e)
	})
	if err != nil {
		return nil, fmt.Errorf("update story %d: %w", id, err)
	}
	return s.StoryForEdit(ctx, id, editorID)
}

// applyEdit makes e the version of st (loaded with its categories and
// tags), edited by editorID, keeping the former one as a Revision.
func applyEdit(tx *gorm.DB, st *Story, editorID uint, e edit) error {
	if !e.changes(st) {
		return nil
	}
	if !e.noRevision {
		if err := tx.Create(revisionOf(st, editorID)).Error; err != nil {
			return fmt.Errorf("revision: %w", err)
		}
	}
	if err := retitle(tx, st, e.title); err != nil {
		return err
	}
	resCols := resolutionChange(st, e.resolution, tx.NowFunc()) // before the update changes st
	err := tx.Model(st).Select("title", "slug", "body", "html", "excerpt", "plain_text", "company_id", "city", "resolution", "cover", "cover_alt", "shown_pii", "reading_minutes", "updated_at").
		Updates(Story{Title: e.title, Slug: st.Slug, Body: e.body, ShownPII: e.shown, HTML: e.r.HTML, Excerpt: e.r.Excerpt,
			PlainText: e.r.Text, ReadingMinutes: ReadingMinutes(e.r.Text), CompanyID: e.company, City: e.city, Resolution: e.resolution, Cover: e.cover, CoverAlt: e.coverAlt}).Error
	if err != nil {
		return err
	}
	if resCols != nil {
		if err := tx.Model(&Story{}).Where("id = ?", st.ID).UpdateColumn("resolved_at", resCols["resolved_at"]).Error; err != nil {
			return err
		}
	}
	if err := linkPictures(tx, st.ID, e.body, e.cover); err != nil {
		return err
	}
	return replaceJoins(tx, st.ID, e.cats, e.tags)
}

// orElse returns a, or b if a is empty.
func orElse(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// checkRefs checks that the input's categories and company exist, and
// returns the category ids without repeats.
func checkRefs(tx *gorm.DB, in StoryInput) ([]uint, error) {
	cats := slices.Clone(in.CategoryIDs)
	slices.Sort(cats)
	cats = slices.Compact(cats)
	fields := map[string]string{}
	if len(cats) > 0 {
		var n int64
		if err := tx.Model(&Category{}).Where("id IN ?", cats).Count(&n).Error; err != nil {
			return nil, err
		}
		if int(n) != len(cats) {
			fields["categories"] = "Pick categories from the list."
		}
	}
	if in.CompanyID != nil {
		var n int64
		if err := tx.Model(&Company{}).Where("id = ?", *in.CompanyID).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			fields["company"] = "That company no longer exists; pick another or type its name."
		}
	}
	if len(fields) > 0 {
		return nil, &ValidationError{Fields: fields}
	}
	return cats, nil
}

// storyChanged reports whether the edit changes anything of st.
func storyChanged(st *Story, e edit) bool {
	if st.Title != e.title || st.Body != e.body || st.City != e.city || st.Resolution != e.resolution || st.ShownPII != e.shown {
		return true
	}
	company, cats, tags := e.company, e.cats, e.tags
	if (st.CompanyID == nil) != (company == nil) || (company != nil && *st.CompanyID != *company) {
		return true
	}
	old := make([]uint, len(st.Categories))
	for i, c := range st.Categories {
		old[i] = c.ID
	}
	slices.Sort(old)
	if !slices.Equal(old, cats) {
		return true
	}
	oldTags, newTags := make([]uint, len(st.Tags)), make([]uint, len(tags))
	for i, t := range st.Tags {
		oldTags[i] = t.ID
	}
	for i, t := range tags {
		newTags[i] = t.ID
	}
	slices.Sort(oldTags)
	slices.Sort(newTags)
	return !slices.Equal(oldTags, newTags)
}

// replaceJoins makes cats and tags the story's categories and tags.
func replaceJoins(tx *gorm.DB, storyID uint, cats []uint, tags []Tag) error {
	tagIDs := make([]uint, len(tags))
	for i, t := range tags {
		tagIDs[i] = t.ID
	}
	if err := syncJoin(tx, "story_categories", "category_id", storyID, cats); err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	if err := syncJoin(tx, "story_tags", "tag_id", storyID, tagIDs); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	return nil
}

// syncJoin makes the rows of the join table of storyID those of ids,
// deleting and inserting only what changed: each row written fires the
// scorecard and count triggers, which read all of a company's stories, so
// an edit that keeps its categories must not rewrite them (it did: two
// recomputes per category, 100 ms an edit at 3,000 stories).
func syncJoin(tx *gorm.DB, table, column string, storyID uint, ids []uint) error {
	del := tx.Table(table).Where("story_id = ?", storyID)
	if len(ids) > 0 {
		del = del.Where(column+" NOT IN ?", ids)
	}
	if err := del.Delete(nil).Error; err != nil {
		return err
	}
	for _, id := range ids {
		err := tx.Exec("INSERT INTO "+table+" (story_id, "+column+") VALUES (?, ?) ON CONFLICT DO NOTHING", storyID, id).Error
		if err != nil {
			return err
		}
	}
	return nil
}
