package app

import (
	"context"
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
	viewers := []*models.User{paul, zoe, ines, fan, ts.author, ts.admin}
	path := "/stories/" + ts.story.Slug
	sessions := map[uint]*visitor{}
	for _, u := range viewers {
		sessions[u.ID] = ts.signIn(u)
	}
	round := func(order []*models.User) map[uint]string {
		pages := map[uint]string{}
		for _, u := range order {
			res, body := ts.get(sessions[u.ID], path)
			wantCode(t, res, body, 200)
			pages[u.ID] = body
		}
		return pages
	}
	// The first viewer of each kind gets the page from the templates (and
	// keeps it for the kind); the others get it assembled. A write in
	// between, which changes nothing on this page, lets the reversed order
	// swap who gets which.
	first := round(viewers)
	check(t, ts.store.CreateUser(ctx, &models.User{Handle: "later", Name: "Later"}))
	reversed := make([]*models.User, len(viewers))
	for i, u := range viewers {
		reversed[len(viewers)-1-i] = u
	}
	second := round(reversed)
	third := round(viewers)
	for _, u := range viewers {
		if first[u.ID] != second[u.ID] || second[u.ID] != third[u.ID] {
			t.Errorf("%s's page differs between the rendered and the assembled one:\n%s", u.Handle, firstDiff(first[u.ID], second[u.ID]+"\n---\n"+third[u.ID]))
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
