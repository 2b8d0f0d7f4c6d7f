package handlers

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type reactionStore interface {
	PublishedStory(ctx context.Context, slug string) (*models.Story, error)
	SetLike(ctx context.Context, storyID, userID uint, on bool) (models.Reaction, error)
	SetMeToo(ctx context.Context, storyID, userID uint, on bool) (models.Reaction, error)
	SetCommentsClosed(ctx context.Context, storyID, userID uint, closed bool) error
	Report(ctx context.Context, userID uint, t models.ReportTarget, reason string) (*models.Report, error)
}

// reactions serves likes, "me too"s, reports of stories and closing comments.
type reactions struct {
	store  reactionStore
	secure bool // the site is served over https: its cookies are Secure
}

// like and metoo set the reader's like or "me too" to the form's "on" (1
// or 0): idempotent, so that a double click does not undo it.
func (h *reactions) like(c *fiber.Ctx, u *models.User) error {
	return h.set(c, u, "like", h.store.SetLike)
}
func (h *reactions) metoo(c *fiber.Ctx, u *models.User) error {
	return h.set(c, u, "metoo", h.store.SetMeToo)
}

// reactionWords are a reaction button's label and its count as the
// "reactions" partial words them.
func reactionWords(c *fiber.Ctx, kind string, on bool, n int) (string, string) {
	if kind == "like" {
		if on {
			return tr(c, "You like this"), tr(c, "%d readers like", n)
		}
		return tr(c, "Like"), tr(c, "%d readers like", n)
	}
	if on {
		return tr(c, "It happened to you too"), tr(c, "%d readers", n)
	}
	return tr(c, "Me too"), tr(c, "%d readers", n)
}

func (h *reactions) set(c *fiber.Ctx, u *models.User, kind string, set func(context.Context, uint, uint, bool) (models.Reaction, error)) error {
	st, err := h.target(c)
	if err != nil {
		return err
	}
	r, err := set(c.UserContext(), st.ID, u.ID, c.FormValue("on") != "0")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if wantsJSON(c) {
		// The label and the count as the page words them, in its language.
		label, counted := reactionWords(c, kind, r.On, r.Count)
		return c.JSON(fiber.Map{"on": r.On, "count": r.Count, "label": label, "count_text": counted})
	}
	return c.Redirect("/stories/"+st.Slug+"#reactions", fiber.StatusSeeOther)
}

// target finds the published story of the request.
func (h *reactions) target(c *fiber.Ctx) (*models.Story, error) {
	return h.store.PublishedStory(c.UserContext(), c.Params("slug"))
}

// closeComments closes (closed=1) or reopens a story's comments.
func (h *reactions) closeComments(c *fiber.Ctx, u *models.User) error {
	st, err := h.target(c)
	if err != nil {
		return err
	}
	if err := h.store.SetCommentsClosed(c.UserContext(), st.ID, u.ID, c.FormValue("closed") != "0"); err != nil {
		return err
	}
	return c.Redirect("/stories/"+st.Slug+"#comments", fiber.StatusSeeOther)
}

// reportStory records a reader's report of a story.
func (h *reactions) reportStory(c *fiber.Ctx, u *models.User) error {
	st, err := h.target(c)
	if err != nil {
		return err
	}
	return reported(c, st.Slug, h.store.Report, u.ID, models.ReportTarget{StoryID: st.ID})
}

// wantsJSON says whether the request comes from the page's script.
func wantsJSON(c *fiber.Ctx) bool {
	return strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON)
}
