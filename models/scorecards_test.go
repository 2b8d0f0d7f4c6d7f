package models

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"
)

// companyFixture is a store on a clock the test moves, with an admin, an
// author, a representative of Orange and the companies Orange and Free.
type companyFixture struct {
	t             *testing.T
	s             *Store
	now           time.Time
	admin, author *User
	rep, otherRep *User
	orange, free  *Company
	cat1, cat2    uint
	ctx           context.Context
	orangeStories map[string]*Story
}

var fixtureStart = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

func newCompanyFixture(t *testing.T) *companyFixture {
	t.Helper()
	f := &companyFixture{t: t, now: fixtureStart, ctx: context.Background(), orangeStories: map[string]*Story{}}
	s, err := Open(filepath.Join(t.TempDir(), "test.db"), Options{Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f.s = s
	f.admin = newUser(t, s, "root", RoleAuthor)
	if err := s.w.Model(f.admin).Update("role", RoleAdmin).Error; err != nil {
		t.Fatal(err)
	}
	f.admin.Role = RoleAdmin
	f.author, f.rep, f.otherRep = newUser(t, s, "ada", RoleAuthor), newUser(t, s, "orange-rep", RoleAuthor), newUser(t, s, "free-rep", RoleAuthor)
	f.orange, f.free = &Company{Name: "Orange"}, &Company{Name: "Free"}
	for _, c := range []*Company{f.orange, f.free} {
		if err := s.CreateCompany(f.ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*Category{{Name: "Telecom"}, {Name: "Banks"}} {
		if err := s.CreateCategory(f.ctx, c); err != nil {
			t.Fatal(err)
		}
		if f.cat1 == 0 {
			f.cat1 = c.ID
		} else {
			f.cat2 = c.ID
		}
	}
	must(t, s.AddRepresentative(f.ctx, f.admin.ID, f.orange.ID, "orange-rep"))
	must(t, s.AddRepresentative(f.ctx, f.admin.ID, f.free.ID, "@Free-Rep"))
	return f
}

// story publishes a story about company at when, resolved from the start if res says so.
func (f *companyFixture) story(title string, co *Company, when time.Time, status, res string, cat uint) *Story {
	f.t.Helper()
	st, err := f.s.CreateStory(f.ctx, StoryInput{Title: title, Body: "Text.", AuthorID: f.author.ID, CompanyID: &co.ID,
		Status: status, Resolution: res, PublishedAt: &when, CategoryIDs: []uint{cat}})
	must(f.t, err)
	return st
}

// at runs fn with the clock at t.
func (f *companyFixture) at(t time.Time, fn func()) {
	f.now = t
	fn()
}

func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }

// seedOrange builds the scorecard fixture computed by hand:
//
//	A Jan 5, reply +1 day, resolved +3      B Jan 5, reply +2
//	C Jan 5, reply +6, resolved +10         D Jan 5, resolved +4 (by an update)
//	E Feb 1, reply +3                       F Feb 1, written resolved
//	G a draft (not counted)
//
// Replies 1, 2, 3, 6: median 2.5 (even count). Resolutions after
// publication 3, 4, 10: median 4 (odd count); F counts as resolved but has
// no delay. 6 stories, 4 replied, 4 resolved.
func (f *companyFixture) seedOrange() {
	jan, feb := fixtureStart, time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	m := f.orangeStories
	for _, n := range []string{"A", "B", "C", "D"} {
		m[n] = f.story("Story "+n, f.orange, jan, StatusPublished, "", f.cat1)
	}
	m["E"] = f.story("Story E", f.orange, feb, StatusPublished, "", f.cat2)
	m["F"] = f.story("Story F", f.orange, feb, StatusPublished, ResolutionResolved, f.cat1)
	m["G"] = f.story("Story G", f.orange, feb, StatusDraft, "", f.cat1)
	reply := func(n string, at time.Time, d float64) {
		f.at(at.Add(days(d)), func() {
			_, err := f.s.PostCompanyReply(f.ctx, m[n].ID, f.rep.ID, ReplyAct, "We are on it.")
			must(f.t, err)
		})
	}
	reply("A", jan, 1)
	reply("B", jan, 2)
	reply("C", jan, 6)
	reply("E", feb, 3)
	f.at(jan.Add(days(3)), func() { must(f.t, f.s.SetResolution(f.ctx, m["A"].ID, f.author.ID, ResolutionResolved)) })
	f.at(jan.Add(days(10)), func() { must(f.t, f.s.SetResolution(f.ctx, m["C"].ID, f.admin.ID, ResolutionResolved)) })
	f.at(jan.Add(days(4)), func() {
		_, err := f.s.AddStoryUpdate(f.ctx, m["D"].ID, f.author.ID, "They fixed it.", ResolutionResolved)
		must(f.t, err)
	})
	for _, u := range []*User{f.author, f.otherRep} {
		_, err := f.s.SetMeToo(f.ctx, m["A"].ID, u.ID, true)
		must(f.t, err)
	}
	f.now = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
}

// errRollBack undoes a transaction the test only reads from.
var errRollBack = errors.New("roll back")

// checkStats fails unless company id's stored scorecard is what a full
// recompute gives, and returns it.
func (f *companyFixture) checkStats(id uint) CompanyStats {
	f.t.Helper()
	stored, err := f.s.CompanyStats(f.ctx, id)
	must(f.t, err)
	var fresh CompanyStats
	err = f.s.w.Transaction(func(tx *gorm.DB) error {
		if err := refreshStats(tx, id); err != nil {
			return err
		}
		if err := tx.Raw("SELECT * FROM company_stats WHERE company_id = ?", id).Scan(&fresh).Error; err != nil {
			return err
		}
		return errRollBack // leave the stored row as the triggers made it
	})
	if !errors.Is(err, errRollBack) {
		f.t.Fatal(err)
	}
	if fresh.CompanyID == 0 {
		fresh.CompanyID = id
	}
	if !sameStats(stored, fresh) {
		f.t.Errorf("company %d: stored %+v, recomputed %+v", id, show(stored), show(fresh))
	}
	return stored
}

type shownStats struct {
	Stories, Replied, Resolved, MeToo int
	ReplyDays, ResolveDays            float64
	Category                          uint
	Months                            string
}

// show makes a scorecard comparable and printable (NaN: no median).
func show(cs CompanyStats) shownStats {
	out := shownStats{Stories: cs.Stories, Replied: cs.Replied, Resolved: cs.Resolved, MeToo: cs.MeToo,
		ReplyDays: math.NaN(), ResolveDays: math.NaN(), Months: cs.Months}
	if cs.ReplyDays != nil {
		out.ReplyDays = math.Round(*cs.ReplyDays*1000) / 1000
	}
	if cs.ResolveDays != nil {
		out.ResolveDays = math.Round(*cs.ResolveDays*1000) / 1000
	}
	if cs.CategoryID != nil {
		out.Category = *cs.CategoryID
	}
	return out
}

func sameStats(a, b CompanyStats) bool {
	x, y := show(a), show(b)
	eqf := func(p, q float64) bool { return p == q || (math.IsNaN(p) && math.IsNaN(q)) }
	return x.Stories == y.Stories && x.Replied == y.Replied && x.Resolved == y.Resolved && x.MeToo == y.MeToo &&
		eqf(x.ReplyDays, y.ReplyDays) && eqf(x.ResolveDays, y.ResolveDays) && x.Category == y.Category && x.Months == y.Months
}

// TestScorecardByHand checks the scorecard against the figures computed by
// hand in seedOrange, with medians of an even and an odd count.
func TestScorecardByHand(t *testing.T) {
	f := newCompanyFixture(t)
	f.seedOrange()
	got := show(f.checkStats(f.orange.ID))
	want := shownStats{Stories: 6, Replied: 4, Resolved: 4, MeToo: 2, ReplyDays: 2.5, ResolveDays: 4, Category: f.cat1,
		Months: "2026-01 4 3 3,2026-02 2 1 1"}
	if got != want {
		t.Errorf("scorecard %+v, want %+v", got, want)
	}
	st, _ := f.s.CompanyStats(f.ctx, f.orange.ID)
	if !st.Rated() || math.Abs(st.ReplyRate()-66.667) > 0.01 || math.Abs(st.ResolveRate()-66.667) > 0.01 {
		t.Errorf("rates %v %v rated %v", st.ReplyRate(), st.ResolveRate(), st.Rated())
	}
	trend := st.Trend(f.now, 12)
	if len(trend) != 12 || trend[11].Month.Format("2006-01") != "2026-03" || trend[10].Stories != 2 || trend[9].Stories != 4 ||
		trend[9].Replied != 3 || trend[0].Month.Format("2006-01") != "2025-04" || trend[0].Stories != 0 {
		t.Errorf("trend %+v", trend)
	}
	free := f.checkStats(f.free.ID)
	if free.Stories != 0 || free.Rated() {
		t.Errorf("Free without stories: %+v", free)
	}
}

// TestScorecardFollowsEveryWrite changes the stories of a company in every
// way the site can, and checks after each that the stored scorecard is
// what a recompute gives (and a few figures by hand).
func TestScorecardFollowsEveryWrite(t *testing.T) {
	f := newCompanyFixture(t)
	f.seedOrange()
	m := f.orangeStories
	steps := []struct {
		name   string
		do     func()
		orange func(CompanyStats) bool
	}{
		{"unpublish C", func() { must(t, f.s.UnpublishStory(f.ctx, m["C"].ID, f.author.ID)) },
			func(s CompanyStats) bool {
				return s.Stories == 5 && s.Replied == 3 && *s.ReplyDays == 2 && *s.ResolveDays == 3.5
			}},
		{"publish C again", func() { _, err := f.s.SubmitStory(f.ctx, m["C"].ID, f.author.ID); must(t, err) },
			func(s CompanyStats) bool { return s.Stories == 6 && *s.ReplyDays == 2.5 }},
		{"move B to Free", func() {
			_, err := f.s.UpdateStory(f.ctx, m["B"].ID, f.author.ID, StoryInput{Title: "Story B", Body: "Text.", CompanyID: &f.free.ID, CategoryIDs: []uint{f.cat1}})
			must(t, err)
		}, func(s CompanyStats) bool { return s.Stories == 5 && s.Replied == 3 && *s.ReplyDays == 3 }},
		{"reopen A by an edit", func() {
			_, err := f.s.UpdateStory(f.ctx, m["A"].ID, f.author.ID, StoryInput{Title: "Story A", Body: "Text.", CompanyID: &f.orange.ID,
				CategoryIDs: []uint{f.cat2}, Resolution: ResolutionOpen})
			must(t, err)
		}, func(s CompanyStats) bool { return s.Resolved == 3 && *s.ResolveDays == 7 && s.MeToo == 2 }},
		{"a me too less", func() { _, err := f.s.SetMeToo(f.ctx, m["A"].ID, f.author.ID, false); must(t, err) },
			func(s CompanyStats) bool { return s.MeToo == 1 }},
		{"delete D", func() { must(t, f.s.DeleteStory(f.ctx, m["D"].ID, f.author.ID)) },
			func(s CompanyStats) bool { return s.Stories == 4 && s.Resolved == 2 && *s.ResolveDays == 10 }},
		{"delete E, replied to and followed up", func() {
			_, err := f.s.AddCompanyFollowUp(f.ctx, m["E"].ID, f.rep.ID, "Done.")
			must(t, err)
			must(t, f.s.DeleteStory(f.ctx, m["E"].ID, f.author.ID))
		}, func(s CompanyStats) bool { return s.Stories == 3 && s.Replied == 2 && *s.ReplyDays == 3.5 }},
		{"publish G", func() { _, err := f.s.SubmitStory(f.ctx, m["G"].ID, f.author.ID); must(t, err) },
			func(s CompanyStats) bool { return s.Stories == 4 }},
		{"merge Free into Orange", func() { must(t, f.s.MergeCompanies(f.ctx, f.free.ID, f.orange.ID)) },
			func(s CompanyStats) bool { return s.Stories == 5 && s.Replied == 3 && *s.ReplyDays == 2 }},
	}
	for _, step := range steps {
		step.do()
		got := f.checkStats(f.orange.ID)
		if !step.orange(got) {
			t.Errorf("after %s: Orange %+v", step.name, show(got))
		}
		if step.name == "move B to Free" {
			if free := f.checkStats(f.free.ID); free.Stories != 1 || free.Replied != 1 {
				t.Errorf("after %s: Free %+v", step.name, show(free))
			}
		}
	}
}

// TestImportLeavesScorecardsToRefresh: a deferring import marks its
// companies, and RefreshStaleStats (which the seed calls at its end)
// counts them; an import that does not defer counts them at once.
func TestImportLeavesScorecardsToRefresh(t *testing.T) {
	f := newCompanyFixture(t)
	at := fixtureStart
	var in []ImportStory
	for i := range 3 {
		in = append(in, ImportStory{Story: StoryInput{Title: "Imported " + string(rune('A'+i)), Body: "Text.", AuthorID: f.author.ID,
			CompanyID: &f.orange.ID, Status: StatusPublished, PublishedAt: &at, CategoryIDs: []uint{f.cat2}},
			MeToos: []uint{f.rep.ID}})
	}
	b, err := PrepareImport(in)
	must(t, err)
	b.DeferScorecards()
	must(t, f.s.Import(f.ctx, b))
	if st, _ := f.s.CompanyStats(f.ctx, f.orange.ID); st.Stories != 0 {
		t.Errorf("a deferred import counted its stories at once: %+v", show(st))
	}
	must(t, f.s.RefreshStaleStats(f.ctx))
	got := show(f.checkStats(f.orange.ID))
	if got.Stories != 3 || got.MeToo != 3 || got.Category != f.cat2 || got.Months != "2026-01 3 0 0" {
		t.Errorf("after the import: %+v", got)
	}
}

func TestImportCountsScorecards(t *testing.T) {
	f := newCompanyFixture(t)
	at := fixtureStart
	b, err := PrepareImport([]ImportStory{{Story: StoryInput{Title: "Imported", Body: "Text.", AuthorID: f.author.ID,
		CompanyID: &f.free.ID, Status: StatusPublished, PublishedAt: &at}}})
	must(t, err)
	must(t, f.s.Import(f.ctx, b))
	if got := f.checkStats(f.free.ID); got.Stories != 1 {
		t.Errorf("after the import: %+v", show(got))
	}
}
