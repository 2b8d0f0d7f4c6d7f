package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestStoryAuthorsCommentsCarryABadge: the story's author's reply says
// "author"; a reader's comment does not.
func TestStoryAuthorsCommentsCarryABadge(t *testing.T) {
	cs := newSite(t, withComments())
	res, body := cs.comment(cs.signIn(cs.readers[0]), cs.story, "Pareil pour moi.")
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.comment(cs.signIn(cs.author), cs.story, "Merci, je l'ajoute à l'histoire.")
	wantCode(t, res, body, http.StatusSeeOther)
	_, page := cs.get(nil, "/stories/"+cs.story.Slug)
	heads := regexp.MustCompile(`(?s)<strong class="who">.*?</p>`).FindAllString(page, -1)
	if len(heads) != 2 {
		t.Fatalf("%d comment heads", len(heads))
	}
	for _, h := range heads {
		byAuthor := strings.Contains(h, "/author/margot")
		if strings.Contains(h, `class="badge author-badge"`) != byAuthor {
			t.Errorf("badge wrong in %q", h)
		}
	}
}

// TestCommentEditPageSaysHowLongEditingRemains: 15 minutes right after
// posting, 5 after ten minutes, then the window is over.
func TestCommentEditPageSaysHowLongEditingRemains(t *testing.T) {
	cs := newSite(t, withComments())
	paul := cs.signIn(cs.readers[0])
	res, body := cs.comment(paul, cs.story, "Premier jet.")
	wantCode(t, res, body, http.StatusSeeOther)
	edit := "/comments/" + itoa(cs.lastComment().ID) + "/edit"
	_, body = cs.get(paul, edit)
	wantIn(t, "the edit page just after posting", body, "You can edit this comment for 15 minutes more, until")
	cs.clock.add(10*time.Minute + 30*time.Second)
	_, body = cs.get(paul, edit)
	wantIn(t, "the edit page 10.5 minutes later", body, "for 5 minutes more")
	cs.clock.add(4*time.Minute + 10*time.Second)
	_, body = cs.get(paul, edit)
	wantIn(t, "the edit page in the last minute", body, "for less than a minute more")
	cs.clock.add(time.Minute)
	_, body = cs.get(paul, edit)
	wantIn(t, "the edit page after the window", body, "that time is over")
}

// TestGuestReactionComesBackAfterSignIn: a guest's Like goes to sign in
// with the story and the reaction as the way back; signed in, the story
// offers the Like as a form that posts it (sent by the page's script only
// when this browser pressed it: a cookie a cross-site link cannot set).
func TestGuestReactionComesBackAfterSignIn(t *testing.T) {
	cs := newSite(t, withComments())
	slug := cs.story.Slug
	g := guest()
	res, body := cs.do(g, http.MethodPost, "/stories/"+slug+"/like", url.Values{"on": {"1"}})
	wantCode(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login?next=/stories/"+slug+"?react=like%23reactions" {
		t.Fatalf("a guest's like goes to %q", loc)
	}
	if g.cookies["doleances_react"] != "like:"+slug {
		t.Fatalf("no pending-reaction cookie: %v", g.cookies)
	}
	_, login := cs.get(g, "/login?next=/stories/"+slug+"?react=like%23reactions")
	wantIn(t, "the sign-in page", login, `name="next" value="/stories/`+slug+`?react=like#reactions"`)

	paul := cs.signIn(cs.readers[0])
	back := "/stories/" + slug + "?react=like"
	_, page := cs.get(paul, back)
	wantIn(t, "the story offered from a link", page, `<form class="pending-reaction" method="post" action="/stories/`+slug+`/like">`)
	paul.cookies["doleances_react"] = "like:" + slug
	_, page = cs.get(paul, back)
	wantIn(t, "the story after this browser's press", page, `action="/stories/`+slug+`/like" data-send="auto">`, `name="csrf"`)
	if _, ok := paul.cookies["doleances_react"]; ok && paul.cookies["doleances_react"] != "" {
		t.Error("the pending-reaction cookie is not cleared once used")
	}
	if _, page = cs.get(nil, back); strings.Contains(page, "pending-reaction") {
		t.Error("a guest's page offers a pending reaction")
	}
	res, body = cs.do(paul, http.MethodPost, "/stories/"+slug+"/like", url.Values{"on": {"1"}})
	wantCode(t, res, body, http.StatusSeeOther)
	if _, page = cs.get(paul, back); strings.Contains(page, "pending-reaction") || !strings.Contains(page, "You like this") {
		t.Error("after the like, the story still offers it (or does not show it done)")
	}
	res, _ = cs.do(g, http.MethodPost, "/stories/"+slug+"/metoo", url.Values{"on": {"0"}})
	if loc := res.Header.Get("Location"); loc != "/login?next=/stories/"+slug {
		t.Errorf("a guest's undo goes to %q", loc)
	}
}
