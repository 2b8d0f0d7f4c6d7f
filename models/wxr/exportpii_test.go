package wxr

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"doleances/models"
)

// TestExportWritesMaskedText: a whole-site export writes stories and
// comments as they are published, personal data masked; the originals,
// which belong to their writers alone, are not in the file.
func TestExportWritesMaskedText(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	ann := &models.User{Handle: "ann", Name: "Ann", Email: "ann@example.org", Role: models.RoleAuthor}
	check(t, s.CreateUser(ctx, ann))
	st, err := s.CreateStory(ctx, models.StoryInput{Title: "Box", Body: "Rappelez-moi au 06 12 34 56 78, dossier n° 77120045.",
		AuthorID: ann.ID, Status: models.StatusPublished})
	check(t, err)
	_, err = s.AddComment(ctx, models.CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.net",
		Body: "Moi aussi : 07 98 76 54 32.", Status: models.CommentApproved})
	check(t, err)
	var buf bytes.Buffer
	_, err = Export(ctx, s.Store, &buf, ExportOptions{BaseURL: "https://dol.example", Title: "Doléances"})
	check(t, err)
	out := buf.String()
	for _, original := range []string{"06 12 34 56 78", "77120045", "07 98 76 54 32"} {
		if strings.Contains(out, original) {
			t.Errorf("the export holds the unmasked %q", original)
		}
	}
	for _, masked := range []string{"06 •• •• •• 78", "07 •• •• •• 32"} {
		if !strings.Contains(out, masked) {
			t.Errorf("the export lacks the masked %q", masked)
		}
	}
}
