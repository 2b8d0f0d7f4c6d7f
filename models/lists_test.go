package models

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// A common category is read by scanning publication order, a rare one from
// its links; both give the same pages, the same feeds and the same related
// stories as a filter over every story would.
func TestListPlansAgree(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := newUser(t, s, "ann", RoleAuthor)
	common, rare := &Category{Name: "Common", Slug: "common"}, &Category{Name: "Rare", Slug: "rare"}
	for _, c := range []*Category{common, rare} {
		if err := s.CreateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	orange := &Company{Name: "Orange"}
	if err := s.CreateCompany(ctx, orange); err != nil {
		t.Fatal(err)
	}
	type row struct {
		title string
		when  time.Time
		cats  []uint
		tags  []string
		co    *uint
	}
	var all []row
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 45 {
		r := row{title: fmt.Sprintf("Story %02d", i), when: base.Add(time.Duration(i%30) * time.Hour), cats: []uint{common.ID}, tags: []string{"often"}}
		if i%20 == 3 {
			r.cats, r.tags = []uint{rare.ID}, append(r.tags, "seldom")
		}
		if i%9 == 0 {
			r.co = &orange.ID
		}
		in := StoryInput{Title: r.title, Body: "Body.", AuthorID: a.ID, Status: StatusPublished, PublishedAt: &r.when,
			CategoryIDs: r.cats, Tags: r.tags, CompanyID: r.co}
		if _, err := s.CreateStory(ctx, in); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	// Newest first; equal times (i and i+30) by id, the later one first.
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := all[y].when.Compare(all[x].when); c != 0 {
			return c
		}
		return y - x
	})
	want := func(keep func(row) bool, from, n int) []string {
		var out []string
		for _, i := range order {
			if keep(all[i]) {
				out = append(out, all[i].title)
			}
		}
		return out[min(from, len(out)):min(from+n, len(out))]
	}
	titles := func(sts []Story) []string {
		var out []string
		for _, st := range sts {
			out = append(out, st.Title)
		}
		return out
	}
	tagID := func(name string) uint {
		tg, err := s.TagBySlug(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return tg.ID
	}
	for _, tt := range []struct {
		name string
		f    StoryFilter
		kind string
		id   uint
		scan bool
		keep func(row) bool
	}{
		{"common category", StoryFilter{CategoryID: common.ID}, countCategory, common.ID, true, func(r row) bool { return slices.Contains(r.cats, common.ID) }},
		{"rare category", StoryFilter{CategoryID: rare.ID}, countCategory, rare.ID, false, func(r row) bool { return slices.Contains(r.cats, rare.ID) }},
		{"common tag", StoryFilter{TagID: tagID("often")}, countTag, tagID("often"), true, func(r row) bool { return slices.Contains(r.tags, "often") }},
		{"rare tag", StoryFilter{TagID: tagID("seldom")}, countTag, tagID("seldom"), false, func(r row) bool { return slices.Contains(r.tags, "seldom") }},
	} {
		if scan, err := s.scanLinks(ctx, tt.kind, []uint{tt.id}, PageSize); err != nil || scan != tt.scan {
			t.Fatalf("%s: scan %v, %v; the test wants %v", tt.name, scan, err, tt.scan)
		}
		for n := 1; n <= 3; n++ {
			p, err := s.PublishedStories(ctx, tt.f, n)
			if n > 1 && len(want(tt.keep, 0, 100)) <= (n-1)*PageSize {
				continue
			}
			if err != nil {
				t.Fatalf("%s page %d: %v", tt.name, n, err)
			}
			if got, w := titles(p.Stories), want(tt.keep, (n-1)*PageSize, PageSize); !slices.Equal(got, w) {
				t.Errorf("%s page %d: %v, want %v", tt.name, n, got, w)
			}
		}
		feed, err := s.RecentStories(ctx, tt.f, FeedSize)
		if err != nil {
			t.Fatal(err)
		}
		if got, w := titles(feed), want(tt.keep, 0, FeedSize); !slices.Equal(got, w) {
			t.Errorf("%s feed: %v, want %v", tt.name, got, w)
		}
	}

	// Related: those of the company first, then those of a category, newest first.
	for _, i := range []int{3, 18, 27} {
		st, err := s.PublishedStory(ctx, Slugify(all[i].title))
		if err != nil {
			t.Fatal(err)
		}
		rel, err := s.Related(ctx, st, 4)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range rel {
			got = append(got, l.Title)
		}
		me := all[i]
		sameCo := func(r row) bool { return r.title != me.title && me.co != nil && r.co != nil && *r.co == *me.co }
		w := want(sameCo, 0, 4)
		w = append(w, want(func(r row) bool {
			shares := slices.ContainsFunc(r.cats, func(c uint) bool { return slices.Contains(me.cats, c) })
			return shares && r.title != me.title && !sameCo(r)
		}, 0, 4-len(w))...)
		if !slices.Equal(got, w) {
			t.Errorf("related to %s: %v, want %v", me.title, got, w)
		}
	}
}
