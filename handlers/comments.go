package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// guestCookie holds a guest's token (models.NewGuestToken), set when they
// first comment, so that they alone see their comments awaiting moderation.
const guestCookie = "doleances_guest"

type commentStore interface {
	PublishedStory(ctx context.Context, slug string) (*models.Story, error)
	PostComment(ctx context.Context, in models.CommentPost) (*models.Comment, bool, error)
}

// comments serves posting comments and replies under a story.
type comments struct {
	*reading
	store  commentStore
	ids    *storyIDs // the stories' ids by slug (storyids.go)
	rules  models.ModerationRules
	secure bool // cookies only over https
	mail   *email
}

// CommentForm is the comment form under a story, empty or as it was sent.
type CommentForm struct {
	Action   string
	StoryURL string
	CSRF     string
	Stamp    string          // the signed "rendered at" time
	ParentID uint            // the comment replied to, 0: none
	Parent   *models.Comment // that comment, when it is shown
	Name     string
	Email    string
	URL      string
	Body     string
	Errors   map[string]string
	Problem  string // a refusal that concerns the whole form
	Closed   bool
	SignedIn bool
	Notify   bool // tr(c, "Email me replies")
	// NoAddress: a signed-in writer without a verified address, whom
	// replies cannot reach; the form says how to add one instead.
	NoAddress bool
}

// fill completes a form for story st, whose shown comments are cs.
func (f *CommentForm) fill(st *models.Story, cs []models.Comment, stamp string, signedIn bool) {
	f.StoryURL = "/stories/" + st.Slug
	f.Action, f.Stamp, f.Closed, f.SignedIn = "/stories/"+st.Slug+"/comments", stamp, st.CommentsClosed, signedIn
	for i := range cs {
		if cs[i].ID == f.ParentID && !cs[i].Deleted && cs[i].Status == models.CommentApproved {
			f.Parent = &cs[i]
		}
	}
	if f.Parent == nil && f.Errors["parent"] == "" {
		f.ParentID = 0
	}
}

// viewerOf is who looks at a page: a signed-in user, or a guest with the
// cookie of their comments. personal says the page is theirs alone.
func viewerOf(c *fiber.Ctx) (v models.Viewer, personal bool) {
	if sess := currentSession(c); sess != nil {
		id := sess.UserID
		v.UserID = &id
		return v, true
	}
	if t := c.Cookies(guestCookie); len(t) >= 16 && len(t) <= 64 {
		v.GuestToken = t
		return v, true
	}
	return v, false
}

// post saves a comment or a reply. A refused one comes back in the form,
// with what was typed and a message, and a 4xx status.
func (h *comments) post(c *fiber.Ctx) error {
	ctx := c.UserContext()
	form := CommentForm{Name: formLine(c, "name"), Email: formLine(c, "email"), URL: formLine(c, "url"), Body: formText(c, "body"),
		Notify: c.FormValue("notify") != ""}
	slug := c.Params("slug")
	// An accepted comment needs only the story's id, kept; a refused one
	// shows the story again, loaded then.
	id, err := h.ids.id(ctx, slug)
	if errors.Is(err, models.ErrNotFound) {
		return h.lost(c, form.Body)
	} else if err != nil {
		return err
	}
	refuse := func(status int, problem string, fields map[string]string) error {
		st, err := h.store.PublishedStory(ctx, slug)
		if errors.Is(err, models.ErrNotFound) {
			h.ids.forget(slug)
			return h.lost(c, form.Body)
		} else if err != nil {
			return err
		}
		form.Problem, form.Errors = problem, fields
		return h.renderStory(c, status, st, form, "")
	}
	if p := c.FormValue("parent"); p != "" {
		id, err := strconv.ParseUint(p, 10, 32)
		if err != nil || id == 0 {
			return refuse(fiber.StatusUnprocessableEntity, "", map[string]string{"parent": tr(c, "The comment you are replying to is not on this story.")})
		}
		form.ParentID = uint(id)
	}
	if c.FormValue("website2") != "" {
		// The honeypot: people do not see this field, form-filling bots do.
		return refuse(fiber.StatusBadRequest, tr(c, "This form had a hidden field filled in, which only spam robots do. If you are a person, please check your comment and send it again."), nil)
	}
	switch err := h.stamps.check(c.FormValue("stamp"), id); {
	case errors.Is(err, models.ErrFormTooFast):
		return refuse(fiber.StatusUnprocessableEntity, tr(c, "That was quick! Please take a moment to read your comment over, then send it again."), nil)
	case err != nil:
		return refuse(fiber.StatusUnprocessableEntity, tr(c, "This form was incomplete or out of date. Your text is kept below: please send it again."), nil)
	}
	in := models.CommentPost{StoryID: id, Name: form.Name, Email: form.Email, URL: form.URL, Body: form.Body, Rules: h.rules,
		Poster: models.Poster{IP: clientIP(c)}, Notify: form.Notify}
	if form.ParentID != 0 {
		in.ParentID = &form.ParentID
	}
	viewer, _ := viewerOf(c)
	in.Poster.UserID, in.Poster.GuestToken = viewer.UserID, viewer.GuestToken
	if in.Poster.UserID == nil && in.Poster.GuestToken == "" {
		in.Poster.GuestToken = models.NewGuestToken()
	}
	cm, _, err := h.store.PostComment(ctx, in)
	var verr *models.ValidationError
	var soon *models.TooSoonError
	switch {
	case errors.As(err, &verr):
		return refuse(fiber.StatusUnprocessableEntity, "", localFields(c, verr.Fields))
	case errors.As(err, &soon):
		secs := int((soon.Wait + time.Second - 1) / time.Second)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
		return refuse(fiber.StatusTooManyRequests, tr(c, "You commented a moment ago: please wait %d seconds before sending this one. Your text is kept below.", secs), nil)
	case errors.Is(err, models.ErrCommentsClosed):
		return refuse(fiber.StatusConflict, tr(c, "Comments on this story are closed. Your text is kept below, should you want to keep it."), nil)
	case errors.Is(err, models.ErrNotFound): // the story unpublished or deleted since its id was kept, or the account gone
		h.ids.forget(slug)
		return h.lost(c, form.Body)
	case err != nil:
		return err
	}
	if in.Poster.UserID == nil && viewer.GuestToken == "" {
		c.Cookie(&fiber.Cookie{Name: guestCookie, Value: in.Poster.GuestToken, Path: "/", MaxAge: 365 * 24 * 3600,
			HTTPOnly: true, Secure: h.secure, SameSite: fiber.CookieSameSiteLaxMode})
	}
	if in.Poster.UserID == nil && form.Notify {
		if err := h.mail.confirmGuest(ctx, cm.AuthorEmail); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect("/stories/"+slug+"#comment-"+strconv.FormatUint(uint64(cm.ID), 10), fiber.StatusSeeOther)
}

// LostPage gives back a text that could not be posted where it was sent.
type LostPage struct {
	Layout
	Body  string
	Reply bool // an official reply, not a comment
}

// lost answers a comment on a story that does not exist (or no longer),
// giving the text back so that it is not lost.
func (h *comments) lost(c *fiber.Ctx, body string) error {
	return h.giveBack(c, LostPage{Body: body})
}

// giveBack is the 404 page of a text sent to a story that is not here.
func (p *pages) giveBack(c *fiber.Ctx, lp LostPage) error {
	l, err := p.layout(c, tr(c, "This story is not here"), "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	lp.Layout, lp.Body = l, strings.TrimSpace(lp.Body)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return p.render(c, fiber.StatusNotFound, "commentlost", lp)
}
