package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// setAvatar is POST /me/avatar: a picture of the person (field "avatar"),
// or remove=yes to go back to the letter of their name.
func (a *auth) setAvatar(c *fiber.Ctx) error {
	sess, err := a.signedIn(c)
	if err != nil {
		return err
	}
	mp := MePage{Name: sess.User.Name, Handle: sess.User.Handle}
	url := ""
	if c.FormValue("remove") != "yes" {
		fh := sentFile(c, "avatar")
		if fh == nil {
			mp.Errors = map[string]string{"avatar": "Choose a picture of you (JPEG, PNG, WebP or GIF)."}
			return a.renderMe(c, fiber.StatusUnprocessableEntity, mp)
		}
		url, err = a.pics.save(c, fh, sess.UserID, models.PictureAvatar, sess.User.Name)
		var ue *uploadError
		if errors.As(err, &ue) {
			mp.Errors = map[string]string{"avatar": ue.msg}
			return a.renderMe(c, ue.status, mp)
		}
		if err != nil {
			return err
		}
	}
	if err := a.store.SetAvatar(c.UserContext(), sess.UserID, url); err != nil {
		return err
	}
	a.pics.sweep(c.UserContext())
	return c.Redirect("/me?saved=avatar", fiber.StatusSeeOther)
}
