package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// MePage is the account page.
type MePage struct {
	Layout
	Name, Handle string
	Errors       map[string]string
	Flash        string
	Problem      string // a refused action (unlink, delete), shown at the top
	Identities   []IdentityRow
	CanUnlink    bool
	Linkable     []ProviderLink // configured providers not linked yet
	DeleteChoice string
	Follows      []models.Follow
	// MailComments and MailModeration: the account gets new comments on
	// its stories, and held comments and reports (admins, authors).
	MailComments, MailModeration bool
	// Notices are the decisions about what the user wrote; AppealID,
	// AppealText and AppealError give back a refused appeal.
	Notices     []models.Notice
	AppealID    uint
	AppealText  string
	AppealError string
	// About is the bio and links form, as saved or as typed.
	About AboutForm
	// Replies are the user's open stories that their company answered:
	// the page asks whether they are resolved.
	Replies []models.ReplyToConfirm
}

// AboutForm is the bio and the links of /me. Typed is set when it holds
// what was sent (kept after a refusal), not what is saved.
type AboutForm struct {
	Bio   string
	Links [models.MaxProfileLinks]string
	Typed bool
}

// aboutOf is u's saved bio and links.
func aboutOf(u *models.User) AboutForm {
	f := AboutForm{Bio: u.Bio}
	copy(f.Links[:], u.LinkList())
	return f
}

// IdentityRow is a linked identity as /me lists it.
type IdentityRow struct {
	models.Identity
	Label string
}

func (a *auth) me(c *fiber.Ctx, u *models.User) error {
	mp := MePage{Name: u.Name, Handle: u.Handle}
	switch {
	case c.Query("saved") == "avatar":
		mp.Flash = tr(c, "Your picture is saved.")
	case c.Query("saved") == "about":
		mp.Flash = tr(c, "Your bio and links are saved: they are on your author page.")
	case c.Query("saved") != "":
		mp.Flash = tr(c, "Your profile is saved.")
	case c.Query("linked") != "":
		mp.Flash = tr(c, "The account is linked: you can now sign in with it too.")
	case c.Query("unlinked") != "":
		mp.Flash = tr(c, "The account is unlinked.")
	case c.Query("unfollowed") != "":
		mp.Flash = tr(c, "The follow is ended.")
	}
	return a.renderMe(c, fiber.StatusOK, mp)
}

func (a *auth) renderMe(c *fiber.Ctx, status int, mp MePage) error {
	sess := currentSession(c)
	l, err := a.layout(c, tr(c, "Your account"), "/me", "")
	if err != nil {
		return err
	}
	if !mp.About.Typed && l.User != nil {
		mp.About = aboutOf(l.User)
	}
	l.Canonical = ""
	mp.Layout = l
	ids, err := a.store.Identities(c.UserContext(), sess.UserID)
	if err != nil {
		return err
	}
	linked := map[string]bool{}
	for _, id := range ids {
		label := id.Provider
		if p, ok := a.providers[id.Provider]; ok {
			label = p.Label()
		}
		mp.Identities = append(mp.Identities, IdentityRow{Identity: id, Label: label})
		linked[id.Provider] = true
	}
	mp.CanUnlink = len(ids) > 1
	if mp.Notices, err = a.store.NoticesAbout(c.UserContext(), sess.UserID); err != nil {
		return err
	}
	if mp.Replies, err = a.store.RepliesToConfirm(c.UserContext(), sess.UserID); err != nil {
		return err
	}
	if err := a.mailSettings(c, sess, &mp); err != nil {
		return err
	}
	for _, p := range a.order {
		if !linked[p.Name()] {
			mp.Linkable = append(mp.Linkable, ProviderLink{Name: p.Name(), Label: p.Label()})
		}
	}
	return a.render(c, status, "me", mp)
}

// saveProfile changes the display name and handle: POST /me.
func (a *auth) saveProfile(c *fiber.Ctx, u *models.User) error {
	name, handle := formLine(c, "name"), formLine(c, "handle")
	err := a.store.UpdateProfile(c.UserContext(), u.ID, name, handle)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return a.renderMe(c, fiber.StatusUnprocessableEntity, MePage{Name: name, Handle: handle, Errors: localFields(c, ve.Fields)})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/me?saved=1", fiber.StatusSeeOther)
}

// saveAbout sets the bio and links of the author page: POST /me/about.
func (a *auth) saveAbout(c *fiber.Ctx, u *models.User) error {
	f := AboutForm{Bio: formText(c, "bio"), Typed: true}
	links := formValues(c, "links")
	for i := range links {
		links[i] = strings.TrimSpace(cleanText(links[i], false))
	}
	for i := range f.Links {
		if i < len(links) {
			f.Links[i] = links[i]
		}
	}
	err := a.store.UpdateAbout(c.UserContext(), u.ID, f.Bio, links)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return a.renderMe(c, fiber.StatusUnprocessableEntity, MePage{Name: u.Name, Handle: u.Handle, Errors: ve.Fields, About: f})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/me?saved=about#about", fiber.StatusSeeOther)
}

// unlink removes a linked identity, unless it is the last way to sign in.
func (a *auth) unlink(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	err = a.store.UnlinkIdentity(c.UserContext(), u.ID, id)
	if errors.Is(err, models.ErrLastSignIn) {
		return a.renderMe(c, fiber.StatusConflict, MePage{Name: u.Name, Handle: u.Handle,
			Problem: tr(c, "This is your only way to sign in, so it stays linked. Link another account first.")})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/me?unlinked=1", fiber.StatusSeeOther)
}

// signOutEverywhere ends every session of the account, this one included.
func (a *auth) signOutEverywhere(c *fiber.Ctx, u *models.User) error {
	if err := a.store.DeleteUserSessions(c.UserContext(), u.ID); err != nil {
		return err
	}
	a.clearSessionCookie(c)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// deleteAccount deletes the account, keeping or removing what it wrote.
func (a *auth) deleteAccount(c *fiber.Ctx, u *models.User) error {
	choice := c.FormValue("content")
	if (choice != "keep" && choice != "remove") || c.FormValue("confirm") != "yes" {
		mp := MePage{Name: u.Name, Handle: u.Handle, DeleteChoice: choice, Errors: map[string]string{}}
		if choice != "keep" && choice != "remove" {
			mp.Errors["content"] = tr(c, "Choose what happens to your stories and comments.")
		}
		if c.FormValue("confirm") != "yes" {
			mp.Errors["confirm"] = tr(c, "Tick the box to confirm that you want to delete your account.")
		}
		return a.renderMe(c, fiber.StatusUnprocessableEntity, mp)
	}
	if err := a.store.DeleteUser(c.UserContext(), u.ID, choice == "keep"); err != nil {
		return err
	}
	a.pics.sweep(c.UserContext())
	a.clearSessionCookie(c)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// mailSettings fills in the follows and mail switches of /me.
func (a *auth) mailSettings(c *fiber.Ctx, sess *models.Session, mp *MePage) error {
	fs, err := a.store.Follows(c.UserContext(), sess.UserID, verifiedEmail(&sess.User))
	if err != nil {
		return err
	}
	u, err := a.store.UserByID(c.UserContext(), sess.UserID)
	if err != nil {
		return err
	}
	mp.Follows, mp.MailComments, mp.MailModeration = fs, !u.MuteCommentMail, !u.MuteModerationMail
	return nil
}

// appeal is POST /me/notices/{id}/appeal: the author's one appeal of a
// decision about their content.
func (a *auth) appeal(c *fiber.Ctx, u *models.User) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	text := formText(c, "appeal")
	err = a.store.AppealNotice(c.UserContext(), u.ID, id, text)
	mp := MePage{Name: u.Name, Handle: u.Handle, AppealID: id, AppealText: text}
	var ve *models.ValidationError
	switch {
	case err == nil:
		mp.Flash, mp.AppealText = tr(c, "Your appeal is sent: an admin will look at the decision again and tell you the outcome."), ""
		return a.renderMe(c, fiber.StatusOK, mp)
	case errors.As(err, &ve):
		mp.AppealError = localSummary(c, ve)
		return a.renderMe(c, fiber.StatusUnprocessableEntity, mp)
	case errors.Is(err, models.ErrAlreadyAppealed):
		mp.Problem = tr(c, "You have already appealed this decision, and a decision can be appealed only once. Its outcome is shown below once the admins have looked again.")
		return a.renderMe(c, fiber.StatusConflict, mp)
	case errors.Is(err, models.ErrConflict):
		mp.Problem = tr(c, "This decision cannot be appealed: the content was kept online.")
		return a.renderMe(c, fiber.StatusConflict, mp)
	}
	return err
}
