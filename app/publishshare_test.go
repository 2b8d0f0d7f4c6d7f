package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"doleances/models"
)

// publishedSlug is the slug of the story a publish redirected to
// ("/stories/{slug}?published=1").
func publishedSlug(location string) string {
	slug, _, _ := strings.Cut(strings.TrimPrefix(location, "/stories/"), "?")
	return slug
}

// TestPublishConfirmation: publishing sends the author to the story with a
// confirmation holding its address and plain share links; a visitor or
// another reader opening the same address sees none of it, and the story
// shows its reading time.
func TestPublishConfirmation(t *testing.T) {
	s := newSite(t, withStories())
	w := s.signIn(s.author)
	f := storyForm("The parcel in Lyon", strings.Repeat("word ", 500), "publish")
	f.Set("categories", "1")
	r, body := s.do(w, http.MethodPost, "/write", f)
	wantCode(t, r, body, http.StatusSeeOther)
	to := r.Header.Get("Location")
	if to != "/stories/the-parcel-in-lyon?published=1" {
		t.Fatalf("publishing went to %q", to)
	}
	_, body = s.get(w, to)
	addr := s.URL + "/stories/the-parcel-in-lyon"
	wantIn(t, "the confirmation", body, "Your story is published", `id="share-url" readonly value="`+addr+`"`,
		`href="mailto:?subject=The%20parcel%20in%20Lyon&amp;body=The%20parcel%20in%20Lyon%0A%0A`+url.QueryEscape(addr)+`"`,
		`href="https://x.com/intent/post?text=The%20parcel%20in%20Lyon&amp;url=`+url.QueryEscape(addr)+`"`,
		`href="https://www.facebook.com/sharer/sharer.php?u=`+url.QueryEscape(addr)+`"`,
		`action="/stories/the-parcel-in-lyon/share/mastodon"`, `<p class="meta reading-time">3 min read</p>`)
	for who, v := range map[string]*visitor{"a visitor": nil, "another reader": s.signIn(s.newUser("paul", "Paul", models.RoleReader))} {
		r, body := s.get(v, to)
		wantCode(t, r, body, http.StatusOK)
		if strings.Contains(body, "Your story is published") || strings.Contains(body, "share-url") {
			t.Errorf("%s sees the author's confirmation", who)
		}
		wantIn(t, who, body, "3 min read")
	}
	// Saving changes later is not publishing again.
	st, err := s.store.PublishedStory(context.Background(), "the-parcel-in-lyon")
	check(t, err)
	f = storyForm(st.Title, "A short text now.", "save")
	f.Set("categories", "1")
	r, body = s.do(w, http.MethodPost, "/stories/"+st.Slug+"/edit", f)
	wantCode(t, r, body, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); strings.Contains(loc, "published") {
		t.Errorf("saving changes went to %q", loc)
	}
	if _, body = s.get(nil, "/stories/"+st.Slug); !strings.Contains(body, "1 min read") {
		t.Error("the reading time did not follow the edit")
	}
}

// TestShareOnMastodon: the form sends to the reader's own server's share
// page with the story's title and address; a server name that is not one
// gets a 400 and a sentence, and only published stories are shared.
func TestShareOnMastodon(t *testing.T) {
	s := newSite(t, withStories())
	st := s.stories["box"]
	for _, in := range []string{"mastodon.social", "https://Mastodon.Social/", "@ada@mastodon.social"} {
		r, _ := s.get(nil, "/stories/"+st.Slug+"/share/mastodon?instance="+url.QueryEscape(in))
		want := "https://mastodon.social/share?" + url.Values{"text": {st.Title + " " + s.URL + "/stories/" + st.Slug}}.Encode()
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("%q: %d to %q, want %q", in, r.StatusCode, r.Header.Get("Location"), want)
		}
	}
	for _, bad := range []string{"", "localhost", "evil.example/x?y", "a b.org", "javascript:alert(1)"} {
		r, body := s.get(nil, "/stories/"+st.Slug+"/share/mastodon?instance="+url.QueryEscape(bad))
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Mastodon server") {
			t.Errorf("%q: %d %q", bad, r.StatusCode, body)
		}
	}
	if r, _ := s.get(nil, "/stories/"+s.stories["draft"].Slug+"/share/mastodon?instance=mastodon.social"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a draft's share link: %d", r.StatusCode)
	}
}
