package models

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
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

// transparencySQL counts the notices by year: each row is a year, a
// group (reason, decision, appeal), a key in it and a number. SQLite does
// the counting and the medians: a view reads a few dozen rows, not one
// per notice (parsing each notice's times in Go took 380 ms at 20,000).
// The text is plain SQL both engines read (subqueries named, text keys).
const transparencySQL = `
SELECT strftime('%Y', created_at) AS year, 'reason' AS grp, reason AS k, count(*) AS n, 0 AS secs FROM notices GROUP BY 1, 3
UNION ALL
SELECT strftime('%Y', decided_at), 'decision', decision, count(*), 0 FROM notices WHERE decided_at IS NOT NULL GROUP BY 1, 3
UNION ALL
SELECT strftime('%Y', appealed_at), 'appeal', CASE WHEN appeal_outcome = 'reversed' THEN '1' ELSE '0' END, count(*), 0 FROM notices WHERE appealed_at IS NOT NULL GROUP BY 1, 3
UNION ALL
SELECT year, 'median', '', 0, avg(d) FROM (SELECT year, d, row_number() OVER (PARTITION BY year ORDER BY d) AS i, count(*) OVER (PARTITION BY year) AS c
	FROM (SELECT strftime('%Y', decided_at) AS year, (julianday(decided_at) - julianday(created_at)) * 86400 AS d FROM notices WHERE decided_at IS NOT NULL) AS handled)
	AS ranked WHERE i IN ((c + 1) / 2, (c + 2) / 2) GROUP BY year`

// transparencyMemo keeps the figures of /transparency with the notices'
// version they were counted at: counting takes 100 ms or more at 20,000
// notices, and notices change far less often than the pages around them
// (a comment empties the page cache; it does not change these figures).
type transparencyMemo struct {
	mu      sync.Mutex
	version string
	years   []YearReport
}

// noticesVersionSQL reads the notices' version: a counter their triggers
// move on every write (from any process), and the last id, so that a
// database put in place of another does not pass for it.
const noticesVersionSQL = "SELECT (SELECT n FROM notices_version) || '/' || coalesce((SELECT max(id) FROM notices), 0)"

// addNoticesVersion is a migration step: the counter of writes to notices
// that the memo of Transparency is keyed on.
func addNoticesVersion(ctx context.Context, tx *gorm.DB, d dialect) error {
	stmts := []string{
		"CREATE TABLE IF NOT EXISTS notices_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
		"INSERT OR IGNORE INTO notices_version (id, n) VALUES (1, 0)",
	}
	for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
		stmts = append(stmts, "CREATE TRIGGER IF NOT EXISTS notices_version_"+strings.ToLower(ev)+" AFTER "+ev+
			" ON notices BEGIN UPDATE notices_version SET n = n + 1; END")
	}
	return execAll(tx, stmts)
}

// Transparency counts the notices of every year, newest year first. The
// figures are kept until the notices change: a view costs one look at
// their version (microseconds), and a recount after a notice is one query
// whose answer has a few rows per year.
func (s *Store) Transparency(ctx context.Context) ([]YearReport, error) {
	m := &s.transparency
	m.mu.Lock() // one recount at a time: the others wait for its figures
	defer m.mu.Unlock()
	var v string
	if err := s.r.WithContext(ctx).Raw(noticesVersionSQL).Scan(&v).Error; err != nil {
		return nil, fmt.Errorf("notices version: %w", err)
	}
	if m.years != nil && m.version == v {
		return slices.Clone(m.years), nil
	}
	ys, err := s.countNotices(ctx)
	if err != nil {
		return nil, err
	}
	m.version, m.years = v, ys
	return slices.Clone(ys), nil
}

// countNotices counts the notices of every year, newest year first.
func (s *Store) countNotices(ctx context.Context) ([]YearReport, error) {
	var rows []struct {
		Year, Grp, K string
		N            int
		Secs         float64
	}
	if err := s.r.WithContext(ctx).Raw(transparencySQL).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("transparency: %w", err)
	}
	years := map[int]*YearReport{}
	for _, r := range rows {
		y, err := strconv.Atoi(r.Year)
		if err != nil {
			continue // a notice without a readable date counts nowhere
		}
		rep := years[y]
		if rep == nil {
			rep = &YearReport{Year: y, ByReason: counts(NoticeReasons),
				Decisions: counts([]string{DecisionKeep, DecisionRedact, DecisionUnpublish, DecisionDelete})}
			years[y] = rep
		}
		switch r.Grp {
		case "reason":
			rep.Notices += r.N
			add(rep.ByReason, r.K, r.N)
		case "decision":
			add(rep.Decisions, r.K, r.N)
		case "appeal":
			rep.Appeals += r.N
			if r.K == "1" {
				rep.Reversed += r.N
			}
		case "median":
			rep.MedianHandled = time.Duration(math.Round(r.Secs)) * time.Second
		}
	}
	out := make([]YearReport, 0, len(years)) // never nil: nil is "not counted yet" in the memo
	for _, rep := range years {
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

func add(cs []Count, kind string, n int) {
	for i := range cs {
		if cs[i].Kind == kind {
			cs[i].N += n
		}
	}
}
