package models

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchNotices is how many notices BenchmarkTransparency files: years of a
// busy site's notices (the DSA transparency databases show a few hundred a
// year for a small host; this is fifty times that).
const benchNotices = 20000

// BenchmarkTransparency measures the figures of an uncached /transparency
// over benchNotices notices over five years, all decided, some appealed:
// "view" as most views get them (kept: the notices did not change), and
// "recount" after a notice changed.
func BenchmarkTransparency(b *testing.B) {
	s, _ := newTestStore(b)
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	err := s.w.Exec(fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
	INSERT INTO notices (url, story_id, reason, explanation, good_faith, state, created_at, decision, reasons, decided_at, appealed_at, appeal_outcome)
	SELECT 'https://x/stories/s', 1, CASE i %% 5 WHEN 0 THEN 'defamation' WHEN 1 THEN 'hate' WHEN 2 THEN 'personal-data' WHEN 3 THEN 'other' ELSE 'counterfeit' END,
		'why', 1, 'decided', datetime(?, '+' || (i * 2) || ' hours'),
		CASE i %% 4 WHEN 0 THEN 'keep' WHEN 1 THEN 'redact' WHEN 2 THEN 'unpublish' ELSE 'delete' END, 'reasons',
		datetime(?, '+' || (i * 2 + i %% 97) || ' hours'),
		CASE WHEN i %% 10 = 0 THEN datetime(?, '+' || (i * 2 + 100) || ' hours') END,
		CASE WHEN i %% 20 = 0 THEN 'reversed' ELSE '' END FROM n`, benchNotices), start, start, start).Error
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("view", func(b *testing.B) {
		if _, err := s.Transparency(ctx); err != nil { // counted once, as after a notice
			b.Fatal(err)
		}
		for b.Loop() {
			if ys, err := s.Transparency(ctx); err != nil || len(ys) < 4 {
				b.Fatalf("%d years, %v", len(ys), err)
			}
		}
	})
	b.Run("recount", func(b *testing.B) {
		for b.Loop() {
			if ys, err := s.countNotices(ctx); err != nil || len(ys) < 4 {
				b.Fatalf("%d years, %v", len(ys), err)
			}
		}
	})
}

// TestTransparencyKeptUntilNoticesChange: the figures are kept between
// views, and a notice filed, decided, or changed by another process
// (a write the store did not make) is counted at the next view.
func TestTransparencyKeptUntilNoticesChange(t *testing.T) {
	s, _, _, admin, _, in := noticeFixture(t)
	ctx := context.Background()
	total := func() (notices, decided int) {
		t.Helper()
		ys, err := s.Transparency(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, y := range ys {
			notices += y.Notices
			for _, d := range y.Decisions {
				decided += d.N
			}
		}
		return
	}
	if n, d := total(); n != 0 || d != 0 {
		t.Fatalf("an empty site: %d notices, %d decisions", n, d)
	}
	n, err := s.FileNotice(ctx, in)
	must(t, err)
	if got, _ := total(); got != 1 {
		t.Errorf("after a notice: %d notices", got)
	}
	_, err = s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionKeep, Reasons: "Opinion."})
	must(t, err)
	if _, d := total(); d != 1 {
		t.Errorf("after a decision: %d decisions", d)
	}
	must(t, s.w.Exec("UPDATE notices SET decision = '', decided_at = NULL").Error)
	if _, d := total(); d != 0 {
		t.Errorf("after another process's write: %d decisions", d)
	}
}
