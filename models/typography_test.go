package models

import (
	"strings"
	"testing"
)

// TestTypography: stories and comments get curly quotes and apostrophes,
// dashes and ellipses as characters, and French quotes hold to their words
// with no-break spaces; code keeps its straight quotes.
func TestTypography(t *testing.T) {
	src := "J'ai dit \"non\" -- puis... « rien »\n\n`l'objet \"brut\"`"
	story, err := RenderStory(src)
	if err != nil {
		t.Fatal(err)
	}
	comment, err := RenderComment(src)
	if err != nil {
		t.Fatal(err)
	}
	for what, html := range map[string]string{"story": story.HTML, "comment": comment} {
		for _, want := range []string{"J’ai dit “non” – puis… «\u00a0rien\u00a0»", `<code>l'objet &quot;brut&quot;</code>`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: %q lacks %q", what, html, want)
			}
		}
	}
	if !strings.Contains(story.Text, "J’ai dit “non”") || strings.Contains(story.Text, "&rsquo;") || !strings.Contains(story.Excerpt, "J’ai") {
		t.Errorf("the search text or excerpt: %q / %q", story.Text, story.Excerpt)
	}
	if got := typeset([]byte("«  mot\tet  »")); string(got) != "«\u00a0mot\tet\u00a0»" {
		t.Errorf("typeset: %q", got)
	}
}
