package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// NoticeMailer queues the mails of the notice process (app/mail).
type NoticeMailer interface {
	// NoticeReceived acknowledges a notice to its notifier.
	NoticeReceived(ctx context.Context, n models.Notice) error
	// NoticeDecided tells the notifier the outcome, and the author the
	// decision with its reasons.
	NoticeDecided(ctx context.Context, n models.Notice) error
	// AppealDecided tells the author the outcome of their appeal.
	AppealDecided(ctx context.Context, n models.Notice) error
}

// mailAfter queues a notice's mail once what it reports is committed. A
// failure is logged, not shown: the notice or decision stands, and the
// page says what happened.
func mailAfter(c *fiber.Ctx, log *slog.Logger, send func(context.Context, models.Notice) error, n *models.Notice) {
	if err := send(c.UserContext(), *n); err != nil {
		log.Error("notice mail not queued", "notice", n.ID, "request_id", c.GetRespHeader(fiber.HeaderXRequestID), "err", err)
	}
}

type noticeStore interface {
	sidebarStore
	FileNotice(ctx context.Context, in models.NoticeInput) (*models.Notice, error)
}

// notices serves the notice form of illegal content (DSA art. 16).
type notices struct {
	*pages
	store noticeStore
	limit *ipLimiter // notices per minute per IP address
	mail  NoticeMailer
	log   *slog.Logger
}

// NoticeForm is the notice form as typed.
type NoticeForm struct {
	URL, Reason, Explanation, Name, Email string
	GoodFaith                             bool
}

// NoticePage is /notice: the form, or the acknowledgement once filed.
type NoticePage struct {
	Layout
	Form    NoticeForm
	Errors  map[string]string
	Reasons []string
	Filed   *models.Notice // the notice just filed
	Retry   int            // seconds to wait, after too many notices
}

// form is GET /notice?url=...
func (h *notices) form(c *fiber.Ctx) error {
	f := NoticeForm{URL: h.absolute(cleanText(c.Query("url"), false))}
	if s := currentSession(c); s != nil { // a signed-in notifier need not type who they are
		f.Name, f.Email = s.User.Name, s.User.Email
	}
	return h.renderForm(c, fiber.StatusOK, NoticePage{Form: f})
}

func (h *notices) renderForm(c *fiber.Ctx, status int, np NoticePage) error {
	l, err := h.layout(c, tr(c, "Report illegal content"), "/notice", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	np.Layout, np.Reasons = l, models.NoticeReasons
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, status, "notice", np)
}

// file is POST /notice.
func (h *notices) file(c *fiber.Ctx) error {
	f := NoticeForm{URL: formLine(c, "url"), Reason: formLine(c, "reason"), Explanation: formText(c, "explanation"),
		Name: formLine(c, "name"), Email: formLine(c, "email"), GoodFaith: c.FormValue("good_faith") != ""}
	if wait, err := h.limit.allow(c.UserContext(), clientIP(c)); err != nil {
		return err
	} else if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		return h.renderForm(c, fiber.StatusTooManyRequests, NoticePage{Form: f, Retry: wait})
	}
	in := models.NoticeInput{URL: f.URL, Reason: f.Reason, Explanation: f.Explanation, Name: f.Name, Email: f.Email, GoodFaith: f.GoodFaith}
	err := h.target(f.URL, &in)
	var n *models.Notice
	if err == nil {
		n, err = h.store.FileNotice(c.UserContext(), in)
	}
	if ve := (*models.ValidationError)(nil); errors.As(err, &ve) {
		return h.renderForm(c, fiber.StatusUnprocessableEntity, NoticePage{Form: f, Errors: localFields(c, ve.Fields)})
	}
	if err != nil {
		return err
	}
	mailAfter(c, h.log, h.mail.NoticeReceived, n)
	return h.renderForm(c, fiber.StatusCreated, NoticePage{Filed: n})
}

// absolute makes a path of ours ("/stories/x") a full address.
func (h *notices) absolute(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return h.site.BaseURL + u
	}
	return u
}

// notOurs is the message for an address the site does not serve.
var notOurs = &models.ValidationError{Fields: map[string]string{"url": "This is not an address of this site: notices here are about its stories, comments and company replies only. Copy the address from your browser's address bar on the story, or the link of the comment (its date)."}}

// target reads into in the story slug and what of the story an address
// of ours names: BASE/stories/{slug} (the story), #comment-{id} (a
// comment), #company-reply (the company's official reply) or
// #follow-up-{id} (one of its follow-ups).
func (h *notices) target(raw string, in *models.NoticeInput) error {
	u, err := url.Parse(h.absolute(strings.TrimSpace(raw)))
	base, _ := url.Parse(h.site.BaseURL)
	if err != nil || base == nil || !strings.EqualFold(u.Host, base.Host) || (u.Scheme != "http" && u.Scheme != "https") {
		return notOurs
	}
	slug, ok := strings.CutPrefix(strings.TrimSuffix(u.Path, "/"), "/stories/")
	if !ok || slug == "" || strings.Contains(slug, "/") {
		return notOurs
	}
	in.Slug = slug
	id := func(frag string) (uint, error) {
		n, err := strconv.ParseUint(frag, 10, 32)
		if err != nil || n == 0 {
			return 0, notOurs
		}
		return uint(n), nil
	}
	switch frag := u.Fragment; {
	case frag == "company-reply" || frag == "official-reply":
		in.Reply = true
	case strings.HasPrefix(frag, "comment-"):
		in.CommentID, err = id(strings.TrimPrefix(frag, "comment-"))
	case strings.HasPrefix(frag, "follow-up-"):
		in.FollowUpID, err = id(strings.TrimPrefix(frag, "follow-up-"))
	}
	return err
}
