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
	ts := newTestSite(t, false)
	root := ts.signIn(t, "root", models.RoleAdmin)
	newbie := ts.signIn(t, "newbie", models.RoleReader)

	r := newbie.get(t, "/write")
	wantIn(t, "a reader's editor", r.Body, ">Submit for review</button>")
	r = newbie.post(t, "/write", storyForm("My first story", "It went badly.", "publish"))
	wantStatus(t, "submit", r, http.StatusSeeOther)
	m := editLinkRe.FindStringSubmatch(r.Location)
	if m == nil || m[2] != "review" {
		t.Fatalf("submit went to %q", r.Location)
	}
	if _, front, _ := ts.get(t, "/"); strings.Contains(front, "My first story") {
		t.Error("a story in review is on the front page")
	}
	wantIn(t, "my stories in review", newbie.get(t, "/me/stories").Body, "In review", "My first story")

	if r := newbie.get(t, "/admin"); r.Status != http.StatusNotFound {
		t.Errorf("/admin for a reader: %d", r.Status)
	}
	sts, _ := ts.store.StoriesOf(context.Background(), newbie.user.ID)
	id := strconv.Itoa(int(sts[0].ID))
	if r := newbie.post(t, "/admin/stories/"+id+"/approve", nil); r.Status != http.StatusNotFound {
		t.Errorf("a reader approving: %d", r.Status)
	}

	r = root.get(t, "/admin")
	wantStatus(t, "/admin", r, http.StatusOK)
	wantIn(t, "/admin", r.Body, "My first story", "/admin/stories/"+id+"/approve")

	// Send back: a note is needed, then the author sees it.
	r = root.post(t, "/admin/stories/"+id+"/send-back", url.Values{"note": {"  "}})
	wantStatus(t, "empty note", r, http.StatusUnprocessableEntity)
	r = root.post(t, "/admin/stories/"+id+"/send-back", url.Values{"note": {"Please name the shop."}})
	wantStatus(t, "send back", r, http.StatusSeeOther)
	wantIn(t, "my stories after send-back", newbie.get(t, "/me/stories").Body, "Please name the shop.", "status-draft")

	// Submitted again, then approved.
	slug := m[1]
	wantStatus(t, "resubmit", newbie.post(t, "/stories/"+slug+"/publish", nil), http.StatusSeeOther)
	wantStatus(t, "approve", root.post(t, "/admin/stories/"+id+"/approve", nil), http.StatusSeeOther)
	if s, body, _ := ts.get(t, "/stories/my-first-story"); s != http.StatusOK || !strings.Contains(body, "It went badly.") {
		t.Errorf("approved story: %d", s)
	}
	if r := root.post(t, "/admin/stories/"+id+"/approve", nil); r.Status != http.StatusConflict {
		t.Errorf("approving twice: %d", r.Status)
	}
}

// TestAdminManagesUsersCategoriesCompanies: promote a user, create, edit
// and delete a category, merge two companies (the old address 301s).
func TestAdminManagesUsersCategoriesCompanies(t *testing.T) {
	ts := newTestSite(t, false)
	ctx := context.Background()
	root := ts.signIn(t, "root", models.RoleAdmin)
	newbie := ts.signIn(t, "newbie", models.RoleReader)
	uid := strconv.Itoa(int(newbie.user.ID))

	wantStatus(t, "promote", root.post(t, "/admin/users/"+uid+"/role", url.Values{"role": {"author"}}), http.StatusSeeOther)
	if u, _ := ts.store.UserByID(ctx, newbie.user.ID); u.Role != models.RoleAuthor {
		t.Errorf("role after promotion: %s", u.Role)
	}
	wantIn(t, "an author's editor", newbie.get(t, "/write").Body, ">Publish</button>")
	wantStatus(t, "bad role", root.post(t, "/admin/users/"+uid+"/role", url.Values{"role": {"king"}}), http.StatusUnprocessableEntity)
	rootID := strconv.Itoa(int(root.user.ID))
	wantStatus(t, "last admin", root.post(t, "/admin/users/"+rootID+"/role", url.Values{"role": {"reader"}}), http.StatusConflict)
	if r := newbie.post(t, "/admin/users/"+uid+"/role", url.Values{"role": {"admin"}}); r.Status != http.StatusNotFound {
		t.Errorf("an author promoting themself: %d", r.Status)
	}

	// Categories.
	r := root.post(t, "/admin/categories", url.Values{"name": {""}, "description": {"Kept text"}})
	wantStatus(t, "empty category", r, http.StatusUnprocessableEntity)
	wantIn(t, "empty category", r.Body, "A category needs a name.", `value="Kept text"`)
	wantStatus(t, "create category", root.post(t, "/admin/categories", url.Values{"name": {"Banks"}, "position": {"3"}}), http.StatusSeeOther)
	cats, _ := ts.store.Categories(ctx)
	if len(cats) != 1 || cats[0].Slug != "banks" || cats[0].Position != 3 {
		t.Fatalf("categories: %+v", cats)
	}
	cid := strconv.Itoa(int(cats[0].ID))
	r = root.post(t, "/admin/categories/"+cid, url.Values{"name": {"Banks & insurers"}, "slug": {"banks-insurers"}, "description": {"Money."}, "position": {"1"}})
	wantStatus(t, "edit category", r, http.StatusSeeOther)
	if s, body, _ := ts.get(t, "/category/banks-insurers"); s != http.StatusOK || !strings.Contains(body, "Money.") {
		t.Errorf("edited category page: %d", s)
	}
	wantStatus(t, "bad slug", root.post(t, "/admin/categories/"+cid, url.Values{"name": {"X"}, "slug": {"Not A Slug"}}), http.StatusUnprocessableEntity)
	wantStatus(t, "delete unconfirmed", root.post(t, "/admin/categories/"+cid+"/delete", nil), http.StatusUnprocessableEntity)
	wantStatus(t, "delete category", root.post(t, "/admin/categories/"+cid+"/delete", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	if s, _, _ := ts.get(t, "/category/banks-insurers"); s != http.StatusNotFound {
		t.Errorf("deleted category: %d", s)
	}
	if r := newbie.post(t, "/admin/categories", url.Values{"name": {"Spam"}}); r.Status != http.StatusNotFound {
		t.Errorf("a non-admin creating a category: %d", r.Status)
	}

	// Companies: a story about "Orange France" moves to Orange.
	orange, _ := ts.store.FindOrCreateCompany(ctx, "Orange")
	other, _ := ts.store.FindOrCreateCompany(ctx, "Free Mobile")
	f := storyForm("Two bills", "Twice.", "publish")
	f.Set("company", "Free Mobile")
	wantStatus(t, "publish", newbie.post(t, "/write", f), http.StatusSeeOther)
	merge := url.Values{"from": {strconv.Itoa(int(other.ID))}, "into": {strconv.Itoa(int(orange.ID))}}
	wantStatus(t, "merge unconfirmed", root.post(t, "/admin/companies/merge", merge), http.StatusUnprocessableEntity)
	merge.Set("confirm", "yes")
	wantStatus(t, "merge", root.post(t, "/admin/companies/merge", merge), http.StatusSeeOther)
	resp, err := ts.srv.web.app.Test(newGet("/company/"+other.Slug), -1)
	if err != nil || resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/company/"+orange.Slug {
		t.Fatalf("merged company: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body, _ := ts.get(t, "/company/"+orange.Slug); !strings.Contains(body, "Two bills") {
		t.Error("the story did not move to the company it was merged into")
	}
	wantStatus(t, "merge a gone company", root.post(t, "/admin/companies/merge", merge), http.StatusUnprocessableEntity)
	merge.Set("from", merge.Get("into"))
	wantStatus(t, "merge into itself", root.post(t, "/admin/companies/merge", merge), http.StatusConflict)
}
