package handlers

import (
	"context"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type moderationStore interface {
	ModerationQueue(ctx context.Context, userID uint, status string, n int) (models.ModerationPage, error)
	ModerateComments(ctx context.Context, userID uint, ids []uint, action string) (int, error)
	OpenReports(ctx context.Context, userID uint) ([]models.Report, error)
	ResolveReport(ctx context.Context, userID, reportID uint) (int, error)
}

// moderation serves /admin/comments (admins and authors of the stories)
// and /admin/reports (admins).
type moderation struct {
	*pages
	store moderationStore
}

// ModerationTab is a status of the moderation queue, with its count.
type ModerationTab struct {
	Status, Label string
	Count         int64
	Current       bool
}

// ModerationPage is a page of the comments to moderate.
type ModerationPage struct {
	Layout
	Queue models.ModerationPage
	Tabs  []ModerationTab
	Pager Pager
	Flash string
}

func (m *moderation) queue(c *fiber.Ctx, u *models.User) error {
	status := c.Query("status", models.CommentPending)
	n, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil {
		return fiber.ErrNotFound
	}
	q, err := m.store.ModerationQueue(c.UserContext(), u.ID, status, n)
	if err != nil {
		return err
	}
	l, err := m.layout(c, "Moderate comments", "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	mp := ModerationPage{Layout: l, Queue: q}
	for _, t := range []ModerationTab{{models.CommentPending, "Pending", q.Counts.Pending, false},
		{models.CommentApproved, "Approved", q.Counts.Approved, false}, {models.CommentSpam, "Spam", q.Counts.Spam, false},
		{models.CommentTrash, "Trash", q.Counts.Trash, false}} {
		t.Current = t.Status == q.Status
		mp.Tabs = append(mp.Tabs, t)
	}
	base := "/admin/comments?status=" + url.QueryEscape(q.Status) + "&page="
	mp.Pager = Pager{Page: q.Page, Pages: max(q.Pages, 1)}
	if q.Page > 1 {
		mp.Pager.Prev = base + strconv.Itoa(q.Page-1)
	}
	if q.Page < q.Pages {
		mp.Pager.Next = base + strconv.Itoa(q.Page+1)
	}
	if d, err := strconv.Atoi(c.Query("done")); err == nil && d >= 0 { // a count, never text from the address
		mp.Flash = strconv.Itoa(d) + " " + plural(d, "comment", "comments") + " changed."
	}
	return m.render(c, fiber.StatusOK, "moderation", mp)
}

// act applies one action to the ticked comments (bulk), or to the one
// comment whose button was pressed ("one" carries "action:id").
func (m *moderation) act(c *fiber.Ctx, u *models.User) error {
	action := c.FormValue("action")
	var ids []uint
	if one := c.FormValue("one"); one != "" {
		a, id, _ := cutUint(one)
		action, ids = a, []uint{id}
	} else {
		for _, v := range c.Context().PostArgs().PeekMulti("ids") {
			if id, err := strconv.ParseUint(string(v), 10, 32); err == nil {
				ids = append(ids, uint(id))
			}
		}
	}
	done, err := m.store.ModerateComments(c.UserContext(), u.ID, ids, action)
	if err != nil {
		return err
	}
	status := c.FormValue("status")
	switch status {
	case models.CommentPending, models.CommentApproved, models.CommentSpam, models.CommentTrash:
	default:
		status = models.CommentPending
	}
	return c.Redirect("/admin/comments?status="+url.QueryEscape(status)+"&done="+strconv.Itoa(done), fiber.StatusSeeOther)
}

// cutUint splits "approve:12" into its action and id.
func cutUint(s string) (string, uint, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			id, err := strconv.ParseUint(s[i+1:], 10, 32)
			return s[:i], uint(id), err == nil
		}
	}
	return s, 0, false
}

// ReportsPage lists the open reports.
type ReportsPage struct {
	Layout
	Reports []models.Report
	Flash   string
}

func (m *moderation) reports(c *fiber.Ctx, u *models.User) error {
	rs, err := m.store.OpenReports(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	l, err := m.layout(c, "Reports", "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	rp := ReportsPage{Layout: l, Reports: rs}
	switch {
	case c.Query("resolved") != "":
		rp.Flash = "The report is resolved."
	case c.Query("removed") != "":
		rp.Flash = "The official reply is removed: the story waits for a reply again. Resolve its reports when you are done."
	}
	return m.render(c, fiber.StatusOK, "reports", rp)
}

func (m *moderation) resolve(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := m.store.ResolveReport(c.UserContext(), u.ID, id); err != nil {
		return err
	}
	return c.Redirect("/admin/reports?resolved=1", fiber.StatusSeeOther)
}
