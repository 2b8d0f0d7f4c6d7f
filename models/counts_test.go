package models

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"testing"
	"time"
)

// countsSite is a small site for the counter tests: two authors, two
// categories, two companies, published stories across three months and
// one draft.
type countsSite struct {
	s                   *Store
	admin, ann, bob     *User
	telecom, bank       *Category
	orange, free        *Company
	first, second, ann3 *Story
	draft               *Story
}

func newCountsSite(t *testing.T, s *Store) *countsSite {
	t.Helper()
	ctx := context.Background()
	x := &countsSite{s: s, admin: newUser(t, s, "admin", RoleAdmin), ann: newUser(t, s, "ann", RoleAuthor), bob: newUser(t, s, "bob", RoleAuthor)}
	x.telecom, x.bank = &Category{Name: "Telecom", Slug: "telecom"}, &Category{Name: "Bank", Slug: "bank"}
	x.orange, x.free = &Company{Name: "Orange"}, &Company{Name: "Free"}
	for _, c := range []*Category{x.telecom, x.bank} {
		if err := s.CreateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*Company{x.orange, x.free} {
		if err := s.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	story := func(author *User, title, status string, month time.Month, co *Company, tags []string, cats ...uint) *Story {
		when := time.Date(2026, month, 10, 12, 0, 0, 0, time.UTC)
		in := StoryInput{Title: title, Body: "Body of " + title, AuthorID: author.ID, Status: status,
			CategoryIDs: cats, Tags: tags, CompanyID: &co.ID}
		if status == StatusPublished {
			in.PublishedAt = &when
		}
		st, err := s.CreateStory(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	x.first = story(x.ann, "First", StatusPublished, 1, x.orange, []string{"fiber", "refund"}, x.telecom.ID)
	x.second = story(x.bob, "Second", StatusPublished, 2, x.free, []string{"fiber"}, x.telecom.ID, x.bank.ID)
	x.ann3 = story(x.ann, "Third", StatusPublished, 2, x.orange, nil, x.bank.ID)
	x.draft = story(x.bob, "Draft", StatusDraft, 3, x.free, []string{"refund"}, x.bank.ID)
	checkCounts(t, s)
	return x
}

// freshCounts counts the published stories per counter from the tables.
func freshCounts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, q := range countsBackfill {
		var rows []struct {
			Kind string
			Key  int64
			N    int
		}
		err := s.r.Raw(q, StatusPublished).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out[fmt.Sprintf("%s/%d", r.Kind, r.Key)] = r.N
		}
	}
	return out
}

// storedCounts is story_counts as a map.
func storedCounts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	var rows []struct {
		Kind string
		Key  int64
		N    int
	}
	if err := s.r.Raw("SELECT kind, key, n FROM story_counts").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[fmt.Sprintf("%s/%d", r.Kind, r.Key)] = r.N
	}
	return out
}

// checkCounts fails unless story_counts equals a fresh count over the tables.
func checkCounts(t *testing.T, s *Store) {
	t.Helper()
	stored, fresh := storedCounts(t, s), freshCounts(t, s)
	if !maps.Equal(stored, fresh) {
		t.Errorf("stored counts %v\nwant (fresh)  %v", stored, fresh)
	}
}

func TestCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	edit := func(x *countsSite, st *Story, change func(*StoryInput)) error {
		cur, err := x.s.StoryForEdit(ctx, st.ID, x.admin.ID)
		if err != nil {
			return err
		}
		in := StoryInput{Title: cur.Title, Body: cur.Body, CompanyID: cur.CompanyID, City: cur.City, Resolution: cur.Resolution}
		for _, c := range cur.Categories {
			in.CategoryIDs = append(in.CategoryIDs, c.ID)
		}
		for _, tg := range cur.Tags {
			in.Tags = append(in.Tags, tg.Name)
		}
		change(&in)
		_, err = x.s.UpdateStory(ctx, st.ID, x.admin.ID, in)
		return err
	}
	for _, tt := range []struct {
		name  string
		write func(x *countsSite) error
		// want are counters the write must have moved, beside the equality with a fresh count.
		want map[string]int
	}{
		{"publish a draft", func(x *countsSite) error {
			_, err := x.s.SubmitStory(ctx, x.draft.ID, x.bob.ID)
			return err
		}, map[string]int{"all/0": 4}},
		{"publish through review", func(x *countsSite) error {
			reader := newUser(t, x.s, "reader", RoleReader)
			st, err := x.s.CreateStory(ctx, StoryInput{Title: "Mine", Body: "Mine", AuthorID: reader.ID, CategoryIDs: []uint{x.bank.ID}})
			if err == nil {
				_, err = x.s.SubmitStory(ctx, st.ID, reader.ID)
			}
			if err == nil {
				_, err = x.s.ApproveStory(ctx, st.ID, x.admin.ID)
			}
			return err
		}, map[string]int{"all/0": 4}},
		{"unpublish", func(x *countsSite) error { return x.s.UnpublishStory(ctx, x.first.ID, x.ann.ID) },
			map[string]int{"all/0": 2, "month/202601": 0}},
		{"send back", func(x *countsSite) error { return x.s.SendBack(ctx, x.second.ID, x.admin.ID, "More detail.") },
			map[string]int{"all/0": 2}},
		{"unpublish then publish again", func(x *countsSite) error {
			if err := x.s.UnpublishStory(ctx, x.first.ID, x.ann.ID); err != nil {
				return err
			}
			_, err := x.s.SubmitStory(ctx, x.first.ID, x.ann.ID)
			return err
		}, map[string]int{"all/0": 3, "month/202601": 1}},
		{"delete a story", func(x *countsSite) error { return x.s.DeleteStory(ctx, x.second.ID, x.admin.ID) },
			map[string]int{"all/0": 2}},
		{"delete a draft", func(x *countsSite) error { return x.s.DeleteStory(ctx, x.draft.ID, x.bob.ID) },
			map[string]int{"all/0": 3}},
		{"recategorise and retag", func(x *countsSite) error {
			return edit(x, x.first, func(in *StoryInput) { in.CategoryIDs, in.Tags = []uint{x.bank.ID}, []string{"mobile"} })
		}, nil},
		{"change company", func(x *countsSite) error {
			return edit(x, x.first, func(in *StoryInput) { in.CompanyID = &x.free.ID })
		}, nil},
		{"remove the company", func(x *countsSite) error {
			return edit(x, x.first, func(in *StoryInput) { in.CompanyID = nil })
		}, nil},
		{"edit without a counted change", func(x *countsSite) error {
			return edit(x, x.first, func(in *StoryInput) { in.Body += " More." })
		}, map[string]int{"all/0": 3}},
		{"merge companies", func(x *countsSite) error { return x.s.MergeCompanies(ctx, x.free.ID, x.orange.ID) }, nil},
		{"delete an account with its stories", func(x *countsSite) error { return x.s.DeleteUser(ctx, x.ann.ID, false) },
			map[string]int{"all/0": 1}},
		{"delete an account keeping its stories", func(x *countsSite) error { return x.s.DeleteUser(ctx, x.ann.ID, true) },
			map[string]int{"all/0": 3}},
		{"rename a category", func(x *countsSite) error {
			_, err := x.s.UpdateCategory(ctx, x.telecom.ID, CategoryInput{Name: "Internet", Slug: "internet"})
			return err
		}, nil},
		{"delete a category", func(x *countsSite) error { return x.s.DeleteCategory(ctx, x.telecom.ID) }, nil},
		{"import stories", func(x *countsSite) error {
			when := time.Date(2025, 12, 24, 9, 0, 0, 0, time.UTC)
			b, err := PrepareImport([]ImportStory{{Story: StoryInput{Title: "Imported", Body: "Old story.", AuthorID: x.bob.ID,
				Status: StatusPublished, PublishedAt: &when, CategoryIDs: []uint{x.bank.ID}, Tags: []string{"old"}, CompanyID: &x.orange.ID}}})
			if err != nil {
				return err
			}
			return x.s.Import(ctx, b)
		}, map[string]int{"all/0": 4, "month/202512": 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			x := newCountsSite(t, s)
			if err := tt.write(x); err != nil {
				t.Fatal(err)
			}
			checkCounts(t, s)
			checkSidebar(t, s)
			stored := storedCounts(t, s)
			for k, n := range tt.want {
				if stored[k] != n {
					t.Errorf("%s = %d, want %d", k, stored[k], n)
				}
			}
		})
	}
}

// A database from before story_counts (and so before schema versions) gets
// it filled when the store opens, and the pages read the same numbers as a
// count over the stories.
func TestCountsBackfilledOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := newCountsSite(t, s)
	// Back to the schema of before: no table, no view, no triggers, and a
	// write made without them.
	var triggers []string
	if err := s.w.Raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'counts_v%'").Scan(&triggers).Error; err != nil {
		t.Fatal(err)
	}
	for _, tr := range triggers {
		if err := s.w.Exec("DROP TRIGGER " + tr).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"DROP VIEW story_count_deltas", "DROP TABLE story_counts", "DROP TABLE schema_version"} {
		if err := s.w.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SubmitStory(ctx, x.draft.ID, x.bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s)
	if got := storedCounts(t, s)["all/0"]; got != 4 {
		t.Errorf("all/0 = %d after backfill, want 4", got)
	}
	// And the triggers are back: the next write is counted.
	if err := s.UnpublishStory(ctx, x.first.ID, x.ann.ID); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s)
	checkSidebar(t, s)
	// Opening a filled database leaves the counts alone.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkCounts(t, s)
}

// checkSidebar compares the sidebar's counts with aggregates over the stories.
func checkSidebar(t *testing.T, s *Store) {
	t.Helper()
	sb, err := s.Sidebar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var months []Month
	err = s.r.Raw(`SELECT strftime('%Y-%m', published_at) AS month, count(*) AS count FROM stories
		WHERE status = ? GROUP BY month ORDER BY month DESC LIMIT 24`, StatusPublished).Scan(&months).Error
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sb.Months) != fmt.Sprint(months) {
		t.Errorf("sidebar months %v, want %v", sb.Months, months)
	}
	var cos []string
	err = s.r.Raw(`SELECT co.name || '=' || count(*) FROM companies co JOIN stories st ON st.company_id = co.id AND st.status = ?
		GROUP BY co.id ORDER BY count(*) DESC, co.name LIMIT 10`, StatusPublished).Scan(&cos).Error
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range sb.Companies {
		got = append(got, fmt.Sprintf("%s=%d", c.Name, c.StoryCount))
	}
	if fmt.Sprint(got) != fmt.Sprint(cos) {
		t.Errorf("sidebar companies %v, want %v", got, cos)
	}
	var cats []string
	err = s.r.Raw(`SELECT c.name || '=' || (SELECT count(*) FROM story_categories sc JOIN stories st ON st.id = sc.story_id
		WHERE sc.category_id = c.id AND st.status = ?) FROM categories c ORDER BY c.position, c.name`, StatusPublished).Scan(&cats).Error
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, c := range sb.Categories {
		got = append(got, fmt.Sprintf("%s=%d", c.Name, c.StoryCount))
	}
	if fmt.Sprint(got) != fmt.Sprint(cats) {
		t.Errorf("sidebar categories %v, want %v", got, cats)
	}
}

// The pagers read the counters; a filter without one still counts.
func TestCountStoriesMatchesTheList(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	x := newCountsSite(t, s)
	feb := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for name, f := range map[string]StoryFilter{
		"all":             {},
		"category":        {CategoryID: x.bank.ID},
		"author":          {AuthorID: x.ann.ID},
		"company":         {CompanyID: x.orange.ID},
		"month":           {From: feb, To: feb.AddDate(0, 1, 0)},
		"empty month":     {From: feb.AddDate(0, 5, 0), To: feb.AddDate(0, 6, 0)},
		"part of a month": {From: feb.AddDate(0, 0, 9), To: feb.AddDate(0, 0, 12)},
		"two filters":     {CategoryID: x.bank.ID, AuthorID: x.ann.ID},
		"unknown tag":     {TagID: 999},
	} {
		q, err := s.filtered(ctx, f, -1)
		if err != nil {
			t.Fatal(err)
		}
		var want int64
		if err := q.Count(&want).Error; err != nil {
			t.Fatal(err)
		}
		got, err := s.countStories(ctx, f)
		if err != nil || got != want {
			t.Errorf("%s: %d, %v; want %d", name, got, err, want)
		}
		p, err := s.PublishedStories(ctx, f, 1)
		if err != nil || p.Total != want || int64(len(p.Stories)) != want {
			t.Errorf("%s: page total %d with %d stories, %v; want %d", name, p.Total, len(p.Stories), err, want)
		}
	}
}
