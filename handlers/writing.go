package handlers

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type writingStore interface {
	sidebarStore
	Categories(ctx context.Context) ([]models.Category, error)
	CompaniesFor(ctx context.Context, userID uint) ([]models.Company, error)
	FindOrCreateCompany(ctx context.Context, name string) (*models.Company, error)
	CreateStory(ctx context.Context, in models.StoryInput) (*models.Story, error)
	UpdateStory(ctx context.Context, id, editorID uint, in models.StoryInput) (*models.Story, error)
	StoryForEditBySlug(ctx context.Context, slug string, userID uint) (*models.Story, error)
	SubmitStory(ctx context.Context, id, userID uint) (*models.Story, error)
	UnpublishStory(ctx context.Context, id, userID uint) error
	DeleteStory(ctx context.Context, id, userID uint) error
	AddStoryUpdate(ctx context.Context, storyID, userID uint, body, resolution string) (*models.StoryUpdate, error)
	Revisions(ctx context.Context, storyID uint) ([]models.Revision, error)
	StoriesOf(ctx context.Context, userID uint) ([]models.Story, error)
	AutosaveDraft(ctx context.Context, id, editorID uint, in models.StoryInput) (*models.Story, error)
	ReadCounts(ctx context.Context, ids []uint) (map[uint]int, error)
}

// writing serves the editor, the actions on a story and /me/stories.
type writing struct {
	*pages
	store writingStore
	pics  *pictures
}

// StoryForm is the editor's fields as typed.
type StoryForm struct {
	Title, Body, Tags, Company, City, Resolution string
	Lang                                         string // the story's language
	Categories                                   map[uint]bool
	Cover, CoverAlt                              string
	Uploads                                      []Upload // pictures sent from this page without JavaScript
	// Show are the texts the writer chose to publish although they look
	// like personal data.
	Show []string
}

// UpdateForm is the "append an update" form as typed.
type UpdateForm struct {
	Body, Resolution string
	Errors           map[string]string
}

// EditorPage is /write and /stories/{slug}/edit.
type EditorPage struct {
	Layout
	Action       string        // where the form posts
	Story        *models.Story // nil for a new story
	Form         StoryForm
	Errors       map[string]string
	Categories   []models.Category
	Companies    []models.Company
	Preview      string // rendered HTML of the body, when asked for
	Previewed    bool
	Flash        string
	SignedOut    bool // the session ended before the form was sent
	PublishLabel string
	Update       UpdateForm
	// Detected is the personal data in the form's body, masked in what is
	// published unless the writer ticks it (when it may be shown).
	Detected []models.Detected
}

// formOf fills the editor's fields from a saved story.
func formOf(st *models.Story) StoryForm {
	f := StoryForm{Title: st.Title, Body: st.Body, City: st.City, Resolution: st.Resolution, Lang: st.Lang, Categories: map[uint]bool{},
		Cover: st.Cover, CoverAlt: st.CoverAlt, Show: models.SplitShown(st.ShownPII)}
	for _, c := range st.Categories {
		f.Categories[c.ID] = true
	}
	names := make([]string, len(st.Tags))
	for i, t := range st.Tags {
		names[i] = t.Name
	}
	f.Tags = strings.Join(names, ", ")
	if st.Company != nil {
		f.Company = st.Company.Name
	}
	return f
}

// formOfPending fills the editor's fields from a change waiting for review,
// so that its writer goes on from what they wrote, not from what is public.
func formOfPending(p *models.PendingEdit) StoryForm {
	f := StoryForm{Title: p.Title, Body: p.Body, City: p.City, Resolution: p.Resolution, Tags: p.Tags,
		Categories: map[uint]bool{}, Show: models.SplitShown(p.ShownPII)}
	for _, id := range p.CategoryIDList() {
		f.Categories[id] = true
	}
	if p.Company != nil {
		f.Company = p.Company.Name
	}
	return f
}

// heldFor reports whether st has a change by userID waiting for review.
func heldFor(st *models.Story, userID uint) bool {
	return st.Pending != nil && st.Pending.EditorID == userID
}

// readForm reads the editor's fields from the request.
func readForm(c *fiber.Ctx) StoryForm {
	f := StoryForm{Title: formLine(c, "title"), Body: formText(c, "body"),
		Tags: formLine(c, "tags"), Company: formLine(c, "company"), City: formLine(c, "city"),
		Resolution: formLine(c, "resolution"), Lang: formLine(c, "lang"), Categories: map[uint]bool{},
		CoverAlt: cleanAlt(c.FormValue("cover_alt")), Uploads: readUploads(c)}
	if _, ok := models.ParseMediaURL(c.FormValue("cover")); ok {
		f.Cover = strings.Clone(c.FormValue("cover"))
	}
	for _, v := range formValues(c, "categories") {
		// An id that is not one (negative, too large, not a number) stands
		// for an unknown category, 0, which the store refuses with a message.
		id, _ := strconv.ParseUint(v, 10, 32)
		f.Categories[uint(id)] = true
	}
	for _, v := range c.Request().PostArgs().PeekMulti("show") {
		f.Show = append(f.Show, cleanText(string(v), false)) // a copy: fasthttp reuses v
	}
	return f
}

// storyInput is the form as a StoryInput, without its company.
func storyInput(f StoryForm) models.StoryInput {
	in := models.StoryInput{Title: f.Title, Body: f.Body, City: f.City, Resolution: f.Resolution, Lang: f.Lang,
		Tags: strings.Split(f.Tags, ","), Cover: f.Cover, CoverAlt: f.CoverAlt, ShowPII: f.Show}
	for id := range f.Categories {
		in.CategoryIDs = append(in.CategoryIDs, id)
	}
	slices.Sort(in.CategoryIDs)
	return in
}

// input turns the form into a StoryInput, finding or creating its company.
// The company is only looked up once the rest of the form is acceptable, so
// that a refused story leaves no company page behind.
func (w *writing) input(ctx context.Context, f StoryForm) (models.StoryInput, error) {
	in := storyInput(f)
	if strings.TrimSpace(f.Company) == "" || in.Validate() != nil {
		return in, nil
	}
	co, err := w.store.FindOrCreateCompany(ctx, f.Company)
	if err != nil {
		return in, err
	}
	in.CompanyID = &co.ID
	return in, nil
}

// renderEditor shows the editor with ep's form, errors and preview.
func (w *writing) renderEditor(c *fiber.Ctx, status int, ep EditorPage) error {
	title := tr(c, "Write a story")
	if ep.Story != nil {
		title = tr(c, "Edit “%s”", ep.Story.Title)
	}
	l, err := w.layout(c, title, "", "")
	if err != nil {
		return err
	}
	l.Canonical, l.Wide = "", true
	ep.Layout = l
	if ep.Categories, err = w.store.Categories(c.UserContext()); err != nil {
		return err
	}
	if l.User != nil {
		if ep.Companies, err = w.store.CompaniesFor(c.UserContext(), l.User.ID); err != nil {
			return err
		}
	}
	ep.PublishLabel = tr(c, "Publish")
	if !publishes(l.User) {
		ep.PublishLabel = tr(c, "Submit for review")
	}
	ep.Detected = models.DetectPII(ep.Form.Body, ep.Form.Show)
	if ep.Form.Resolution == "" {
		ep.Form.Resolution = models.ResolutionOpen
	}
	if ep.Form.Lang == "" && ep.Story != nil {
		ep.Form.Lang = ep.Story.Lang // a held change keeps the story's language
	}
	if ep.Form.Lang == "" && w.langs != nil {
		ep.Form.Lang = w.langs.Default().Code
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return w.render(c, status, "editor", ep)
}

// newStory is GET /write.
func (w *writing) newStory(c *fiber.Ctx, _ *models.User) error {
	return w.renderEditor(c, fiber.StatusOK, EditorPage{Action: "/write"})
}

// editStory is GET /stories/{slug}/edit.
func (w *writing) editStory(c *fiber.Ctx, u *models.User, st *models.Story) error {
	ep := EditorPage{Action: "/stories/" + st.Slug + "/edit", Story: st, Form: formOf(st)}
	if heldFor(st, u.ID) {
		ep.Form = formOfPending(st.Pending)
	}
	switch c.Query("saved") {
	case "draft":
		ep.Flash = tr(c, "Your draft is saved.")
	case "review":
		ep.Flash = tr(c, "Your story is saved and waits for an admin's review.")
	case "update":
		ep.Flash = tr(c, "Your update is added.")
	case "pending":
		ep.Flash = tr(c, "Your changes are saved. An admin reviews them before they are public: until then, readers see the story as it was approved.")
	case "update-pending":
		ep.Flash = tr(c, "Your update is saved. An admin reviews it before it is public.")
	case "yes":
		ep.Flash = tr(c, "Your changes are saved.")
	}
	return w.renderEditor(c, fiber.StatusOK, ep)
}

// createStory is POST /write.
func (w *writing) createStory(c *fiber.Ctx, u *models.User) error {
	return w.save(c, u, nil)
}

// updateStory is POST /stories/{slug}/edit.
func (w *writing) updateStory(c *fiber.Ctx, u *models.User, st *models.Story) error {
	return w.save(c, u, st)
}

// save handles the editor's three buttons: preview, save draft, publish.
// (A person whose session ended gets the form back: see signedOut.)
func (w *writing) save(c *fiber.Ctx, u *models.User, st *models.Story) error {
	ctx := c.UserContext()
	ep := EditorPage{Action: c.Path(), Story: st, Form: readForm(c)}
	if done, err := w.pictureStep(c, u, st, &ep); done {
		return err
	}
	if c.FormValue("action") == "preview" {
		if msg := models.CheckMarkdown(ep.Form.Body); msg != "" {
			ep.Errors = map[string]string{"body": msg}
			return w.renderEditor(c, fiber.StatusUnprocessableEntity, ep)
		}
		r, err := models.RenderStoryShowing(ep.Form.Body, ep.Form.Show)
		if err != nil {
			return err
		}
		ep.Preview, ep.Previewed = r.HTML, true
		return w.renderEditor(c, fiber.StatusOK, ep)
	}
	in, err := w.input(ctx, ep.Form)
	if err == nil {
		if st == nil {
			in.AuthorID = u.ID
			st, err = w.store.CreateStory(ctx, in)
		} else {
			st, err = w.store.UpdateStory(ctx, st.ID, u.ID, in)
		}
	}
	if ve := (*models.ValidationError)(nil); errors.As(err, &ve) {
		ep.Errors = localFields(c, ve.Fields)
		return w.renderEditor(c, fiber.StatusUnprocessableEntity, ep)
	}
	if err != nil {
		return err
	}
	if heldFor(st, u.ID) { // published, and the change waits for review
		return c.Redirect("/stories/"+st.Slug+"/edit?saved=pending", fiber.StatusSeeOther)
	}
	if c.FormValue("action") == "publish" {
		saved := st
		st, err = w.store.SubmitStory(ctx, st.ID, u.ID)
		if ve := (*models.ValidationError)(nil); errors.As(err, &ve) {
			// Saved as a draft, not public: the editor of that draft, with why.
			ep.Story, ep.Action, ep.Errors = saved, "/stories/"+saved.Slug+"/edit", localFields(c, ve.Fields)
			ep.Errors["form"] = tr(c, "Saved as a draft, not published: please check the fields marked below.")
			return w.renderEditor(c, fiber.StatusUnprocessableEntity, ep)
		}
		if err != nil {
			return err
		}
		return c.Redirect(afterPublish(st), fiber.StatusSeeOther)
	}
	return c.Redirect(afterSave(st), fiber.StatusSeeOther)
}

// afterPublish is afterSave for the Publish button: a story just made
// public opens with its author's confirmation and share links.
func afterPublish(st *models.Story) string {
	if st.Status == models.StatusPublished {
		return "/stories/" + st.Slug + "?published=1"
	}
	return afterSave(st)
}

// afterSave is where the editor goes once a story is saved: the story
// itself once it is public, else back to its editor.
func afterSave(st *models.Story) string {
	switch st.Status {
	case models.StatusPublished:
		return "/stories/" + st.Slug
	case models.StatusReview:
		return "/stories/" + st.Slug + "/edit?saved=review"
	}
	return "/stories/" + st.Slug + "/edit?saved=draft"
}

// preview is POST /preview: the story's Markdown rendered exactly as it
// will be saved, as an HTML fragment for the editor's live preview.
func (w *writing) preview(c *fiber.Ctx, _ *models.User) error {
	body := formText(c, "body")
	if utf8.RuneCountInString(body) > models.MaxBodyLen {
		return c.Status(fiber.StatusUnprocessableEntity).SendString("The story is longer than " +
			strconv.Itoa(models.MaxBodyLen) + " characters.")
	}
	if msg := models.CheckMarkdown(body); msg != "" {
		return c.Status(fiber.StatusUnprocessableEntity).SendString(msg)
	}
	r, err := models.RenderStoryShowing(body, readForm(c).Show)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(r.HTML)
}
