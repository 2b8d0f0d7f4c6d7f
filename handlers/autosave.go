package handlers

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// autosaved is what the editor's script learns from an autosave: when,
// and where the draft now lives (a new story gets its draft at the first
// autosave, and the page moves to its edit address).
type autosaved struct {
	SavedAt     string `json:"saved_at"` // RFC 3339
	EditURL     string `json:"edit_url"`
	AutosaveURL string `json:"autosave_url"`
	Key         string `json:"key"` // where the script keeps its copy on the device
}

// autosaveProblem is an autosave refused: a sentence for the writer and
// the fields it is about.
type autosaveProblem struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

// autosaveInput is the form as an autosave keeps it. The company is left
// as it was: a name half typed must not create a company page.
func autosaveInput(f StoryForm, company *uint) models.StoryInput {
	in := storyInput(f)
	in.CompanyID = company
	return in
}

// autosaveNew is POST /write/autosave: the first autosave of a new story
// creates its draft.
func (w *writing) autosaveNew(c *fiber.Ctx, u *models.User) error {
	in := autosaveInput(readForm(c), nil)
	in.AuthorID = u.ID
	st, err := w.store.CreateStory(c.UserContext(), in)
	return w.answerAutosave(c, fiber.StatusCreated, st, err)
}

// autosave is POST /stories/{slug}/autosave, for a draft only.
func (w *writing) autosave(c *fiber.Ctx, u *models.User, st *models.Story) error {
	saved, err := w.store.AutosaveDraft(c.UserContext(), st.ID, u.ID, autosaveInput(readForm(c), st.CompanyID))
	return w.answerAutosave(c, fiber.StatusOK, saved, err)
}

// answerAutosave turns an autosave's outcome into JSON.
func (w *writing) answerAutosave(c *fiber.Ctx, status int, st *models.Story, err error) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		msg := "Not saved yet: " + firstProblem(ve.Fields)
		return c.Status(fiber.StatusUnprocessableEntity).JSON(autosaveProblem{Error: msg, Fields: ve.Fields})
	case errors.Is(err, models.ErrNotDraft):
		return c.Status(fiber.StatusConflict).JSON(autosaveProblem{
			Error: tr(c, "This story is public: your changes are kept on this device until you press “Save changes”.")})
	case err != nil:
		return err
	}
	edit := "/stories/" + st.Slug + "/edit"
	return c.Status(status).JSON(autosaved{SavedAt: st.UpdatedAt.UTC().Format(time.RFC3339), EditURL: edit,
		AutosaveURL: "/stories/" + st.Slug + "/autosave", Key: "story-" + strconv.FormatUint(uint64(st.ID), 10)})
}

// firstProblem is one of the messages, the title's first: the one a
// writer most likely has to fix before anything can be saved.
func firstProblem(fields map[string]string) string {
	if m, ok := fields["title"]; ok {
		return m
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return "please check the form."
	}
	return fields[keys[0]]
}
