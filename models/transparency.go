package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Count is a number of things of one kind.
type Count struct {
	Kind string
	N    int
}

// YearReport is what /transparency publishes for one year: notices
// received by reason, decisions by kind, appeals, and the median time
// from a notice to its decision.
type YearReport struct {
	Year          int
	Notices       int
	ByReason      []Count
	Decisions     []Count
	Appeals       int
	Reversed      int
	MedianHandled time.Duration // 0 when nothing was decided that year
}

// Transparency counts the notices of every year, newest year first. It
// reads the notices table alone, which stays small (a few columns of a
// row per notice); the page that shows it is cached until the next write.
func (s *Store) Transparency(ctx context.Context) ([]YearReport, error) {
	var rows []struct {
		Reason, Decision string
		CreatedAt        time.Time
		DecidedAt        *time.Time
		AppealedAt       *time.Time
		AppealOutcome    string
	}
	err := s.r.WithContext(ctx).Model(&Notice{}).Select("reason, decision, created_at, decided_at, appealed_at, appeal_outcome").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("transparency: %w", err)
	}
	years := map[int]*YearReport{}
	took := map[int][]time.Duration{}
	year := func(y int) *YearReport {
		if years[y] == nil {
			years[y] = &YearReport{Year: y, ByReason: counts(NoticeReasons),
				Decisions: counts([]string{DecisionKeep, DecisionRedact, DecisionUnpublish, DecisionDelete})}
		}
		return years[y]
	}
	for _, r := range rows {
		y := year(r.CreatedAt.Year())
		y.Notices++
		add(y.ByReason, r.Reason)
		if r.DecidedAt != nil {
			d := year(r.DecidedAt.Year())
			add(d.Decisions, r.Decision)
			took[d.Year] = append(took[d.Year], r.DecidedAt.Sub(r.CreatedAt))
		}
		if r.AppealedAt != nil {
			year(r.AppealedAt.Year()).Appeals++
		}
		if r.AppealOutcome == AppealReversed {
			year(r.AppealedAt.Year()).Reversed++
		}
	}
	out := make([]YearReport, 0, len(years))
	for y, rep := range years {
		rep.MedianHandled = median(took[y])
		out = append(out, *rep)
	}
	slices.SortFunc(out, func(a, b YearReport) int { return b.Year - a.Year })
	return out, nil
}

func counts(kinds []string) []Count {
	cs := make([]Count, len(kinds))
	for i, k := range kinds {
		cs[i].Kind = k
	}
	return cs
}

func add(cs []Count, kind string) {
	for i := range cs {
		if cs[i].Kind == kind {
			cs[i].N++
		}
	}
}

// median of ds (the mean of the middle two for an even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	return (ds[m-1] + ds[m]) / 2
}
