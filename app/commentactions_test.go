package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// commentActions returns the actions block of comment id in page.
func commentActions(t *testing.T, page string, id uint) string {
	t.Helper()
	re := regexp.MustCompile(fmt.Sprintf(`(?s)id="comment-%d">.*?</article>`, id))
	m := re.FindString(page)
	if m == "" {
		t.Fatalf("comment %d is not on the page", id)
	}
	return m
}

// TestCommentActionsAreEachViewers: the actions under comments are kept
// between writes for all viewers of a kind, yet each reader gets their own
// CSRF token in every report form, Edit and Delete on their own comments
// only, and visitors no report form.
func TestCommentActionsAreEachViewers(t *testing.T) {
	cs := newSite(t, withComments())
	paul, ines := cs.signIn(cs.readers[0]), cs.signIn(cs.readers[1])
	cs.comment(paul, cs.story, "Le mien")
	pauls := cs.lastComment().ID
	cs.comment(ines, cs.story, "Le sien")
	ines1 := cs.lastComment().ID
	page := "/stories/" + cs.story.Slug
	report := func(id uint) string { return fmt.Sprintf(`action="/comments/%d/report"`, id) }
	edit := func(id uint) string { return fmt.Sprintf(`href="/comments/%d/edit"`, id) }
	for range 2 { // the second views come from what was kept
		_, p := cs.get(paul, page)
		mine, theirs := commentActions(t, p, pauls), commentActions(t, p, ines1)
		if !strings.Contains(mine, edit(pauls)) || !strings.Contains(mine, "edit#delete") || strings.Contains(mine, report(pauls)) {
			t.Errorf("paul's own comment: want Edit and Delete, no report form:\n%s", mine)
		}
		if !strings.Contains(theirs, report(ines1)) || !strings.Contains(theirs, `name="csrf" value="`+paul.csrf+`"`) ||
			strings.Contains(theirs, edit(ines1)) || strings.Contains(p, ines.csrf) {
			t.Errorf("ines's comment seen by paul: want a report form with paul's token only:\n%s", theirs)
		}
		_, p = cs.get(ines, page)
		if theirs = commentActions(t, p, pauls); !strings.Contains(theirs, `name="csrf" value="`+ines.csrf+`"`) || strings.Contains(p, paul.csrf) {
			t.Errorf("paul's comment seen by ines: want ines's token only:\n%s", theirs)
		}
		_, p = cs.get(nil, page)
		if a := commentActions(t, p, pauls); strings.Contains(a, "/report") || strings.Contains(a, "csrf") || !strings.Contains(a, "?replyto=") {
			t.Errorf("a visitor: want Reply and no report form:\n%s", a)
		}
	}
	// Past the window the writer may still delete, no longer edit.
	cs.clock.add(models.EditWindow + time.Minute)
	_, p := cs.get(paul, page)
	if mine := commentActions(t, p, pauls); strings.Contains(mine, edit(pauls)) || !strings.Contains(mine, "edit#delete") {
		t.Errorf("paul's comment past the window: want Delete only:\n%s", mine)
	}
}

// TestKeptStoryPartsMoveWithWrites: the story's head and text are kept
// between writes for signed-in views, yet the author's new name is on the
// next view.
func TestKeptStoryPartsMoveWithWrites(t *testing.T) {
	cs := newSite(t, withComments())
	paul := cs.signIn(cs.readers[0])
	page := "/stories/" + cs.story.Slug
	if _, body := cs.get(paul, page); !strings.Contains(body, ">"+cs.author.Name+"</a>") {
		t.Fatalf("the story page does not name its author %q", cs.author.Name)
	}
	check(t, cs.store.UpdateProfile(context.Background(), cs.author.ID, "Renamed Author", cs.author.Handle))
	if _, body := cs.get(paul, page); !strings.Contains(body, ">Renamed Author</a>") {
		t.Error("the signed-in story page still shows the author's old name")
	}
}
