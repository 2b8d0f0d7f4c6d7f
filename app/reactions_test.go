package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"doleances/models"
)

func TestLikesAndMeTooWithAndWithoutScript(t *testing.T) {
	cs := newSite(t, withComments())
	page := "/stories/" + cs.story.Slug
	// A visitor is sent to sign in, and back, with the like offered.
	res, body := cs.do(nil, http.MethodPost, page+"/like", url.Values{"on": {"1"}})
	wantCode(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login?next="+page+"?react=like%23reactions" {
		t.Errorf("a visitor's like goes to %q", loc)
	}
	// The form, twice (a double click): one like, back to the reactions.
	paul := cs.signIn(cs.readers[0])
	for range 2 {
		res, body = cs.do(paul, http.MethodPost, page+"/like", url.Values{"on": {"1"}})
		wantCode(t, res, body, http.StatusSeeOther)
	}
	if loc := res.Header.Get("Location"); loc != page+"#reactions" {
		t.Errorf("a like goes back to %q", loc)
	}
	_, body = cs.get(nil, page)
	if !strings.Contains(body, "1 reader likes") || !strings.Contains(body, `title="Paul Martin"`) {
		t.Error("the story does not show one like with its reader")
	}
	_, body = cs.get(paul, page)
	if !strings.Contains(body, `aria-pressed="true"`) || !strings.Contains(body, "You like this") {
		t.Error("the liker's page does not show the like as theirs")
	}
	// The script: a fetch with the token in a header, answered in JSON.
	ines := cs.signIn(cs.readers[1])
	// The visitor is copied without its token, so that the header is what counts.
	react := func(v *visitor, kind, on string) map[string]any {
		t.Helper()
		req := url.Values{"on": {on}}
		res, body := cs.do(&visitor{cookies: v.cookies}, http.MethodPost, page+"/"+kind, req,
			"X-CSRF-Token", v.csrf, "Accept", "application/json")
		wantCode(t, res, body, http.StatusOK)
		var out map[string]any
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%s: %v: %s", kind, err, body)
		}
		return out
	}
	if r := react(ines, "like", "1"); r["on"] != true || r["count"] != 2.0 {
		t.Errorf("like by fetch: %v", r)
	}
	if r := react(ines, "metoo", "1"); r["on"] != true || r["count"] != 1.0 {
		t.Errorf("me too by fetch: %v", r)
	}
	if r := react(ines, "like", "0"); r["on"] != false || r["count"] != 1.0 {
		t.Errorf("unlike by fetch: %v", r)
	}
	if r := react(ines, "like", "0"); r["on"] != false || r["count"] != 1.0 {
		t.Errorf("unlike twice: %v", r)
	}
	// The words the script puts on the page come in the visitor's language.
	ines.cookies["doleances_lang"] = "fr"
	if r := react(ines, "metoo", "1"); r["label"] != "Ça vous est arrivé aussi" || r["count_text"] != "1 lecteur" {
		t.Errorf("me too by fetch, in French: %v", r)
	}
	// Without the token the fetch is refused.
	res, body = cs.do(&visitor{cookies: ines.cookies}, http.MethodPost, page+"/like", url.Values{"on": {"1"}}, "Accept", "application/json")
	wantCode(t, res, body, http.StatusForbidden)
	_, body = cs.get(nil, page)
	if !strings.Contains(body, "1 reader</span> had the same experience") {
		t.Error("the story does not show one me too")
	}
	// Concurrent double clicks still count one each.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := cs.do(&visitor{cookies: map[string]string{"doleances_session": paul.cookies["doleances_session"]}},
				http.MethodPost, page+"/metoo", url.Values{"on": {"1"}}, "X-CSRF-Token", paul.csrf, "Accept", "application/json")
			if res.StatusCode != http.StatusOK {
				t.Errorf("concurrent me too: %d", res.StatusCode)
			}
		}()
	}
	wg.Wait()
	r, err := cs.store.StoryReactions(context.Background(), cs.story.ID, 0)
	check(t, err)
	if r.Likes != 1 || r.MeToos != 2 {
		t.Errorf("counts after concurrent clicks: %+v", r)
	}
}

func TestEditWithinTheWindowAndDeleteWithReplies(t *testing.T) {
	cs := newSite(t, withComments())
	paul, ines := cs.signIn(cs.readers[0]), cs.signIn(cs.readers[1])
	cs.comment(paul, cs.story, "Premier jet")
	mine := cs.lastComment()
	edit := fmt.Sprintf("/comments/%d/edit", mine.ID)
	_, page := cs.get(paul, "/stories/"+cs.story.Slug)
	if !strings.Contains(page, `href="`+edit+`"`) {
		t.Error("the writer is not offered to edit")
	}
	if _, other := cs.get(ines, "/stories/"+cs.story.Slug); strings.Contains(other, edit) {
		t.Error("another reader is offered to edit")
	}
	res, body := cs.get(ines, edit)
	wantCode(t, res, body, http.StatusForbidden)
	res, body = cs.get(nil, edit)
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(paul, http.MethodPost, edit, url.Values{"body": {"  "}})
	wantCode(t, res, body, http.StatusUnprocessableEntity)
	res, body = cs.do(paul, http.MethodPost, edit, url.Values{"body": {"Version corrigée"}})
	wantCode(t, res, body, http.StatusSeeOther)
	if _, page := cs.get(nil, "/stories/"+cs.story.Slug); !strings.Contains(page, "Version corrigée") {
		t.Error("the edit is not shown")
	}
	cs.clock.add(models.EditWindow + time.Minute)
	res, body = cs.do(paul, http.MethodPost, edit, url.Values{"body": {"Trop tard pour ça"}})
	wantCode(t, res, body, http.StatusConflict)
	if !strings.Contains(body, "15 minutes") || !strings.Contains(body, "Trop tard pour ça") {
		t.Error("an edit after the window: no message or lost text")
	}
	// A reply, then the delete: confirmation needed, then a placeholder.
	cs.comment(ines, cs.story, "Une réponse", "parent", fmt.Sprint(mine.ID))
	del := fmt.Sprintf("/comments/%d/delete", mine.ID)
	res, body = cs.do(ines, http.MethodPost, del, url.Values{"confirm": {"yes"}})
	wantCode(t, res, body, http.StatusForbidden)
	res, body = cs.do(paul, http.MethodPost, del, url.Values{})
	wantCode(t, res, body, http.StatusUnprocessableEntity)
	res, body = cs.do(paul, http.MethodPost, del, url.Values{"confirm": {"yes"}})
	wantCode(t, res, body, http.StatusSeeOther)
	_, page = cs.get(nil, "/stories/"+cs.story.Slug)
	if !strings.Contains(page, "Comment deleted") || strings.Contains(page, "Version corrigée") || !strings.Contains(page, "Une réponse") {
		t.Error("a deleted comment with a reply does not leave its placeholder")
	}
	for _, feed := range []string{"/comments/feed", "/stories/" + cs.story.Slug + "/feed"} {
		if _, b := cs.get(nil, feed); strings.Count(b, "<item>") != 1 {
			t.Errorf("%s lists the deleted comment", feed)
		}
	}
}

func TestModerationQueueAndReports(t *testing.T) {
	cs := newSite(t, withComments())
	for i := range 23 {
		cs.comment(guest(), cs.story, fmt.Sprintf("Guest comment %d", i), "name", "G", "email", fmt.Sprintf("g%d@example.org", i))
	}
	cs.comment(guest(), cs.other, "On the admin's story", "name", "H", "email", "h@example.org")
	author, admin, paul := cs.signIn(cs.author), cs.signIn(cs.admin), cs.signIn(cs.readers[0])
	res, body := cs.get(paul, "/admin/comments")
	wantCode(t, res, body, http.StatusForbidden)
	res, body = cs.get(nil, "/admin/comments")
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.get(author, "/admin/comments")
	wantCode(t, res, body, http.StatusOK)
	if !strings.Contains(body, `Pending <span class="count">23</span>`) || strings.Contains(body, "On the admin") {
		t.Error("the author's queue is not their stories' 23 pending comments")
	}
	if !strings.Contains(body, "/admin/comments?status=pending&amp;page=2") {
		t.Error("no second page")
	}
	_, body = cs.get(admin, "/admin/comments")
	if !strings.Contains(body, `Pending <span class="count">24</span>`) {
		t.Error("the admin does not see every pending comment")
	}
	// The author may not moderate the admin's story; bulk approve of their own.
	q, err := cs.store.ModerationQueue(context.Background(), cs.author.ID, "", 1)
	check(t, err)
	form := url.Values{"action": {"approve"}, "status": {"pending"}}
	for _, c := range q.Comments[:3] {
		form.Add("ids", fmt.Sprint(c.ID))
	}
	res, body = cs.do(author, http.MethodPost, "/admin/comments", form)
	wantCode(t, res, body, http.StatusSeeOther)
	_, body = cs.get(author, res.Header.Get("Location"))
	if !strings.Contains(body, "3 comments changed") || !strings.Contains(body, `Approved <span class="count">3</span>`) {
		t.Error("bulk approve did not approve three")
	}
	one := q.Comments[3].ID
	res, body = cs.do(author, http.MethodPost, "/admin/comments", url.Values{"one": {fmt.Sprintf("spam:%d", one)}, "status": {"pending"}})
	wantCode(t, res, body, http.StatusSeeOther)
	_, body = cs.get(author, "/admin/comments?status=spam")
	if !strings.Contains(body, `Spam <span class="count">1</span>`) || !strings.Contains(body, fmt.Sprintf(`id="mod-%d"`, one)) {
		t.Error("one comment marked as spam is not in the spam tab")
	}
	adminStory := cs.lastComment().ID
	res, body = cs.do(author, http.MethodPost, "/admin/comments", url.Values{"ids": {fmt.Sprint(adminStory)}, "action": {"approve"}})
	wantCode(t, res, body, http.StatusForbidden)
	// Reports: a reader reports a comment and a story; the admin resolves.
	approved := q.Comments[0].ID
	res, body = cs.do(paul, http.MethodPost, fmt.Sprintf("/comments/%d/report", approved), url.Values{"reason": {"abuse"}, "slug": {cs.story.Slug}})
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/report", url.Values{"reason": {"private"}})
	wantCode(t, res, body, http.StatusSeeOther)
	res, body = cs.do(paul, http.MethodPost, "/stories/"+cs.story.Slug+"/report", url.Values{"reason": {"boring"}})
	wantCode(t, res, body, http.StatusUnprocessableEntity)
	res, body = cs.get(author, "/admin/reports")
	wantCode(t, res, body, http.StatusForbidden)
	_, body = cs.get(admin, "/admin/reports")
	if strings.Count(body, "/resolve") != 2 || !strings.Contains(body, "private information") || !strings.Contains(body, "abuse") {
		t.Fatalf("the admin does not see the two reports")
	}
	rs, err := cs.store.OpenReports(context.Background(), cs.admin.ID)
	check(t, err)
	res, body = cs.do(admin, http.MethodPost, fmt.Sprintf("/admin/reports/%d/resolve", rs[0].ID), url.Values{})
	wantCode(t, res, body, http.StatusSeeOther)
	if _, body = cs.get(admin, "/admin/reports"); strings.Count(body, "/resolve") != 1 {
		t.Error("a resolved report is still open")
	}
}

func TestCompanyPageRanksByMeToo(t *testing.T) {
	ts := newSite(t, withStories())
	_, err := ts.store.SetMeToo(context.Background(), ts.stories["box"].ID, ts.author.ID, true)
	check(t, err)
	order := func(path string) (int, int, string) {
		_, body := ts.get(nil, path)
		return strings.Index(body, "/stories/"+ts.stories["box"].Slug), strings.Index(body, "/stories/"+ts.stories["fibre"].Slug), body
	}
	if box, fibre, _ := order("/company/orange"); box < fibre {
		t.Error("the default order is not the latest first")
	}
	box, fibre, body := order("/company/orange?sort=metoo")
	if box > fibre || box < 0 {
		t.Error("?sort=metoo does not put the story with a me too first")
	}
	if !strings.Contains(body, `<link rel="canonical" href="`+testBase+`/company/orange?sort=metoo">`) {
		t.Error("the sorted page is not its own canonical address")
	}
	if _, _, body := order("/company/orange?sort=%27+OR+1%3D1"); !strings.Contains(body, "<strong>latest first</strong>") {
		t.Error("an unknown sort is not the default order")
	}
}

// TestKeptReactionsMoveWithLikes: signed-in pages keep a story's counts and
// likers between writes, yet a like shows on the next view, and "You like
// this" only on the liker's.
func TestKeptReactionsMoveWithLikes(t *testing.T) {
	cs := newSite(t, withComments())
	paul, ines := cs.signIn(cs.readers[0]), cs.signIn(cs.readers[1])
	page := "/stories/" + cs.story.Slug
	if _, body := cs.get(paul, page); !strings.Contains(body, "0 readers like") {
		t.Fatal("a story without likes does not say so")
	}
	res, body := cs.do(ines, http.MethodPost, page+"/like", url.Values{"on": {"1"}})
	wantCode(t, res, body, http.StatusSeeOther)
	_, body = cs.get(paul, page)
	if !strings.Contains(body, "1 reader likes") || !strings.Contains(body, `title="`+cs.readers[1].Name+`"`) || strings.Contains(body, "You like this") {
		t.Error("paul's page after ines's like: want one like, hers, not his")
	}
	if _, body = cs.get(ines, page); !strings.Contains(body, "You like this") {
		t.Error("ines's page does not show her like as hers")
	}
}
