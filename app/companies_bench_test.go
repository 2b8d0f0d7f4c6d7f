package app

import (
	"context"
	"testing"
	"time"

	"doleances/models"
)

// BenchmarkCompaniesUncached measures, on a seeded site, how long the
// company page and /companies take to build when nothing of them is kept
// (a write before each request moves the site's generation, so the page
// cache and the memos miss), beside the front page built the same way, and
// what a write that recomputes a scorecard costs: a resolution set on a
// story of the company with the most stories. One client, one request at a
// time: ns/op is the build time, cpu-µs/op the CPU the process spent on it
// (on a busy machine, the steadier figure). Size: as BenchmarkServe.
//
//	DOLEANCES_BENCH_STORIES=100000 DOLEANCES_BENCH_COMMENTS=1000000 DOLEANCES_BENCH_USERS=10000 \
//	  go test ./app -run '^$' -bench CompaniesUncached
func BenchmarkCompaniesUncached(b *testing.B) {
	size := benchSizeFromEnv(b)
	s := startBenchSite(b, benchDatabase(b, size))
	ctx := context.Background()
	var top struct {
		ID      uint
		Slug    string
		Stories int
	}
	check(b, s.raw.Raw(`SELECT c.id, c.slug, cs.stories FROM company_stats cs JOIN companies c ON c.id = cs.company_id
		ORDER BY cs.stories DESC LIMIT 1`).Scan(&top).Error)
	var liker, storyID uint
	check(b, s.raw.Raw("SELECT id FROM users ORDER BY id LIMIT 1").Scan(&liker).Error)
	check(b, s.raw.Raw("SELECT id FROM stories WHERE status = 'published' ORDER BY id LIMIT 1").Scan(&storyID).Error)
	b.Logf("%d stories; the largest company, %s, has %d", size.stories, top.Slug, top.Stories)
	on := false
	write := func() { // a like: a small write that moves the generation
		on = !on
		_, err := s.store.SetLike(ctx, storyID, liker, on)
		check(b, err)
	}
	for _, p := range []struct{ name, path string }{
		{"front", "/"}, {"company", "/company/" + top.Slug}, {"companies", "/companies"},
		{"companies-by-reply-days", "/companies?sort=reply-days"},
	} {
		b.Run(p.name, func(b *testing.B) {
			var cpu time.Duration // of the builds alone, not of the writes between them
			for b.Loop() {
				b.StopTimer()
				write()
				b.StartTimer()
				before := cpuTime()
				get(b, s.client, s.base+p.path)
				cpu += cpuTime() - before
			}
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
	b.Run("resolution-write", func(b *testing.B) {
		before := cpuTime()
		defer func() { b.ReportMetric(float64((cpuTime()-before).Microseconds())/float64(b.N), "cpu-µs/op") }()
		// The author marks a story of the largest company resolved, then
		// open again: each write recomputes that company's scorecard.
		var st struct{ ID, AuthorID uint }
		check(b, s.raw.Raw("SELECT id, author_id FROM stories WHERE company_id = ? AND status = 'published' ORDER BY id LIMIT 1",
			top.ID).Scan(&st).Error)
		res := []string{models.ResolutionResolved, models.ResolutionOpen}
		i := 0
		for b.Loop() {
			check(b, s.store.SetResolution(ctx, st.ID, st.AuthorID, res[i%2]))
			i++
		}
	})
}
