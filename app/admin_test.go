package app

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"doleances/models"
)

// TestReviewQueue: a reader's story waits in review, out of sight, until an
// admin approves it; a story sent back carries the admin's note to its
// author's list.
func TestReviewQueue(t *testing.T) {
	ts := newSite(t)
	root := ts.signIn(ts.newUser("root", "Root", models.RoleAdmin))
	newbie := ts.signIn(ts.newUser("newbie", "Newbie", models.RoleReader))

	r, body := ts.get(newbie, "/write")
	wantIn(t, "a reader's editor", body, ">Submit for review</button>")
	r, body = ts.do(newbie, http.MethodPost, "/write", storyForm("My first story", "It went badly.", "publish"))
	wantCode(t, r, body, http.StatusSeeOther)
	m := editLinkRe.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil || m[2] != "review" {
		t.Fatalf("submit went to %q", r.Header.Get("Location"))
	}
	if _, front := ts.get(nil, "/"); strings.Contains(front, "My first story") {
		t.Error("a story in review is on the front page")
	}
	_, body = ts.get(newbie, "/me/stories")
	wantIn(t, "my stories in review", body, "In review", "My first story")

	if r, _ := ts.get(newbie, "/admin"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/admin for a reader: %d", r.StatusCode)
	}
	sts, _ := ts.store.StoriesOf(context.Background(), newbie.user.ID)
	id := strconv.Itoa(int(sts[0].ID))
	if r, _ := ts.do(newbie, http.MethodPost, "/admin/stories/"+id+"/approve", url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("a reader approving: %d", r.StatusCode)
	}

	r, body = ts.get(root, "/admin")
	wantCode(t, r, body, http.StatusOK)
	wantIn(t, "/admin", body, "My first story", "/admin/stories/"+id+"/approve")

	// Send back: a note is needed, then the author sees it.
	r, body = ts.do(root, http.MethodPost, "/admin/stories/"+id+"/send-back", url.Values{"note": {"  "}})
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	r, body = ts.do(root, http.MethodPost, "/admin/stories/"+id+"/send-back", url.Values{"note": {"Please name the shop."}})
	wantCode(t, r, body, http.StatusSeeOther)
	_, body = ts.get(newbie, "/me/stories")
	wantIn(t, "my stories after send-back", body, "Please name the shop.", "status-draft")

	// Submitted again, then approved.
	slug := m[1]
	r, body = ts.do(newbie, http.MethodPost, "/stories/"+slug+"/publish", url.Values{})
	wantCode(t, r, body, http.StatusSeeOther)
	r, body = ts.do(root, http.MethodPost, "/admin/stories/"+id+"/approve", url.Values{})
	wantCode(t, r, body, http.StatusSeeOther)
	if res, body := ts.get(nil, "/stories/my-first-story"); res.StatusCode != http.StatusOK || !strings.Contains(body, "It went badly.") {
		t.Errorf("approved story: %d", res.StatusCode)
	}
	if r, _ := ts.do(root, http.MethodPost, "/admin/stories/"+id+"/approve", url.Values{}); r.StatusCode != http.StatusConflict {
		t.Errorf("approving twice: %d", r.StatusCode)
	}
}

// TestAdminManagesUsersCategoriesCompanies: promote a user, create, edit
// and delete a category, merge two companies (the old address 301s).
func TestAdminManagesUsersCategoriesCompanies(t *testing.T) {
	ts := newSite(t)
	ctx := context.Background()
	root := ts.signIn(ts.newUser("root", "Root", models.RoleAdmin))
	newbie := ts.signIn(ts.newUser("newbie", "Newbie", models.RoleReader))
	uid := strconv.Itoa(int(newbie.user.ID))

	r, body := ts.do(root, http.MethodPost, "/admin/users/"+uid+"/role", url.Values{"role": {"author"}})
	wantCode(t, r, body, http.StatusSeeOther)
	if u, _ := ts.store.UserByID(ctx, newbie.user.ID); u.Role != models.RoleAuthor {
		t.Errorf("role after promotion: %s", u.Role)
	}
	_, body = ts.get(newbie, "/write")
	wantIn(t, "an author's editor", body, ">Publish</button>")
	r, body = ts.do(root, http.MethodPost, "/admin/users/"+uid+"/role", url.Values{"role": {"king"}})
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	rootID := strconv.Itoa(int(root.user.ID))
	r, body = ts.do(root, http.MethodPost, "/admin/users/"+rootID+"/role", url.Values{"role": {"reader"}})
	wantCode(t, r, body, http.StatusConflict)
	if r, _ := ts.do(newbie, http.MethodPost, "/admin/users/"+uid+"/role", url.Values{"role": {"admin"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("an author promoting themself: %d", r.StatusCode)
	}

	// Categories.
	r, body = ts.do(root, http.MethodPost, "/admin/categories", url.Values{"name": {""}, "description": {"Kept text"}})
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	wantIn(t, "empty category", body, "A category needs a name.", `>Kept text</textarea>`)
	r, body = ts.do(root, http.MethodPost, "/admin/categories", url.Values{"name": {"Banks"}, "position": {"3"}})
	wantCode(t, r, body, http.StatusSeeOther)
	cats, _ := ts.store.Categories(ctx)
	if len(cats) != 1 || cats[0].Slug != "banks" || cats[0].Position != 3 {
		t.Fatalf("categories: %+v", cats)
	}
	cid := strconv.Itoa(int(cats[0].ID))
	r, body = ts.do(root, http.MethodPost, "/admin/categories/"+cid, url.Values{"name": {"Banks & insurers"}, "slug": {"banks-insurers"}, "description": {"Money."}, "position": {"1"}})
	wantCode(t, r, body, http.StatusSeeOther)
	if res, body := ts.get(nil, "/category/banks-insurers"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Money.") {
		t.Errorf("edited category page: %d", res.StatusCode)
	}
	r, body = ts.do(root, http.MethodPost, "/admin/categories/"+cid, url.Values{"name": {"X"}, "slug": {"Not A Slug"}})
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	r, body = ts.do(root, http.MethodPost, "/admin/categories/"+cid+"/delete", url.Values{})
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	r, body = ts.do(root, http.MethodPost, "/admin/categories/"+cid+"/delete", url.Values{"confirm": {"yes"}})
	wantCode(t, r, body, http.StatusSeeOther)
	if res, _ := ts.get(nil, "/category/banks-insurers"); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted category: %d", res.StatusCode)
	}
	if r, _ := ts.do(newbie, http.MethodPost, "/admin/categories", url.Values{"name": {"Spam"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("a non-admin creating a category: %d", r.StatusCode)
	}

	// Companies: a story about "Orange France" moves to Orange.
	orange, _ := ts.store.FindOrCreateCompany(ctx, "Orange")
	other, _ := ts.store.FindOrCreateCompany(ctx, "Free Mobile")
	f := storyForm("Two bills", "Twice.", "publish")
	f.Set("company", "Free Mobile")
	r, body = ts.do(newbie, http.MethodPost, "/write", f)
	wantCode(t, r, body, http.StatusSeeOther)
	merge := url.Values{"from": {strconv.Itoa(int(other.ID))}, "into": {strconv.Itoa(int(orange.ID))}}
	r, body = ts.do(root, http.MethodPost, "/admin/companies/merge", merge)
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	merge.Set("confirm", "yes")
	r, body = ts.do(root, http.MethodPost, "/admin/companies/merge", merge)
	wantCode(t, r, body, http.StatusSeeOther)
	resp, _ := ts.get(nil, "/company/"+other.Slug)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/company/"+orange.Slug {
		t.Fatalf("merged company: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := ts.get(nil, "/company/"+orange.Slug); !strings.Contains(body, "Two bills") {
		t.Error("the story did not move to the company it was merged into")
	}
	r, body = ts.do(root, http.MethodPost, "/admin/companies/merge", merge)
	wantCode(t, r, body, http.StatusUnprocessableEntity)
	merge.Set("from", merge.Get("into"))
	r, body = ts.do(root, http.MethodPost, "/admin/companies/merge", merge)
	wantCode(t, r, body, http.StatusConflict)
}
