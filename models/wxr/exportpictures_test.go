package wxr

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// TestExportPictureAttachments: a story's own pictures are written as
// attachment items (the story their parent, at the largest size shown)
// that WordPress's importer downloads, and the story's HTML links them by
// their full address, without the srcset WordPress would not rewrite.
func TestExportPictureAttachments(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	ann := &models.User{Handle: "ann", Name: "Ann", Email: "ann@example.org", Role: models.RoleAuthor}
	check(t, s.CreateUser(ctx, ann))
	name := strings.Repeat("ab", 16)
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	st, err := s.CreateStory(ctx, models.StoryInput{Title: "The box", AuthorID: ann.ID, Status: models.StatusPublished, PublishedAt: &at,
		Body: "Here:\n\n![The box](/media/" + name + "/1600x1067.jpg)\n\nAgain ![small](/media/" + name + "/480x320.jpg) and ![far](https://example.org/x.jpg)"})
	check(t, err)
	var buf bytes.Buffer
	_, err = Export(ctx, s.Store, &buf, ExportOptions{BaseURL: "https://dol.example", Title: "D"})
	check(t, err)
	out := buf.String()
	full := "https://dol.example/media/" + name + "/1600x1067.jpg"
	if n := strings.Count(out, "<wp:post_type><![CDATA[attachment]]></wp:post_type>"); n != 1 {
		t.Errorf("%d attachment items, want 1:\n%s", n, out)
	}
	for _, want := range []string{"<wp:attachment_url><![CDATA[" + full + "]]></wp:attachment_url>",
		"<wp:post_parent>" + strconv.FormatUint(uint64(st.ID), 10) + "</wp:post_parent>\n\t\t<wp:post_type><![CDATA[attachment]]>", `src="` + full + `"`} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "srcset=") || strings.Contains(out, `"/media/`) {
		t.Errorf("the story still links its pictures relatively or by srcset:\n%s", out)
	}
}
