package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// story_counts holds the number of published stories of the whole site and
// of each author, company, month, category and tag, so that the sidebar and
// the pagers read a few rows instead of counting every story. SQLite
// triggers keep it in step with every write to stories and their category
// and tag links, in the writing transaction; a row whose count falls to
// zero is deleted, so that the months and companies listed are those with
// stories.
const countsTable = `CREATE TABLE IF NOT EXISTS story_counts (
	kind TEXT NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL,
	PRIMARY KEY (kind, key)) WITHOUT ROWID`

// Kinds of story_counts rows; key is 0 for countAll, an id for the others but
// countMonth, whose key is the month as yyyymm (202601).
const (
	countAll      = "all"
	countAuthor   = "author"
	countCompany  = "company"
	countMonth    = "month"
	countCategory = "category"
	countTag      = "tag"
)

// monthKey is the story_counts key of a published_at column: yyyymm, as
// the sidebar and the archive see it (UTC); 0 for none.
func monthKey(column string) string {
	return "COALESCE(CAST(strftime('%Y%m', " + column + ") AS INTEGER), 0)"
}

// countsTriggerVersion is in the names of the counting triggers. A step
// that changes them drops these and makes new ones, under a new name.
const countsTriggerVersion = "counts_v1_"

// storyDeltas selects the story_counts rows a story row (NEW or OLD) is
// counted in, each with the change d.
func storyDeltas(row string, d int) string {
	return strings.NewReplacer("{row}", row, "{d}", strconv.Itoa(d)).Replace(`SELECT '` + countAll + `', 0, {d}
	UNION ALL SELECT '` + countAuthor + `', {row}.author_id, {d}
	UNION ALL SELECT '` + countCompany + `', {row}.company_id, {d} WHERE {row}.company_id IS NOT NULL
	UNION ALL SELECT '` + countMonth + `', ` + monthKey("{row}.published_at") + `, {d}
	UNION ALL SELECT '` + countCategory + `', category_id, {d} FROM story_categories WHERE story_id = {row}.id
	UNION ALL SELECT '` + countTag + `', tag_id, {d} FROM story_tags WHERE story_id = {row}.id`)
}

// linkDeltas selects the change d of the counter kind for a link row (NEW
// or OLD) of story_categories or story_tags: one row if its story is published.
func linkDeltas(kind, column, row string, d int) string {
	return fmt.Sprintf(`SELECT '%s', %s.%s, %d FROM stories WHERE id = %s.story_id AND status = '%s'`,
		kind, row, column, d, row, StatusPublished)
}

// countsTriggers are the triggers that keep story_counts: name, event and
// body. Every change goes through the view story_count_deltas, whose own
// trigger adds it to its row.
func countsTriggers() []struct{ name, event, body string } {
	const add = "INSERT INTO story_count_deltas (kind, key, d) "
	pub := "'" + StatusPublished + "'"
	type trig = struct{ name, event, body string }
	ts := []trig{
		{"delta", "INSTEAD OF INSERT ON story_count_deltas", `INSERT INTO story_counts (kind, key, n) VALUES (NEW.kind, NEW.key, NEW.d)
			ON CONFLICT (kind, key) DO UPDATE SET n = n + excluded.n;
		DELETE FROM story_counts WHERE kind = NEW.kind AND key = NEW.key AND n = 0;`},
		{"story_ins", "AFTER INSERT ON stories WHEN NEW.status = " + pub, add + storyDeltas("NEW", 1) + ";"},
		{"story_del", "AFTER DELETE ON stories WHEN OLD.status = " + pub, add + storyDeltas("OLD", -1) + ";"},
		// Only when something counted changes: an edit rewrites company_id
		// with the same value, and must not churn the counters.
		{"story_upd", "AFTER UPDATE OF status, author_id, company_id, published_at ON stories WHEN (OLD.status = " + pub + " OR NEW.status = " + pub + `)
			AND (OLD.status IS NOT NEW.status OR OLD.author_id IS NOT NEW.author_id
				OR OLD.company_id IS NOT NEW.company_id OR OLD.published_at IS NOT NEW.published_at)`,
			add + "SELECT * FROM (" + storyDeltas("OLD", -1) + ") WHERE OLD.status = " + pub + ";\n" +
				add + "SELECT * FROM (" + storyDeltas("NEW", 1) + ") WHERE NEW.status = " + pub + ";"},
	}
	for _, l := range []struct{ table, kind, column string }{
		{"story_categories", countCategory, "category_id"},
		{"story_tags", countTag, "tag_id"},
	} {
		ts = append(ts,
			trig{l.kind + "_link_ins", "AFTER INSERT ON " + l.table, add + linkDeltas(l.kind, l.column, "NEW", 1) + ";"},
			trig{l.kind + "_link_del", "AFTER DELETE ON " + l.table, add + linkDeltas(l.kind, l.column, "OLD", -1) + ";"},
			trig{l.kind + "_link_upd", "AFTER UPDATE ON " + l.table,
				add + linkDeltas(l.kind, l.column, "OLD", -1) + ";\n" + add + linkDeltas(l.kind, l.column, "NEW", 1) + ";"})
	}
	return ts
}

// countsBackfill fills story_counts from the tables, per kind.
var countsBackfill = []string{
	`SELECT '` + countAll + `' AS kind, 0 AS key, count(*) AS n FROM stories WHERE status = ? HAVING count(*) > 0`,
	`SELECT '` + countAuthor + `' AS kind, author_id AS key, count(*) AS n FROM stories WHERE status = ? GROUP BY author_id`,
	`SELECT '` + countCompany + `' AS kind, company_id AS key, count(*) AS n FROM stories WHERE status = ? AND company_id IS NOT NULL GROUP BY company_id`,
	`SELECT '` + countMonth + `' AS kind, ` + monthKey("published_at") + ` AS key, count(*) AS n FROM stories WHERE status = ? GROUP BY key`,
	`SELECT '` + countCategory + `' AS kind, sc.category_id AS key, count(*) AS n FROM story_categories sc
		JOIN stories st ON st.id = sc.story_id WHERE st.status = ? GROUP BY sc.category_id`,
	`SELECT '` + countTag + `' AS kind, sg.tag_id AS key, count(*) AS n FROM story_tags sg
		JOIN stories st ON st.id = sg.story_id WHERE st.status = ? GROUP BY sg.tag_id`,
}

// countsSchema creates story_counts, its view and its triggers.
func countsSchema() []string {
	stmts := []string{countsTable,
		`CREATE INDEX IF NOT EXISTS idx_story_counts_n ON story_counts(kind, n)`,
		`CREATE VIEW IF NOT EXISTS story_count_deltas (kind, key, d) AS SELECT kind, key, n FROM story_counts WHERE 0`,
	}
	for _, t := range countsTriggers() {
		stmts = append(stmts, fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s%s %s BEGIN\n%s\nEND", countsTriggerVersion, t.name, t.event, t.body))
	}
	return stmts
}

// backfillCounts computes story_counts once, for a database from before it.
func backfillCounts(tx *gorm.DB) error {
	for _, q := range countsBackfill {
		if err := tx.Exec("INSERT INTO story_counts (kind, key, n) "+q, StatusPublished).Error; err != nil {
			return fmt.Errorf("story counts: %w", err)
		}
	}
	return nil
}

// counter returns the story_counts row that counts the stories f selects,
// if there is one: f filters on one thing at most, and a time range is one
// calendar month (UTC).
func (f StoryFilter) counter() (kind string, key int64, ok bool) {
	set := 0
	for _, c := range []struct {
		on   bool
		kind string
		key  int64
	}{
		{f.CategoryID != 0, countCategory, int64(f.CategoryID)},
		{f.TagID != 0, countTag, int64(f.TagID)},
		{f.AuthorID != 0, countAuthor, int64(f.AuthorID)},
		{f.CompanyID != 0, countCompany, int64(f.CompanyID)},
		{!f.From.IsZero(), countMonth, int64(f.From.UTC().Year()*100 + int(f.From.UTC().Month()))},
	} {
		if c.on {
			set++
			kind, key = c.kind, c.key
		}
	}
	switch {
	case set == 0:
		return countAll, 0, true
	case set > 1:
		return "", 0, false
	case kind == countMonth:
		from := f.From.UTC()
		whole := from.Equal(time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)) && f.To.Equal(from.AddDate(0, 1, 0))
		return kind, key, whole
	}
	return kind, key, true
}

// countStories returns the number of published stories f selects: one
// stored row when f has a counter, else a count.
func (s *Store) countStories(ctx context.Context, f StoryFilter) (int64, error) {
	kind, key, ok := f.counter()
	if !ok {
		q, err := s.filtered(ctx, f, -1)
		if err != nil {
			return 0, err
		}
		var n int64
		err = q.Count(&n).Error
		return n, err
	}
	var ns []int64
	err := s.r.WithContext(ctx).Raw("SELECT n FROM story_counts WHERE kind = ? AND key = ?", kind, key).Scan(&ns).Error
	if err != nil || len(ns) == 0 {
		return 0, err
	}
	return ns[0], nil
}

// monthOfKey turns a month key (202601) into "2026-01".
func monthOfKey(key int) string {
	return fmt.Sprintf("%04d-%02d", key/100, key%100)
}

// scanLinks says how to find, among the first rows published stories in
// publication order (-1: all), those linked to one of ids (categories or
// tags, of kind countCategory or countTag): by scanning that order and
// looking up each story's links, when they are common enough to turn up
// early (about rows×all/linked stories looked at), or else by reading
// their links and sorting those stories (a story read costs about ten
// look-ups). Either way a page costs about as much at any size of site.
func (s *Store) scanLinks(ctx context.Context, kind string, ids []uint, rows int) (bool, error) {
	if rows < 0 {
		return false, nil
	}
	var c struct{ Linked, All int64 }
	err := s.r.WithContext(ctx).Raw(`SELECT
		COALESCE((SELECT sum(n) FROM story_counts WHERE kind = ? AND key IN ?), 0) AS linked,
		COALESCE((SELECT n FROM story_counts WHERE kind = ? AND key = 0), 0) AS "all"`,
		kind, ids, countAll).Scan(&c).Error
	if err != nil {
		return false, fmt.Errorf("count %s stories: %w", kind, err)
	}
	return int64(rows)*c.All <= 10*c.Linked*c.Linked, nil
}

// linkCond is the condition that a story has a row in the link table
// (story_categories, story_tags) whose column is in a list given as its
// argument: as a look-up per story (scan) or as the list of linked stories.
func linkCond(table, column string, scan bool) string {
	if scan {
		return "EXISTS (SELECT 1 FROM " + table + " WHERE story_id = stories.id AND " + column + " IN ?)"
	}
	return "stories.id IN (SELECT story_id FROM " + table + " WHERE " + column + " IN ?)"
}
