package handlers

import (
	"errors"
	"mime/multipart"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Upload is a picture sent from the editor without JavaScript: the page
// shows it with the Markdown to paste where it belongs.
type Upload struct {
	URL, Alt string
}

// Markdown is the text that shows the picture in a story.
func (u Upload) Markdown() string { return markdownOf(u.URL, u.Alt) }

// formValues are every value of a field, from a URL-encoded or a multipart form.
func formValues(c *fiber.Ctx, name string) []string {
	if f, err := c.MultipartForm(); err == nil && f != nil {
		return f.Value[name]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// readUploads reads back the pictures the page listed before.
func readUploads(c *fiber.Ctx) []Upload {
	urls, alts := formValues(c, "uploads"), formValues(c, "uploads_alt")
	var out []Upload
	for i, u := range urls {
		if _, ok := models.ParseMediaURL(u); ok && i < len(alts) {
			out = append(out, Upload{URL: u, Alt: cleanAlt(alts[i])})
		}
	}
	return out
}

// sentFile is the file of a form field, or nil when none was chosen.
func sentFile(c *fiber.Ctx, name string) *multipart.FileHeader {
	fh, err := c.FormFile(name)
	if err != nil || fh.Filename == "" && fh.Size == 0 {
		return nil
	}
	return fh
}

// takePictures stores the cover and the picture sent with the editor's
// form, if any. A picture sent with a button other than "Upload" is added
// at the end of the text, so that it is not lost from sight. A refused
// picture is an error in its field; the rest of the form stays as typed.
func (w *writing) takePictures(c *fiber.Ctx, userID uint, ep *EditorPage) (int, error) {
	f := &ep.Form
	if c.FormValue("cover_remove") == "yes" {
		f.Cover = ""
	}
	refuse := func(field string, err error) (int, error) {
		var ue *uploadError
		if !errors.As(err, &ue) {
			return 0, err
		}
		ep.Errors = map[string]string{field: locale(c).Text(ue.msg)}
		return ue.status, nil
	}
	if fh := sentFile(c, "cover_file"); fh != nil {
		url, err := w.pics.save(c, fh, userID, models.PictureStory, f.CoverAlt)
		if err != nil {
			return refuse("cover", err)
		}
		f.Cover = url
	}
	if fh := sentFile(c, "picture"); fh != nil {
		alt := cleanAlt(c.FormValue("picture_alt"))
		url, err := w.pics.save(c, fh, userID, models.PictureStory, alt)
		if err != nil {
			return refuse("picture", err)
		}
		f.Uploads = append(f.Uploads, Upload{URL: url, Alt: alt})
		if c.FormValue("action") != "upload" {
			f.Body = strings.TrimRight(f.Body, "\n") + "\n\n" + markdownOf(url, alt) + "\n"
		}
	}
	return 0, nil
}

// pictureStep runs before the editor's buttons act: it takes the pictures
// sent with the form, shows them back for "Upload", and refuses to show
// readers a story whose pictures lack a description. done says the answer
// is given.
func (w *writing) pictureStep(c *fiber.Ctx, u *models.User, st *models.Story, ep *EditorPage) (bool, error) {
	if status, err := w.takePictures(c, u.ID, ep); err != nil || status != 0 {
		if err != nil {
			return true, err
		}
		return true, w.renderEditor(c, status, *ep)
	}
	switch action := c.FormValue("action"); {
	case action == "upload":
		if len(ep.Form.Uploads) > 0 {
			ep.Flash = tr(c, "The picture is uploaded: copy its Markdown into your story where it belongs. Nothing else is saved yet.")
		}
		return true, w.renderEditor(c, fiber.StatusOK, *ep)
	case action == "publish" || st != nil && st.Status != models.StatusDraft:
		if errs := models.AltProblems(ep.Form.Body, ep.Form.Cover, ep.Form.CoverAlt); errs != nil {
			ep.Errors = errs
			return true, w.renderEditor(c, fiber.StatusUnprocessableEntity, *ep)
		}
	}
	return false, nil
}
