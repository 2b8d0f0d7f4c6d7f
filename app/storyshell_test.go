package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"doleances/models"
)

// A signed-in reader's story page assembled from the page kept for their
// kind of reader is byte for byte the page the templates render for them:
// readers of one kind see each other's kept page with their own token,
// comments (held ones, their actions) and account menu; the author and
// an admin, and a reader who liked the story, are kinds of their own.
func TestSignedInStoryPageAssembledAsRendered(t *testing.T) {
	ts := newSite(t, withComments())
	ctx := context.Background()
	zoe := ts.newUser("zoe", `Zoé <b>"O'Hara"</b> + & co`, models.RoleReader)
	fan := ts.newUser("fan", "Fan", models.RoleReader)
	paul, ines := ts.readers[0], ts.readers[1]
	for _, p := range []models.CommentPost{
		{StoryID: ts.story.ID, Poster: models.Poster{UserID: &paul.ID, IP: "10.0.0.1"}, Body: "Mine, *approved*."},
		{StoryID: ts.story.ID, Poster: models.Poster{UserID: &zoe.ID, IP: "10.0.0.2"}, Body: "Held: casino."},
		{StoryID: ts.story.ID, Poster: models.Poster{UserID: &ines.ID, IP: "10.0.0.3"}, Body: "Ines was here."},
	} {
		_, _, err := ts.store.PostComment(ctx, p)
		check(t, err)
	}
	_, err := ts.store.ToggleLike(ctx, ts.story.ID, fan.ID)
	check(t, err)
	ann, bea := ts.newUser("ann", "Ann", models.RoleReader), ts.newUser("bea", "Béa", models.RoleReader)
	assembledAsRendered(t, ts, "/stories/"+ts.story.Slug, []*models.User{paul, zoe, ann, ines, fan, bea, ts.author, ts.admin})
}

// The same on a story about a company, with its timeline and reply form
// (a representative of the company is a kind of their own).
func TestSignedInCompanyStoryAssembledAsRendered(t *testing.T) {
	ts := newSite(t, withStories())
	box := ts.stories["box"]
	rep := ts.newUser("rep", "Rep", models.RoleReader)
	admin := ts.newUser("root", "Root", models.RoleAdmin)
	check(t, ts.store.AddRepresentative(context.Background(), admin.ID, *box.CompanyID, rep.Handle))
	readers := []*models.User{ts.newUser("ann", "Ann", models.RoleReader), rep, ts.newUser("bob", "Bob", models.RoleReader), ts.author, admin}
	assembledAsRendered(t, ts, "/stories/"+box.Slug, readers)
}

// assembledAsRendered has viewers see path in rounds, each after a write
// that changes nothing on the page (so with no page kept) and led by
// another viewer: the first viewer of each kind gets the page from the
// templates (and keeps it for the kind), the others get it assembled. Each
// viewer's assembled pages must be their rendered one, byte for byte.
func assembledAsRendered(t *testing.T, ts *testSite, path string, viewers []*models.User) {
	t.Helper()
	sessions := map[uint]*visitor{}
	for _, u := range viewers {
		sessions[u.ID] = ts.signIn(u)
	}
	view := func(u *models.User) string {
		res, body := ts.get(sessions[u.ID], path)
		wantCode(t, res, body, 200)
		for id, v := range sessions {
			if mine := id == u.ID; strings.Contains(body, v.csrf) != mine {
				t.Errorf("%s's page holds user %d's token: %v", u.Handle, id, !mine)
			}
		}
		return body
	}
	for i, lead := range viewers {
		check(t, ts.store.CreateUser(context.Background(), &models.User{Handle: fmt.Sprint("later", i), Name: "Later"}))
		rendered := view(lead)
		check(t, ts.store.CreateUser(context.Background(), &models.User{Handle: fmt.Sprint("again", i), Name: "Again"}))
		for _, u := range viewers {
			if u != lead {
				view(u) // keeps the page of u's kind, if not lead's
			}
		}
		if assembled := view(lead); assembled != rendered {
			t.Errorf("%s's page differs between the rendered and the assembled one:\n%s", lead.Handle, firstDiff(rendered, assembled))
		}
	}
}

// firstDiff shows where a and b part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "…" + a[from:min(len(a), i+200)] + "\n<<<>>>\n…" + b[from:min(len(b), i+200)]
}

// TestShellKeepsOneViewsNotes: the share links shown after publishing and
// the reaction a guest pressed before signing in are that view's alone:
// neither is kept for the viewer's kind, nor left out of the view.
func TestShellKeepsOneViewsNotes(t *testing.T) {
	ts := newSite(t, withComments())
	author, reader := ts.signIn(ts.author), ts.signIn(ts.readers[0])
	path := "/stories/" + ts.story.Slug
	for _, v := range []struct {
		who         *visitor
		query, note string
	}{{author, "?published=1", `id="published"`}, {reader, "?react=like", `class="pending-reaction"`}} {
		_, body := ts.get(v.who, path) // keeps the page of the viewer's kind
		_, body = ts.get(v.who, path)
		if strings.Contains(body, v.note) {
			t.Fatalf("a plain view shows %s", v.note)
		}
		_, body = ts.get(v.who, path+v.query)
		wantIn(t, "the view of "+v.query, body, v.note)
		_, body = ts.get(v.who, path)
		if strings.Contains(body, v.note) {
			t.Errorf("after %s, a plain view still shows %s", v.query, v.note)
		}
	}
}
