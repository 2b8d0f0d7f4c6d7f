package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// BenchmarkStoryEditScorecard measures an author's edit of a story's text
// (categories and tags unchanged) when its company has 3,000 published
// stories in two categories: what the edit costs the scorecard triggers.
func BenchmarkStoryEditScorecard(b *testing.B) {
	s, _ := newTestStore(b)
	ctx := context.Background()
	a := &User{Handle: "ann", Name: "Ann", Role: RoleAuthor}
	if err := s.CreateUser(ctx, a); err != nil {
		b.Fatal(err)
	}
	co := &Company{Name: "Orange"}
	if err := s.CreateCompany(ctx, co); err != nil {
		b.Fatal(err)
	}
	cats := []uint{}
	for _, n := range []string{"Telecom", "Banks"} {
		c := &Category{Name: n}
		if err := s.CreateCategory(ctx, c); err != nil {
			b.Fatal(err)
		}
		cats = append(cats, c.ID)
	}
	var st *Story
	for i := range 3000 {
		var err error
		st, err = s.CreateStory(ctx, StoryInput{Title: fmt.Sprintf("Story %d", i), Body: "Text.", AuthorID: a.ID, CompanyID: &co.ID,
			CategoryIDs: cats, Tags: []string{"box", "fibre"}, Status: StatusPublished})
		if err != nil {
			b.Fatal(err)
		}
	}
	in := StoryInput{Title: st.Title, CompanyID: &co.ID, CategoryIDs: cats, Tags: []string{"box", "fibre"}, Resolution: ResolutionOpen}
	i := 0
	for b.Loop() {
		i++
		in.Body = fmt.Sprintf("Text, edited %d times.", i)
		if _, err := s.UpdateStory(ctx, st.ID, a.ID, in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEditKeepsUnchangedJoins: an edit that keeps a story's categories and
// tags writes none of their rows (each write fires the scorecard and count
// triggers), and one that changes them writes only the difference.
func TestEditKeepsUnchangedJoins(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := newUser(t, s, "ann", RoleAuthor)
	var cats []uint
	for _, n := range []string{"Telecom", "Banks", "Energy"} {
		c := &Category{Name: n}
		must(t, s.CreateCategory(ctx, c))
		cats = append(cats, c.ID)
	}
	st, err := s.CreateStory(ctx, StoryInput{Title: "T", Body: "Text.", AuthorID: a.ID, CategoryIDs: cats[:2], Tags: []string{"box"}, Status: StatusPublished})
	must(t, err)
	rows := func() string {
		var rs []string
		// A row written again gets a new rowid on SQLite, a new xmin (the
		// transaction that wrote it) on PostgreSQL.
		rowid := "rowid"
		if s.d == postgresDialect {
			rowid = "xmin::text"
		}
		must(t, s.r.Raw(`SELECT 'c' || category_id || '@' || `+rowid+` FROM story_categories WHERE story_id = ?
			UNION ALL SELECT 't' || tag_id || '@' || `+rowid+` FROM story_tags WHERE story_id = ? ORDER BY 1`, st.ID, st.ID).Scan(&rs).Error)
		return fmt.Sprint(rs)
	}
	before := rows()
	in := StoryInput{Title: "T", Body: "Text, edited.", CategoryIDs: cats[:2], Tags: []string{"box"}, Resolution: ResolutionOpen}
	_, err = s.UpdateStory(ctx, st.ID, a.ID, in)
	must(t, err)
	if after := rows(); after != before {
		t.Errorf("an edit that kept the categories and tags rewrote them: %s, then %s", before, after)
	}
	in.Body, in.CategoryIDs = "Again.", []uint{cats[1], cats[2]}
	got, err := s.UpdateStory(ctx, st.ID, a.ID, in)
	must(t, err)
	var ids []uint
	for _, c := range got.Categories {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	if fmt.Sprint(ids) != fmt.Sprint(cats[1:]) || !strings.Contains(rows(), fmt.Sprintf("c%d@", cats[1])) {
		t.Errorf("after changing the categories: %v, rows %s", ids, rows())
	}
	for _, part := range strings.Fields(strings.Trim(before, "[]")) {
		if strings.HasPrefix(part, fmt.Sprintf("c%d@", cats[1])) && !strings.Contains(rows(), part) {
			t.Errorf("the kept category's row was rewritten: %s, then %s", before, rows())
		}
	}
}
