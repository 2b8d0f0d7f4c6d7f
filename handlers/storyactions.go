package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// publish is POST /stories/{slug}/publish: publish, or submit for review.
func (w *writing) publish(c *fiber.Ctx, u *models.User, st *models.Story) error {
	st, err := w.store.SubmitStory(c.UserContext(), st.ID, u.ID)
	if err != nil {
		return err
	}
	return c.Redirect(afterPublish(st), fiber.StatusSeeOther)
}

// unpublish is POST /stories/{slug}/unpublish: back to a draft.
func (w *writing) unpublish(c *fiber.Ctx, u *models.User, st *models.Story) error {
	if err := w.store.UnpublishStory(c.UserContext(), st.ID, u.ID); err != nil {
		return err
	}
	return c.Redirect("/me/stories?unpublished=1", fiber.StatusSeeOther)
}

// DeletePage asks to confirm the deletion of a story.
type DeletePage struct {
	Layout
	Story *models.Story
	Error string
}

// confirmDelete is GET /stories/{slug}/delete.
func (w *writing) confirmDelete(c *fiber.Ctx, _ *models.User, st *models.Story) error {
	return w.renderDelete(c, fiber.StatusOK, DeletePage{Story: st})
}

func (w *writing) renderDelete(c *fiber.Ctx, status int, dp DeletePage) error {
	l, err := w.layout(c, tr(c, "Delete “%s”?", dp.Story.Title), "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	dp.Layout = l
	return w.render(c, status, "delete", dp)
}

// deleteStory is POST /stories/{slug}/delete, with the confirm box ticked.
func (w *writing) deleteStory(c *fiber.Ctx, u *models.User, st *models.Story) error {
	if c.FormValue("confirm") != "yes" {
		return w.renderDelete(c, fiber.StatusUnprocessableEntity,
			DeletePage{Story: st, Error: tr(c, "Tick the box to confirm that the story should be deleted.")})
	}
	if err := w.store.DeleteStory(c.UserContext(), st.ID, u.ID); err != nil {
		return err
	}
	w.pics.sweep(c.UserContext())
	return c.Redirect("/me/stories?deleted=1", fiber.StatusSeeOther)
}

// addUpdate is POST /stories/{slug}/updates: a dated follow-up, and maybe
// a new resolution.
func (w *writing) addUpdate(c *fiber.Ctx, u *models.User, st *models.Story) error {
	body, res := formText(c, "body"), formLine(c, "resolution")
	up, err := w.store.AddStoryUpdate(c.UserContext(), st.ID, u.ID, body, res)
	if ve := (*models.ValidationError)(nil); errors.As(err, &ve) {
		ep := EditorPage{Action: "/stories/" + st.Slug + "/edit", Story: st, Form: formOf(st),
			Update: UpdateForm{Body: body, Resolution: res, Errors: localFields(c, ve.Fields)}}
		return w.renderEditor(c, fiber.StatusUnprocessableEntity, ep)
	}
	if err != nil {
		return err
	}
	if up.Pending {
		return c.Redirect("/stories/"+st.Slug+"/edit?saved=update-pending#updates", fiber.StatusSeeOther)
	}
	if st.Status == models.StatusPublished {
		return c.Redirect("/stories/"+st.Slug+"#updates", fiber.StatusSeeOther)
	}
	return c.Redirect("/stories/"+st.Slug+"/edit?saved=update", fiber.StatusSeeOther)
}

// HistoryPage lists a story's former versions.
type HistoryPage struct {
	Layout
	Story     *models.Story
	Revisions []models.Revision
}

// history is GET /stories/{slug}/history: for the author and admins only.
func (w *writing) history(c *fiber.Ctx, _ *models.User, st *models.Story) error {
	hp := HistoryPage{Story: st}
	var err error
	if hp.Revisions, err = w.store.Revisions(c.UserContext(), st.ID); err != nil {
		return err
	}
	if hp.Layout, err = w.layout(c, tr(c, "History of “%s”", st.Title), "", ""); err != nil {
		return err
	}
	hp.Canonical = ""
	return w.render(c, fiber.StatusOK, "history", hp)
}

// MyStoriesPage is /me/stories.
type MyStoriesPage struct {
	Layout
	Stories []models.Story
	Reads   map[uint]int // how many people read each story, by id (models.CountRead)
	Flash   string
}

// myStories is GET /me/stories.
func (w *writing) myStories(c *fiber.Ctx, u *models.User) error {
	mp := MyStoriesPage{}
	switch {
	case c.Query("deleted") != "":
		mp.Flash = tr(c, "The story is deleted.")
	case c.Query("unpublished") != "":
		mp.Flash = tr(c, "The story is a draft again: only you can see it.")
	}
	var err error
	if mp.Stories, err = w.store.StoriesOf(c.UserContext(), u.ID); err != nil {
		return err
	}
	ids := make([]uint, len(mp.Stories))
	for i := range mp.Stories {
		ids[i] = mp.Stories[i].ID
	}
	if mp.Reads, err = w.store.ReadCounts(c.UserContext(), ids); err != nil {
		return err
	}
	if mp.Layout, err = w.layout(c, tr(c, "My stories"), "", ""); err != nil {
		return err
	}
	mp.Canonical = ""
	return w.render(c, fiber.StatusOK, "mystories", mp)
}
