package handlers

import (
	"context"
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type noticeAdminStore interface {
	sidebarStore
	Notices(ctx context.Context, state string) ([]models.Notice, error)
	NoticeByID(ctx context.Context, id uint) (*models.NoticeTarget, error)
	DecideNotice(ctx context.Context, adminID, id uint, in models.DecisionInput) (*models.Notice, error)
	DecideAppeal(ctx context.Context, adminID, id uint, outcome, reasons string) (*models.Notice, error)
	AuditLog(ctx context.Context, before uint) ([]models.AuditEntry, error)
}

// noticeAdmin serves the admins' pages on notices and the audit log.
type noticeAdmin struct {
	*pages
	store noticeAdminStore
	mail  NoticeMailer
	log   *slog.Logger
}

// NoticesPage is /admin/notices.
type NoticesPage struct {
	Layout
	State   string
	Notices []models.Notice
}

// NoticeAdminPage is /admin/notices/{id}: a notice, its content, and the
// decision form (or the decision, and the appeal's form).
type NoticeAdminPage struct {
	Layout
	models.NoticeTarget
	Decision models.DecisionInput
	Outcome  string
	Reasons  string // the appeal decision's reasons, as typed
	Errors   map[string]string
	Problem  string
	Flash    string
}

// AuditPage is /admin/audit.
type AuditPage struct {
	Layout
	Entries []models.AuditEntry
	Older   uint // the ?before= of the next page; 0: none
}

// list is GET /admin/notices[?state=open].
func (h *noticeAdmin) list(c *fiber.Ctx, _ *models.User) error {
	state := c.Query("state")
	switch state {
	case "", models.NoticeOpen, models.NoticeDecided, models.NoticeAppealed, models.NoticeClosed:
	default:
		state = ""
	}
	ns, err := h.store.Notices(c.UserContext(), state)
	if err != nil {
		return err
	}
	l, err := h.adminLayout(c, tr(c, "Notices"))
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "notices", NoticesPage{Layout: l, State: state, Notices: ns})
}

func (h *noticeAdmin) adminLayout(c *fiber.Ctx, title string) (Layout, error) {
	l, err := h.layout(c, title, "", "")
	l.Canonical = ""
	c.Set(fiber.HeaderCacheControl, "no-store")
	return l, err
}

// show is GET /admin/notices/{id}.
func (h *noticeAdmin) show(c *fiber.Ctx, _ *models.User) error {
	np := NoticeAdminPage{}
	if c.Query("done") != "" {
		np.Flash = tr(c, "The decision is recorded; the author and the notifier are told.")
	}
	return h.renderNotice(c, fiber.StatusOK, np)
}

func (h *noticeAdmin) renderNotice(c *fiber.Ctx, status int, np NoticeAdminPage) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := h.store.NoticeByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	np.NoticeTarget = *t
	if np.Layout, err = h.adminLayout(c, tr(c, "Notice %s", t.Notice.Ref())); err != nil {
		return err
	}
	return h.render(c, status, "noticeadmin", np)
}

// decide is POST /admin/notices/{id}/decide.
func (h *noticeAdmin) decide(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := models.DecisionInput{Kind: formLine(c, "decision"), Reasons: formText(c, "reasons"), Passage: formText(c, "passage")}
	n, err := h.store.DecideNotice(c.UserContext(), u.ID, id, in)
	if err == nil {
		mailAfter(c, h.log, h.mail.NoticeDecided, n)
	}
	return h.after(c, id, err, NoticeAdminPage{Decision: in}, tr(c, "This notice was decided meanwhile (by another admin?): its decision is below."))
}

// decideAppeal is POST /admin/notices/{id}/appeal.
func (h *noticeAdmin) decideAppeal(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	outcome, reasons := formLine(c, "outcome"), formText(c, "reasons")
	n, err := h.store.DecideAppeal(c.UserContext(), u.ID, id, outcome, reasons)
	if err == nil {
		mailAfter(c, h.log, h.mail.AppealDecided, n)
	}
	return h.after(c, id, err, NoticeAdminPage{Outcome: outcome, Reasons: reasons}, tr(c, "No appeal waits on this notice: it was decided meanwhile."))
}

// after answers a decision: back to the notice, or its form again with
// what was typed and why it was refused.
func (h *noticeAdmin) after(c *fiber.Ctx, id uint, err error, np NoticeAdminPage, conflict string) error {
	var ve *models.ValidationError
	switch {
	case err == nil:
		return c.Redirect("/admin/notices/"+strconv.FormatUint(uint64(id), 10)+"?done=1", fiber.StatusSeeOther)
	case errors.As(err, &ve):
		np.Errors = localFields(c, ve.Fields)
		return h.renderNotice(c, fiber.StatusUnprocessableEntity, np)
	case errors.Is(err, models.ErrConflict):
		np.Problem = conflict
		return h.renderNotice(c, fiber.StatusConflict, np)
	}
	return err
}

// audit is GET /admin/audit[?before=ID].
func (h *noticeAdmin) audit(c *fiber.Ctx, _ *models.User) error {
	before, _ := strconv.ParseUint(c.Query("before"), 10, 32)
	es, err := h.store.AuditLog(c.UserContext(), uint(before))
	if err != nil {
		return err
	}
	l, err := h.adminLayout(c, tr(c, "Audit log"))
	if err != nil {
		return err
	}
	ap := AuditPage{Layout: l, Entries: es}
	if len(es) == models.AuditPageSize {
		ap.Older = es[len(es)-1].ID
	}
	return h.render(c, fiber.StatusOK, "audit", ap)
}
