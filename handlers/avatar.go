package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// setAvatar is POST /me/avatar: a picture of the person (field "avatar"),
// or remove=yes to go back to the letter of their name.
func (a *auth) setAvatar(c *fiber.Ctx, u *models.User) error {
	mp := MePage{Name: u.Name, Handle: u.Handle}
	url, err := "", error(nil)
	if c.FormValue("remove") != "yes" {
		fh := sentFile(c, "avatar")
		if fh == nil {
			mp.Errors = map[string]string{"avatar": tr(c, "Choose a picture of you (JPEG, PNG, WebP or GIF).")}
			return a.renderMe(c, fiber.StatusUnprocessableEntity, mp)
		}
		url, err = a.pics.save(c, fh, u.ID, models.PictureAvatar, u.Name)
		var ue *uploadError
		if errors.As(err, &ue) {
			mp.Errors = map[string]string{"avatar": locale(c).Text(ue.msg)}
			return a.renderMe(c, ue.status, mp)
		}
		if err != nil {
			return err
		}
	}
	if err := a.store.SetAvatar(c.UserContext(), u.ID, url); err != nil {
		return err
	}
	a.pics.sweep(c.UserContext())
	return c.Redirect("/me?saved=avatar", fiber.StatusSeeOther)
}
