package handlers

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type companyReplyStore interface {
	PublishedStory(ctx context.Context, slug string) (*models.Story, error)
	PostCompanyReply(ctx context.Context, storyID, userID uint, kind, body string) (*models.CompanyReply, error)
	AddCompanyFollowUp(ctx context.Context, storyID, userID uint, body string) (*models.CompanyFollowUp, error)
	SetResolution(ctx context.Context, storyID, userID uint, res string) error
	Report(ctx context.Context, userID uint, t models.ReportTarget, reason string) (*models.Report, error)
	DeleteCompanyReply(ctx context.Context, adminID, replyID uint) (*models.Story, error)
}

// companyReplies serves the official replies of companies to stories, and
// the author's answer to them: whether the problem is resolved.
type companyReplies struct {
	*reading
	store companyReplyStore
}

// ReplyForm is the official reply form under a story (or the follow-up
// form, once the company replied), empty or as it was sent.
type ReplyForm struct {
	FollowUp bool // the form adds a follow-up to the company's reply
	Kind     string
	Body     string
	Errors   map[string]string
	Problem  string // a refusal that concerns the whole form
}

// Action is where the form posts, on the story of slug.
func (f ReplyForm) Action(slug string) string {
	if f.FollowUp {
		return "/stories/" + slug + "/company-reply/follow-ups"
	}
	return "/stories/" + slug + "/company-reply"
}

// post is POST /stories/{slug}/company-reply: a representative's official reply.
func (h *companyReplies) post(c *fiber.Ctx, u *models.User) error {
	form := ReplyForm{Kind: formLine(c, "kind"), Body: formText(c, "body")}
	st, err := h.target(c, form.Body)
	if st == nil {
		return err
	}
	_, err = h.store.PostCompanyReply(c.UserContext(), st.ID, u.ID, form.Kind, form.Body)
	return h.answered(c, st, form, err)
}

// followUp is POST /stories/{slug}/company-reply/follow-ups.
func (h *companyReplies) followUp(c *fiber.Ctx, u *models.User) error {
	form := ReplyForm{FollowUp: true, Body: formText(c, "body")}
	st, err := h.target(c, form.Body)
	if st == nil {
		return err
	}
	_, err = h.store.AddCompanyFollowUp(c.UserContext(), st.ID, u.ID, form.Body)
	return h.answered(c, st, form, err)
}

// target finds the published story of :slug; when there is none, it
// returns no story and the page that gives body back.
func (h *companyReplies) target(c *fiber.Ctx, body string) (*models.Story, error) {
	st, err := h.store.PublishedStory(c.UserContext(), c.Params("slug"))
	if errors.Is(err, models.ErrNotFound) {
		return nil, h.lostReply(c, body)
	}
	return st, err
}

// answered sends the representative to the reply they posted, or gives
// the form back, with the text kept and a message, and a 4xx status.
func (h *companyReplies) answered(c *fiber.Ctx, st *models.Story, form ReplyForm, err error) error {
	var ve *models.ValidationError
	status := fiber.StatusUnprocessableEntity
	switch {
	case err == nil:
		return c.Redirect("/stories/"+st.Slug+"#company-reply", fiber.StatusSeeOther)
	case errors.As(err, &ve):
		form.Errors = localFields(c, ve.Fields)
	case errors.Is(err, models.ErrAlreadyReplied):
		status, form.FollowUp = fiber.StatusConflict, true
		form.Problem = tr(c, "The company has already replied to this story: it replies once. Your text is kept below, to send as a follow-up.")
	case errors.Is(err, models.ErrForbidden):
		status = fiber.StatusForbidden
		form.Problem = tr(c, "Only a representative of the company this story is about can reply officially. Your text is kept below.")
	case errors.Is(err, models.ErrNotFound) && form.FollowUp:
		status, form.FollowUp = fiber.StatusConflict, false
		form.Problem = tr(c, "The company has not replied to this story yet: send your text as its official reply.")
	case errors.Is(err, models.ErrNotFound):
		return h.lostReply(c, form.Body)
	default:
		return err
	}
	return h.renderStoryReply(c, status, st, form)
}

// signedOut gives a visitor without a session the story back with their
// text, and a way to sign in: only representatives reply, signed in.
func (h *companyReplies) signedOut(c *fiber.Ctx) error {
	form := ReplyForm{Kind: formLine(c, "kind"), Body: formText(c, "body"),
		FollowUp: strings.HasSuffix(c.Path(), "/follow-ups"),
		Problem:  tr(c, "Please sign in: only a signed-in representative of the company can reply officially. Your text is kept below.")}
	st, err := h.target(c, form.Body)
	if st == nil {
		return err
	}
	return h.renderStoryReply(c, fiber.StatusUnauthorized, st, form)
}

// renderStoryReply renders the story with the reply form as given.
func (h *companyReplies) renderStoryReply(c *fiber.Ctx, status int, st *models.Story, form ReplyForm) error {
	c.Locals(replyFormLocal, &form)
	return h.renderStory(c, status, st, CommentForm{}, "")
}

// replyFormLocal carries a refused reply form to renderStory.
const replyFormLocal = "doleances-reply-form"

// lostReply answers a reply to a story that is not published (a draft,
// unpublished, deleted), giving the text back.
func (h *companyReplies) lostReply(c *fiber.Ctx, body string) error {
	return h.giveBack(c, LostPage{Body: body, Reply: true})
}

// setResolution is POST /stories/{slug}/resolution: the author (or an
// admin) says whether the problem is resolved, usually after the reply.
func (h *companyReplies) setResolution(c *fiber.Ctx, u *models.User, st *models.Story) error {
	if err := h.store.SetResolution(c.UserContext(), st.ID, u.ID, formLine(c, "resolution")); err != nil {
		return err
	}
	if st.Status != models.StatusPublished {
		return c.Redirect("/stories/"+st.Slug+"/edit", fiber.StatusSeeOther)
	}
	return c.Redirect("/stories/"+st.Slug+"#company-reply", fiber.StatusSeeOther)
}

// report is POST /company-replies/{id}/report: a reader reports an
// official reply, as they report comments.
func (h *companyReplies) report(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	return reported(c, formLine(c, "slug"), h.store.Report, u.ID, models.ReportTarget{ReplyID: id})
}

// remove is POST /admin/company-replies/{id}/delete: an admin removes a
// reported reply; the story waits for a reply again.
func (h *companyReplies) remove(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := h.store.DeleteCompanyReply(c.UserContext(), u.ID, id); err != nil {
		return err
	}
	return c.Redirect("/admin/reports?removed=reply", fiber.StatusSeeOther)
}
