package app

import (
	"net/http"
	"regexp"
	"testing"

	"doleances/models"
	"doleances/models/media/mediatest"
)

// TestEditorTakesPicturesWithoutJavaScript sends the editor's multipart form
// as a browser without JavaScript does: an uploaded picture comes back with
// its Markdown to paste and the text as typed; a refused one is a message
// in its field, the text kept; a cover is shown on the story, its card, its
// link previews and its feed items.
func TestEditorTakesPicturesWithoutJavaScript(t *testing.T) {
	ts := newSite(t, withBase(plainBase))
	w := ts.writerAs("alice", models.RoleAuthor)
	typed := "The box died on **Monday**; I typed all this before choosing a picture."
	f := storyForm("Livebox down", typed, "upload")
	f.Set("picture_alt", "The Livebox, all lights off")
	r := w.postFiles(t, "/write", f, file{"picture", "box.jpg", photo()})
	wantStatus(t, "upload from the editor", r, http.StatusOK)
	m := regexp.MustCompile(`value="(!\[The Livebox, all lights off\]\((/media/[0-9a-f]{32}/1600x1067\.jpg)\))"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no Markdown to paste on the page:\n%.3000s", r.Body)
	}
	wantIn(t, "the editor after an upload", r.Body, "**Monday**; I typed all this", `name="uploads" value="`+m[2]+`"`, "copy its Markdown")

	// A refused picture and a 50 MB one: the text stays, the upload list too.
	f.Set("body", typed+"\n\n"+m[1])
	f.Add("uploads", m[2])
	f.Add("uploads_alt", "The Livebox, all lights off")
	for _, c := range []struct {
		name   string
		data   []byte
		status int
		msg    string
	}{
		{"notes.jpg", []byte("not a picture"), http.StatusUnsupportedMediaType, "SVG is not accepted"},
		{"huge.png", mediatest.HugePNG(30000, 30000), http.StatusUnprocessableEntity, "40 megapixels"},
		{"fifty.jpg", make([]byte, 50<<20), http.StatusUnprocessableEntity, "10 MB"},
	} {
		r = w.postFiles(t, "/write", f, file{"picture", c.name, c.data})
		wantStatus(t, "editor with "+c.name, r, c.status)
		wantIn(t, "editor with "+c.name, r.Body, c.msg, "**Monday**; I typed all this", `name="uploads" value="`+m[2]+`"`, `value="Livebox down"`)
	}

	// Publishing with a picture without a description: 422, text kept.
	f.Set("action", "publish")
	f.Set("body", typed+"\n\n![]("+m[2]+")")
	r = w.postFiles(t, "/write", f)
	wantStatus(t, "publish without alt", r, http.StatusUnprocessableEntity)
	wantIn(t, "publish without alt", r.Body, "has no description", "**Monday**; I typed all this")

	// The same through the publish button of a saved draft.
	f.Set("action", "draft")
	r = w.postFiles(t, "/write", f)
	wantStatus(t, "a draft without alt", r, http.StatusSeeOther)
	slug := editLinkRe.FindStringSubmatch(r.Location)[1]
	r = w.post(t, "/stories/"+slug+"/publish", nil)
	wantStatus(t, "publish a draft without alt", r, http.StatusUnprocessableEntity)
	wantIn(t, "publish a draft without alt", r.Body, "has no description")
	f.Set("action", "publish")

	// A cover without a description is refused the same way; with one, the story is published.
	f.Set("body", typed+"\n\n"+m[1])
	r = w.postFiles(t, "/write", f, file{"cover_file", "cover.png", mediatest.PNG(mediatest.Halves(1200, 630))})
	wantStatus(t, "publish a cover without alt", r, http.StatusUnprocessableEntity)
	wantIn(t, "publish a cover without alt", r.Body, "Describe the cover picture", `name="cover" value="/media/`)
	cover := regexp.MustCompile(`name="cover" value="(/media/[^"]+)"`).FindStringSubmatch(r.Body)[1]
	f.Set("cover", cover)
	f.Set("cover_alt", "The operator's shop, closed")
	r = w.postFiles(t, "/write", f)
	wantStatus(t, "publish with a cover", r, http.StatusSeeOther)
	story := ts.anonymous().get(t, r.Location)
	wantIn(t, "story with a cover", story.Body, `<figure class="cover"><img src="`+cover+`"`, `alt="The operator&#39;s shop, closed"`,
		`<meta property="og:image" content="http://doleances.test`+cover+`">`, `<meta name="twitter:image" content="http://doleances.test`+cover+`">`)
	wantIn(t, "front page", ts.anonymous().get(t, "/").Body, `class="card-cover"`, `src="`+cover+`"`)
	rss := ts.anonymous().get(t, "/feed").Body
	wantIn(t, "RSS", rss, `<enclosure url="http://doleances.test`+cover+`" length="0" type="image/jpeg">`,
		`<media:content url="http://doleances.test`+cover+`" medium="image" type="image/jpeg" width="1200" height="630">`,
		`srcset="http://doleances.test/media/`)
	wantIn(t, "Atom", ts.anonymous().get(t, "/feed/atom").Body, `rel="enclosure" type="image/jpeg"`)
}
