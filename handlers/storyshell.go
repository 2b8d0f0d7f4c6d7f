package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"doleances/models"
)

// A signed-in reader's story page is the page of every signed-in reader of
// the same kind (what they may do with the story, what they reacted) but
// for four parts of their own: the CSRF token, the comment form's stamp,
// the comments as they see them and the account menu. The page is rendered
// once per story as read (so per generation), variant and kind, with
// stand-ins for those four parts, cut at the stand-ins and kept; a view
// then writes the kept pieces with its own parts between them, instead of
// running the templates over the whole page (three quarters of a view's
// time). The variant is what else a page differs by for everyone (the
// language, once there is more than one); "" today.

// shellSlot is a viewer's own part of a story page.
type shellSlot uint8

const (
	slotCSRF shellSlot = iota
	slotStamp
	slotComments
	slotAccount
	nSlots
)

// shellMarks are the stand-ins: letters and digits only, which every
// html/template context leaves as they are, and random, so that no text
// of the page holds one.
var shellMarks = func() (m [nSlots]string) {
	for i := range m {
		b := make([]byte, 12)
		_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
		m[i] = "zShell" + hex.EncodeToString(b) + "z"
	}
	return m
}()

// storyShell is a story page cut at its stand-ins: pieces[i], then the
// viewer's part slots[i], then pieces[i+1]...
type storyShell struct {
	pieces []string
	slots  []shellSlot
}

// shellKey is a story page as kept for a kind of viewer.
type shellKey struct {
	story   *models.Story
	variant string
	kind    string
	lang    string
}

// shellable says whether sp is a signed-in reader's plain view of a story,
// which a shell gives: an empty form, no message (nor the notes one view
// alone shows: the share links after publishing, a reaction to confirm), a
// token whose characters every context leaves as they are.
func shellable(sp *StoryPage, status int) bool {
	return status == fiber.StatusOK && sp.User != nil && sp.Flash == "" && sp.Form.ParentID == 0 &&
		sp.Share == nil && sp.Pending == "" &&
		sp.Form.Problem == "" && len(sp.Form.Errors) == 0 && sp.Form.Body == "" &&
		plainToken(sp.CSRF) && plainToken(sp.Form.Stamp) &&
		(sp.Company == nil || sp.Company.Form == nil || sp.Company.Form.Body == "")
}

// plainToken says whether s is made of letters, digits and -_. only.
func plainToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// shellKind is what, besides the four parts, the page of a signed-in
// viewer depends on; the rest is the story's and the generation's.
func shellKind(sp *StoryPage) string {
	kind := fmt.Sprintf("%t%t%t%t%t%t%t", sp.CanModerate, sp.CanEdit, sp.Form.NoAddress, sp.Form.Notify,
		sp.Reactions.Liked, sp.Reactions.MeToo, sp.noComments())
	if co := sp.Company; co != nil {
		// The timeline's dates are the story's; its day counts, the clock's.
		tl := co.Timeline
		kind += fmt.Sprintf("|%t|%t|%d|%d|%d", co.CanResolve, co.Form != nil, tl.WaitingDays, tl.ReplyDays, tl.ResolveDays)
		if co.Form != nil {
			kind += fmt.Sprintf("%+v", *co.Form)
		}
	}
	return kind
}

// renderShell writes the page of sp from its shell, made first if needed
// (that view is then rendered from the templates as before).
func (r *reading) renderShell(c *fiber.Ctx, gen uint64, sp StoryPage, variant string) error {
	key := shellKey{story: sp.Story, variant: variant, kind: shellKind(&sp), lang: sp.Lang}
	made := false
	sh, err := r.shells.getAt(gen, key, func() (*storyShell, error) {
		made = true
		return r.makeShell(sp)
	})
	if err != nil {
		return err
	}
	if made {
		sp.joinComments()
		return r.render(c, fiber.StatusOK, "story", sp)
	}
	account, err := r.accountMenu(sp.User, sp.Lang)
	if err != nil {
		return err
	}
	c.Response().ResetBody()
	w := bodyWriter{c.Response()}
	for i, p := range sh.pieces {
		_, _ = w.WriteString(p)
		if i >= len(sh.slots) {
			break
		}
		switch sh.slots[i] {
		case slotCSRF:
			_, _ = w.WriteString(sp.CSRF)
		case slotStamp:
			_, _ = w.WriteString(sp.Form.Stamp)
		case slotComments:
			if sp.commentParts != nil {
				writeCut(w, sp.commentParts, sp.CSRF)
			} else {
				_, _ = w.WriteString(string(sp.CommentsHTML))
			}
		case slotAccount:
			writeCut(w, account, sp.CSRF)
		}
	}
	c.Type("html", "utf-8")
	c.Status(fiber.StatusOK)
	return nil
}

// makeShell renders sp with the stand-ins and cuts it at them.
func (r *reading) makeShell(sp StoryPage) (*storyShell, error) {
	sp.CSRF = shellMarks[slotCSRF]
	sp.Form.CSRF, sp.Follow.CSRF = sp.CSRF, sp.CSRF
	sp.Form.Stamp = shellMarks[slotStamp]
	if !sp.noComments() {
		sp.CommentsHTML = template.HTML(shellMarks[slotComments]) //nolint:gosec // a stand-in of letters and digits
	}
	sp.AccountHTML = template.HTML(shellMarks[slotAccount]) //nolint:gosec // idem
	var b strings.Builder
	if err := r.views.Render(&b, sp.Lang, "story", sp); err != nil {
		return nil, fmt.Errorf("render story %d for a kind of reader: %w", sp.Story.ID, err)
	}
	page := b.String()
	sh := &storyShell{}
	for {
		at, slot := -1, shellSlot(0)
		for s, m := range shellMarks {
			if i := strings.Index(page, m); i >= 0 && (at < 0 || i < at) {
				at, slot = i, shellSlot(s)
			}
		}
		if at < 0 {
			sh.pieces = append(sh.pieces, page)
			return sh, nil
		}
		sh.pieces = append(sh.pieces, page[:at])
		sh.slots = append(sh.slots, slot)
		page = page[at+len(shellMarks[slot]):]
	}
}

// bodyWriter appends strings to a response's body without copying each
// to a []byte first (which io.WriteString does for fasthttp's writer).
type bodyWriter struct{ res *fasthttp.Response }

func (b bodyWriter) WriteString(s string) (int, error) {
	b.res.AppendBodyString(s)
	return len(s), nil
}

// menuKey is an account menu as kept: its user as read, in a language.
type menuKey struct {
	id                               uint
	handle, name, avatar, role, lang string
}

// accountMenu returns the account menu of u in language lang, cut at the
// CSRF token: rendered once per user as read and language, then kept.
func (r *reading) accountMenu(u *models.User, lang string) ([]string, error) {
	k := menuKey{id: u.ID, handle: u.Handle, name: u.Name, avatar: u.AvatarURL, role: u.Role, lang: lang}
	return r.menus.get(k, func() ([]string, error) {
		mark := shellMarks[slotCSRF]
		var b strings.Builder
		if err := r.views.Partial(&b, lang, "account", Layout{User: u, CSRF: mark, Lang: lang}); err != nil {
			return nil, fmt.Errorf("render account menu: %w", err)
		}
		return strings.Split(b.String(), mark), nil
	})
}

// noComments says whether the page shows no comment.
func (sp *StoryPage) noComments() bool { return sp.CommentsHTML == "" && sp.commentParts == nil }

// joinComments makes CommentsHTML of the kept comments, for the templates.
func (sp *StoryPage) joinComments() {
	if sp.commentParts != nil {
		var b strings.Builder
		writeCut(&b, sp.commentParts, sp.CSRF)
		sp.CommentsHTML = template.HTML(b.String()) //nolint:gosec // html/template partials' output and an escaped token
		sp.commentParts = nil
	}
}
