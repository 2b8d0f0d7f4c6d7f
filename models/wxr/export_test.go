package wxr

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// storyBodies are Markdown bodies with the shapes authors use.
var storyBodies = []string{
	"First paragraph with *emphasis*, **strong** and a [link](https://example.org/a?b=1&c=2).\nA soft break.\n\nSecond paragraph « guillemets » and emoji 🎉.",
	"## A heading\n\n- one\n- two\n  - nested\n\n1. first\n2. second\n\n> A quote\n> on two lines.\n\n`code` and\n\n```\npre block\n  indented\n```",
	"Text with a footnote-free ampersand & < > and a picture:\n\n![The slip](https://example.org/slip.jpg)",
}

// sourceSite builds a site with users, categories, tags, published stories
// and a draft, and comments in threads with each status.
func sourceSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	ctx := context.Background()
	ann := &models.User{Handle: "ann", Name: "Ann Ödegaard", Email: "ann@example.org", Role: models.RoleAuthor}
	bob := &models.User{Handle: "bob", Name: "Bob", Role: models.RoleReader}
	for _, u := range []*models.User{ann, bob} {
		check(t, s.CreateUser(ctx, u))
	}
	tel := &models.Category{Name: "Telecoms & Fibre", Description: "Operators."}
	bank := &models.Category{Name: "Banks", Description: ""}
	for _, c := range []*models.Category{tel, bank} {
		check(t, s.CreateCategory(ctx, c))
	}
	var batch []models.ImportStory
	for i, body := range storyBodies {
		at := time.Date(2024, time.Month(i+1), 10, 8, 30, 0, 0, time.UTC)
		status := models.StatusPublished
		if i == 2 {
			status = models.StatusDraft
		}
		in := models.StoryInput{Title: fmt.Sprintf("Story %d: l’opérateur & <co>", i), Body: body, AuthorID: ann.ID, Status: status,
			PublishedAt: &at, CategoryIDs: []uint{tel.ID, bank.ID}[:1+i%2], Tags: []string{"réclamation", fmt.Sprintf("tag %d", i)}}
		is := models.ImportStory{Story: in, Comments: []models.ImportComment{
			{Parent: -1, AuthorName: "Guest One", AuthorEmail: "g1@example.net", AuthorURL: "https://g1.example.net/", Body: "A guest *says*.", Status: models.CommentApproved, CreatedAt: at.Add(time.Hour)},
			{Parent: 0, UserID: &bob.ID, Body: "Bob answers.", Status: models.CommentApproved, CreatedAt: at.Add(2 * time.Hour)},
			{Parent: 1, AuthorName: "Guest Two", AuthorEmail: "g2@example.net", Body: "Held reply.", Status: models.CommentPending, CreatedAt: at.Add(3 * time.Hour)},
		}}
		if i == 1 {
			is.Origin = &models.ImportOrigin{Source: "test", Key: "1", Closed: true}
		}
		batch = append(batch, is)
	}
	b, err := models.PrepareImport(batch)
	check(t, err)
	check(t, s.Import(ctx, b))
	return s
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot is what a site holds, in a form two sites can be compared by.
func snapshot(t *testing.T, s *site) string {
	t.Helper()
	var out []string
	var rows []struct{ Handle, Name string }
	s.db.Raw("SELECT handle, name FROM users ORDER BY handle").Scan(&rows)
	out = append(out, fmt.Sprint("users ", rows))
	var cats []struct{ Name, Slug, Description string }
	s.db.Raw("SELECT name, slug, description FROM categories ORDER BY slug").Scan(&cats)
	out = append(out, fmt.Sprint("categories ", cats))
	var tags []string
	s.db.Raw("SELECT name FROM tags ORDER BY slug").Scan(&tags)
	out = append(out, fmt.Sprint("tags ", tags))
	var stories []models.Story
	s.db.Preload("Categories").Preload("Tags").Preload("Author").Order("title").Find(&stories)
	space := regexp.MustCompile(`\s+`)
	for _, st := range stories {
		slug := st.Slug
		if st.Status != models.StatusPublished {
			slug = "(draft)"
		}
		var names []string
		for _, c := range st.Categories {
			names = append(names, c.Slug)
		}
		for _, tg := range st.Tags {
			names = append(names, "#"+tg.Name)
		}
		slices.Sort(names)
		out = append(out, fmt.Sprintf("story %q %s %s by %s at %v comments %d closed %v %v\n%s", st.Title, st.Status, slug, st.Author.Handle,
			st.CreatedAt.UTC(), st.CommentCount, st.CommentsClosed, names, space.ReplaceAllString(st.HTML, " ")))
		var cs []struct {
			AuthorName, AuthorEmail, AuthorURL, HTML, Status, Parent string
			Depth                                                    int
		}
		s.db.Raw(`SELECT c.author_name, c.author_email, c.author_url, c.html, c.status, c.depth, COALESCE(p.html, '') AS parent
			FROM comments c LEFT JOIN comments p ON p.id = c.parent_id WHERE c.story_id = ? ORDER BY c.created_at`, st.ID).Scan(&cs)
		out = append(out, fmt.Sprint("comments ", cs))
	}
	return strings.Join(out, "\n")
}

// TestExportImportRoundTrip: importing our export into an empty site gives
// the same site back.
func TestExportImportRoundTrip(t *testing.T) {
	src := sourceSite(t)
	var buf bytes.Buffer
	n, err := Export(context.Background(), src.Store, &buf, ExportOptions{BaseURL: "https://dol.example", Title: "Doléances & co"})
	check(t, err)
	if n.Stories != 3 || n.Comments != 9 || n.Authors != 2 || n.Categories != 2 || n.Tags != 4 {
		t.Errorf("export counts: %+v", n)
	}
	dst := newSite(t)
	sum, err := Import(context.Background(), dst.Store, func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(buf.Bytes())), nil
	}, Options{})
	check(t, err)
	if len(sum.Skipped) != 0 {
		t.Errorf("skipped on import: %v", sum.Skipped)
	}
	if a, b := snapshot(t, src), snapshot(t, dst); a != b {
		t.Errorf("the site that came back differs.\nbefore:\n%s\n\nafter:\n%s", a, b)
	}
}
