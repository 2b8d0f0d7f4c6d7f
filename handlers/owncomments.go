package handlers

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type ownCommentStore interface {
	OwnComment(ctx context.Context, id, userID uint) (*models.Comment, error)
	EditComment(ctx context.Context, id, userID uint, body string, rules models.ModerationRules) (*models.Comment, error)
	DeleteComment(ctx context.Context, id, userID uint) error
	Report(ctx context.Context, userID uint, t models.ReportTarget, reason string) (*models.Report, error)
}

// ownComments serves editing and deleting one's comments, and reporting others'.
type ownComments struct {
	*pages
	store ownCommentStore
	rules models.ModerationRules
	now   func() time.Time
}

// CommentEditPage edits or deletes one's comment.
type CommentEditPage struct {
	Layout
	Comment *models.Comment
	Body    string
	CanEdit bool // still within models.EditWindow
	// Left says how long editing remains ("12 minutes"); EditUntil is when
	// it ends, for the page's clock.
	Left      string
	EditUntil time.Time
	Errors    map[string]string
	Problem   string
	StoryURL  string
}

// ownComment loads the comment of the :id in the path if it is u's: the
// one rule of who may change a comment (not found for everyone else).
func (h *ownComments) ownComment(c *fiber.Ctx, u *models.User) (*models.Comment, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	return h.store.OwnComment(c.UserContext(), id, u.ID)
}

func (h *ownComments) editForm(c *fiber.Ctx, u *models.User) error {
	cm, err := h.ownComment(c, u)
	if err != nil {
		return err
	}
	return h.renderEdit(c, fiber.StatusOK, CommentEditPage{Comment: cm, Body: cm.Body})
}

func (h *ownComments) renderEdit(c *fiber.Ctx, status int, p CommentEditPage) error {
	l, err := h.layout(c, tr(c, "Your comment"), "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	p.Layout = l
	p.StoryURL = "/stories/" + p.Comment.Story.Slug
	p.EditUntil = p.Comment.CreatedAt.Add(models.EditWindow)
	left := p.EditUntil.Sub(h.now())
	p.CanEdit = left >= 0
	p.Left = timeLeft(c, left)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return h.render(c, status, "commentedit", p)
}

// edit saves the new text of one's comment, within the edit window.
func (h *ownComments) edit(c *fiber.Ctx, u *models.User) error {
	cm, err := h.ownComment(c, u)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	body := formText(c, "body")
	saved, err := h.store.EditComment(ctx, cm.ID, u.ID, body, h.rules)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		return h.renderEdit(c, fiber.StatusUnprocessableEntity, CommentEditPage{Comment: cm, Body: body, Errors: localFields(c, verr.Fields)})
	case errors.Is(err, models.ErrEditWindowClosed):
		return h.renderEdit(c, fiber.StatusConflict, CommentEditPage{Comment: cm, Body: body,
			Problem: tr(c, "The 15 minutes to edit this comment are over, so it was not changed. Your new text is kept below.")})
	case err != nil:
		return err
	}
	return c.Redirect("/stories/"+cm.Story.Slug+"#comment-"+strconv.FormatUint(uint64(saved.ID), 10), fiber.StatusSeeOther)
}

// remove deletes one's comment once its writer has confirmed.
func (h *ownComments) remove(c *fiber.Ctx, u *models.User) error {
	cm, err := h.ownComment(c, u)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if c.FormValue("confirm") != "yes" {
		return h.renderEdit(c, fiber.StatusUnprocessableEntity, CommentEditPage{Comment: cm, Body: cm.Body,
			Errors: map[string]string{"confirm": tr(c, "Tick the box to confirm that the comment should be deleted.")}})
	}
	if err := h.store.DeleteComment(ctx, cm.ID, u.ID); err != nil {
		return err
	}
	return c.Redirect("/stories/"+cm.Story.Slug+"?deleted=1#comments", fiber.StatusSeeOther)
}

// report records a reader's report of a comment.
func (h *ownComments) report(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	return reported(c, formLine(c, "slug"), h.store.Report, u.ID, models.ReportTarget{CommentID: id})
}

type reportFunc func(ctx context.Context, userID uint, t models.ReportTarget, reason string) (*models.Report, error)

// reported records a report and sends the reader back to the story, thanked.
// A second report of the same thing is thanked the same way.
func reported(c *fiber.Ctx, slug string, report reportFunc, userID uint, t models.ReportTarget) error {
	_, err := report(c.UserContext(), userID, t, c.FormValue("reason"))
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		return &PageError{Status: fiber.StatusUnprocessableEntity, Heading: tr(c, "Please choose a reason"),
			Message: tr(c, "A report says why: spam, abuse or private information."), LinkURL: "/stories/" + url.PathEscape(slug), LinkText: tr(c, "Back to the story")}
	case err != nil && !errors.Is(err, models.ErrAlreadyReported):
		return err
	}
	return c.Redirect("/stories/"+url.PathEscape(slug)+"?reported=1#comments", fiber.StatusSeeOther)
}

// timeLeft says a time still to run in whole minutes, rounded up, or
// "less than a minute".
func timeLeft(c *fiber.Ctx, d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if d < time.Minute {
		return tr(c, "less than a minute")
	}
	return tr(c, "%d minutes", m)
}
