package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// company_stats holds each company's scorecard, so that its page and the
// ranking of /companies read a row per company instead of its stories.
// SQLite triggers recompute a company's row in the transaction of every
// write that changes what it counts: a story published, unpublished,
// deleted, moved to another company, answered or resolved, or its
// categories changed (one company's stories, read through
// idx_stories_company). "Me too"s only add to the total. Bulk writes
// (Import, MergeCompanies) set the triggers aside and recompute each
// company they touched once.
//
// The medians need each story's durations: stories keep replied_at and
// resolved_at beside published_at. months is the trend, one
// "yyyy-mm stories replied resolved" entry per month with stories.
const companyStatsTable = `CREATE TABLE IF NOT EXISTS company_stats (
	company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
	stories INTEGER NOT NULL DEFAULT 0,
	replied INTEGER NOT NULL DEFAULT 0,
	resolved INTEGER NOT NULL DEFAULT 0,
	reply_days REAL,
	resolve_days REAL,
	me_too INTEGER NOT NULL DEFAULT 0,
	category_id INTEGER,
	months TEXT NOT NULL DEFAULT '')`

// statsTriggerVersion names the current scorecard triggers.
const statsTriggerVersion = "stats_v1_"

// medianOf is the SQL median of the durations, in days, that the rows of
// a company's published stories matching cond give from published_at to
// column; NULL without any.
func medianOf(company, column, cond string) string {
	return `(SELECT avg(d) FROM (SELECT d, row_number() OVER (ORDER BY d) AS i, count(*) OVER () AS n FROM (
		SELECT julianday(` + column + `) - julianday(published_at) AS d FROM stories
		WHERE company_id = ` + company + ` AND status = '` + StatusPublished + `' AND ` + cond + `) AS durations) AS ranked
		WHERE i IN ((n + 1) / 2, (n + 2) / 2))`
}

// recomputeStats is the statement that rewrites the company_stats row of
// the company whose id the SQL expression company gives, when the SQL
// condition when holds too (the company must exist).
func recomputeStats(company, when string) string {
	pub := "'" + StatusPublished + "'"
	res := "'" + ResolutionResolved + "'"
	if when != "" {
		when = " AND " + when
	}
	return `INSERT INTO company_stats (company_id, stories, replied, resolved, reply_days, resolve_days, me_too, category_id, months)
	SELECT * FROM (SELECT ` + company + ` AS id, count(*), count(replied_at), coalesce(sum(resolution = ` + res + `), 0),
		` + medianOf(company, "replied_at", "replied_at IS NOT NULL") + `,
		` + medianOf(company, "resolved_at", "resolution = "+res+" AND resolved_at > published_at") + `,
		coalesce(sum(me_too_count), 0),
		(SELECT sc.category_id FROM story_categories sc JOIN stories st ON st.id = sc.story_id
			WHERE st.company_id = ` + company + ` AND st.status = ` + pub + `
			GROUP BY sc.category_id ORDER BY count(*) DESC, sc.category_id LIMIT 1),
		coalesce((SELECT group_concat(m, ',') FROM (SELECT strftime('%Y-%m', published_at) || ' ' || count(*) || ' ' ||
			count(replied_at) || ' ' || coalesce(sum(resolution = ` + res + `), 0) AS m FROM stories
			WHERE company_id = ` + company + ` AND status = ` + pub + `
			GROUP BY strftime('%Y-%m', published_at) ORDER BY strftime('%Y-%m', published_at)) AS months), '')
		FROM stories WHERE company_id = ` + company + ` AND status = ` + pub + `) AS stats
	WHERE EXISTS (SELECT 1 FROM companies WHERE companies.id = ` + company + `)` + when + `
	ON CONFLICT (company_id) DO UPDATE SET stories = excluded.stories, replied = excluded.replied,
		resolved = excluded.resolved, reply_days = excluded.reply_days, resolve_days = excluded.resolve_days,
		me_too = excluded.me_too, category_id = excluded.category_id, months = excluded.months`
}

// statsTriggers are the triggers that keep company_stats: name, event, body.
func statsTriggers() []struct{ name, event, body string } {
	pub := "'" + StatusPublished + "'"
	type trig = struct{ name, event, body string }
	// A story row counts when it is published and names a company.
	counted := func(row string) string {
		return row + ".status = " + pub + " AND " + row + ".company_id IS NOT NULL"
	}
	linked := func(row string) string {
		return "EXISTS (SELECT 1 FROM stories WHERE id = " + row + ".story_id AND " +
			"status = " + pub + " AND company_id IS NOT NULL)"
	}
	ofLink := func(row string) string {
		return "(SELECT company_id FROM stories WHERE id = " + row + ".story_id)"
	}
	return []trig{
		{"story_ins", "AFTER INSERT ON stories WHEN " + counted("NEW"), recomputeStats("NEW.company_id", "") + ";"},
		{"story_del", "AFTER DELETE ON stories WHEN " + counted("OLD"), recomputeStats("OLD.company_id", "") + ";"},
		// Only when something counted changes: an edit rewrites company_id
		// and resolution with the same values.
		{"story_upd", `AFTER UPDATE OF status, company_id, published_at, replied_at, resolved_at, resolution ON stories
			WHEN ((` + counted("OLD") + `) OR (` + counted("NEW") + `))
			AND (OLD.status IS NOT NEW.status OR OLD.company_id IS NOT NEW.company_id
				OR OLD.published_at IS NOT NEW.published_at OR OLD.replied_at IS NOT NEW.replied_at
				OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.resolution IS NOT NEW.resolution)`,
			recomputeStats("OLD.company_id", "OLD.company_id IS NOT NULL") + ";\n" +
				recomputeStats("NEW.company_id", "NEW.company_id IS NOT NULL AND NEW.company_id IS NOT OLD.company_id") + ";"},
		{"metoo", "AFTER UPDATE OF me_too_count ON stories WHEN " + counted("NEW") + " AND OLD.me_too_count IS NOT NEW.me_too_count",
			"UPDATE company_stats SET me_too = me_too + NEW.me_too_count - OLD.me_too_count WHERE company_id = NEW.company_id;"},
		{"cat_ins", "AFTER INSERT ON story_categories WHEN " + linked("NEW"), recomputeStats(ofLink("NEW"), "") + ";"},
		{"cat_del", "AFTER DELETE ON story_categories WHEN " + linked("OLD"), recomputeStats(ofLink("OLD"), "") + ";"},
	}
}

// dropStatsTriggers sets the scorecard triggers aside, for a bulk write
// that recomputes the companies it touched itself (see refreshStats).
func dropStatsTriggers(tx *gorm.DB) error {
	for _, t := range statsTriggers() {
		if err := tx.Exec("DROP TRIGGER IF EXISTS " + statsTriggerVersion + t.name).Error; err != nil {
			return err
		}
	}
	return nil
}

// createStatsTriggers puts the scorecard triggers (back) in place.
func createStatsTriggers(tx *gorm.DB) error {
	for _, t := range statsTriggers() {
		q := fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s%s %s BEGIN\n%s\nEND", statsTriggerVersion, t.name, t.event, t.body)
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("trigger %s: %w", t.name, err)
		}
	}
	return nil
}

// markStale records companies whose scorecards a bulk write left to recompute.
func markStale(tx *gorm.DB, ids []uint) error {
	for _, id := range ids {
		if err := tx.Exec("INSERT OR IGNORE INTO company_stats_stale (company_id) VALUES (?)", id).Error; err != nil {
			return fmt.Errorf("mark company %d: %w", id, err)
		}
	}
	return nil
}

// RefreshStaleStats recomputes the scorecards that imports left stale.
func (s *Store) RefreshStaleStats(ctx context.Context) error {
	return refreshStale(s.w.WithContext(ctx))
}

func refreshStale(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var ids []uint
		if err := tx.Raw("SELECT company_id FROM company_stats_stale ORDER BY company_id").Scan(&ids).Error; err != nil {
			return fmt.Errorf("stale scorecards: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		if err := refreshStats(tx, ids...); err != nil {
			return err
		}
		return tx.Exec("DELETE FROM company_stats_stale").Error
	})
}

// refreshStats recomputes the scorecards of the companies ids.
func refreshStats(tx *gorm.DB, ids ...uint) error {
	for _, id := range ids {
		if err := tx.Exec(recomputeStats("CAST(@id AS INTEGER)", ""), map[string]any{"id": id}).Error; err != nil {
			return fmt.Errorf("scorecard of company %d: %w", id, err)
		}
	}
	return nil
}

// companyIDsOf returns the distinct companies of stories.
func companyIDsOf(stories []Story) []uint {
	seen := map[uint]bool{}
	var ids []uint
	for _, st := range stories {
		if st.CompanyID != nil && !seen[*st.CompanyID] {
			seen[*st.CompanyID] = true
			ids = append(ids, *st.CompanyID)
		}
	}
	return ids
}
