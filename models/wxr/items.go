package wxr

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"doleances/models"
)

// wpTime is the layout of WordPress's dates.
const wpTime = "2006-01-02 15:04:05"

// item imports a post; anything else is counted as skipped.
func (im *importer) item(it *Item) error {
	if err := im.ctx.Err(); err != nil {
		return errors.Join(errStop, err)
	}
	if err := im.saveTerms(); err != nil {
		return err
	}
	it.ID = strings.TrimSpace(it.ID)
	switch it.Type {
	case "post":
	case "page":
		im.sum.skip("pages (this site has no pages: copy what they say into a story or the site's description)")
		return nil
	case "attachment":
		im.sum.skip("attachment items (their pictures come with the stories that show them, with -uploads)")
		return nil
	default:
		im.sum.skip("items of type " + it.Type)
		return nil
	}
	if _, done := im.stories[it.ID]; done && it.ID != "" {
		im.sum.Already++
		return nil
	}
	is, ok, err := im.story(it)
	if err != nil || !ok {
		return err
	}
	im.batch = append(im.batch, is)
	if len(im.batch) >= im.opt.BatchSize {
		return im.flush()
	}
	return nil
}

// story turns a post into a story with its comments; ok is false when the
// post is skipped (the summary says why).
func (im *importer) story(it *Item) (models.ImportStory, bool, error) {
	status, note, ok := im.status(it)
	if !ok {
		return models.ImportStory{}, false, nil
	}
	at := im.date(it.DateGMT, it.Date)
	if at.IsZero() {
		at = time.Now().UTC()
		note = strings.TrimSpace(note + " It had no date; the import's time was taken.")
	}
	author, err := im.user(strings.TrimSpace(it.Creator))
	if err != nil {
		return models.ImportStory{}, false, err
	}
	body, err := im.body(it.Content(), author)
	if err != nil {
		return models.ImportStory{}, false, err
	}
	in := models.StoryInput{Title: im.title(it), Body: body, AuthorID: author, Status: status, PublishedAt: &at}
	in.CategoryIDs, in.Tags = im.itemTerms(it)
	if err := in.Validate(); err != nil {
		im.skipInvalid("posts", err)
		return models.ImportStory{}, false, nil
	}
	is := models.ImportStory{Story: in, Origin: &models.ImportOrigin{
		Source: im.source, Key: it.ID, Slug: decodeSlug(it.Name), Note: note, Paths: im.postPaths(it),
		Closed: strings.TrimSpace(it.CommentStatus) == "closed", Modified: im.date(it.ModifiedGMT, it.Modified),
	}}
	if is.Comments, err = im.comments(it, at); err != nil {
		return models.ImportStory{}, false, err
	}
	return is, true, nil
}

// status maps WordPress's post status to a story's: the note, when not
// empty, is told to the author on the draft.
func (im *importer) status(it *Item) (status, note string, ok bool) {
	if strings.TrimSpace(it.Password) != "" {
		if it.Status == "trash" || it.Status == "auto-draft" {
			im.sum.skip("posts in the trash or auto-drafts")
			return "", "", false
		}
		im.sum.note("Password-protected posts became drafts (this site has no passwords on stories); each says so to its author.")
		return models.StatusDraft, "Imported from WordPress as a draft: it was password-protected there. Publish it if it may be public.", true
	}
	switch it.Status {
	case "publish":
		if strings.TrimSpace(it.Sticky) == "1" {
			im.sum.note("Sticky posts were imported as ordinary stories: this site does not pin stories.")
		}
		return models.StatusPublished, "", true
	case "draft", "pending":
		return models.StatusDraft, "", true
	case "private":
		return models.StatusDraft, "Imported from WordPress as a draft: it was private there.", true
	case "future":
		im.sum.note("Scheduled posts became drafts (this site does not schedule); publish them when their time comes.")
		return models.StatusDraft, "Imported from WordPress as a draft: it was scheduled for " + strings.TrimSpace(it.Date) + " there.", true
	case "trash", "auto-draft":
		im.sum.skip("posts in the trash or auto-drafts")
	default:
		im.sum.skip("posts with the status " + it.Status)
	}
	return "", "", false
}

// date reads gmt, or local in the blog's time zone when gmt is WordPress's
// zero date (drafts have one).
func (im *importer) date(gmt, local string) time.Time {
	gmt, local = strings.TrimSpace(gmt), strings.TrimSpace(local)
	if t, err := time.Parse(wpTime, gmt); err == nil && !strings.HasPrefix(gmt, "0000") {
		return t.UTC()
	}
	if t, err := time.ParseInLocation(wpTime, local, im.opt.Location); err == nil && !strings.HasPrefix(local, "0000") {
		return t.UTC()
	}
	return time.Time{}
}

// title is the post's title as text: WordPress shows titles as HTML, so
// tags are dropped and entities ("&amp;") decoded once.
func (im *importer) title(it *Item) string {
	t := html.UnescapeString(anyTag.ReplaceAllString(it.Title, ""))
	t = strings.TrimSpace(strings.Join(strings.Fields(t), " "))
	if t == "" {
		t = "Untitled (WordPress post " + it.ID + ")"
	}
	return truncate(t, models.MaxTitleLen)
}

// itemTerms returns the categories here and the tag names of a post, at
// most MaxTags tags (the first ones).
func (im *importer) itemTerms(it *Item) ([]uint, []string) {
	var cats []uint
	var tags []string
	for _, t := range it.Terms {
		slug := decodeSlug(t.Nicename)
		switch t.Domain {
		case "category":
			if id, ok := im.categories[slug]; ok {
				cats = append(cats, id)
			}
		case "post_tag":
			name, ok := im.tagNames[slug]
			if !ok {
				name = strings.TrimSpace(t.Name)
			}
			tags = append(tags, name)
		}
	}
	if norm := models.NormalizeTags(tags); len(norm) > models.MaxTags {
		im.sum.note(fmt.Sprintf("Posts with more than %d tags kept their first %d.", models.MaxTags, models.MaxTags))
		tags = norm[:models.MaxTags]
	}
	return cats, tags
}

// skipInvalid counts a post or comment that could not have been typed here.
func (im *importer) skipInvalid(what string, err error) {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		im.sum.skip(what + " that break this site's rules: " + ve.Summary())
		return
	}
	im.sum.skip(what + ": " + err.Error())
}

// flush saves the waiting stories in one transaction (a dry run only
// renders and checks them).
func (im *importer) flush() error {
	if len(im.batch) == 0 {
		return nil
	}
	b, err := models.PrepareImport(im.batch)
	if err != nil {
		return fmt.Errorf("prepare stories: %w", err)
	}
	if im.write {
		if err := im.st.Import(im.ctx, b); err != nil {
			return err
		}
	}
	for _, is := range im.batch {
		if is.Story.Status == models.StatusPublished {
			im.sum.Published++
		} else {
			im.sum.Drafts++
		}
		im.sum.Paths += len(is.Origin.Paths)
		for _, c := range is.Comments {
			if c.Status == models.CommentApproved {
				im.sum.Approved++
			} else {
				im.sum.Held++
			}
		}
	}
	im.batch = im.batch[:0]
	return nil
}

// finish saves the last batch.
func (im *importer) finish() error {
	if err := im.saveTerms(); err != nil {
		return err
	}
	return im.flush()
}
