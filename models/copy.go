package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Copying a site into another database (doleances copy-to): the tables are
// read in one snapshot of the source and written, in the order their
// foreign keys need, in one transaction of the target, so that a copy cut
// short leaves the target as empty as it was. Ids are kept. Everything
// goes through GORM with portable SQL, so that the copy runs between any
// two engines the store opens.

// copyTables are the tables a copy carries, parents before children.
// Every table of the schema is here or in derivedTables (a test checks).
var copyTables = []string{
	"users", "categories", "tags", "companies", "company_domains", "company_redirects",
	"stories", "story_categories", "story_tags", "story_updates", "slug_redirects", "pending_edits", "revisions",
	"comments", "likes", "me_toos", "reports",
	"company_representatives", "company_replies", "company_follow_ups",
	"pictures", "story_pictures",
	"identities", "sessions", "one_time_tokens", "login_states",
	"email_addresses", "follows", "digest_items", "outbox",
	"import_keys", "legacy_paths", "legal_pages", "notices", "audit_entries", "site_keys",
	"read_salts", "story_reads", "story_read_counts",
}

// derivedTables are not copied: the target's own (schema version, site
// state), what the target's triggers rebuild as the rows above arrive (the
// search index, the stored counts, the scorecards), and what expires within
// a minute (rate limits); notices_version is the target's own counter.
var derivedTables = []string{
	"schema_version", "site_state", "rate_limits", "sqlite_sequence", "notices_version",
	"story_counts", "story_count_deltas", "company_stats", "company_stats_stale",
	"story_search", "story_search_text", "comment_search", "comment_search_text",
}

// copyBatch is the most values one INSERT of a copy sends (rows × columns),
// well under SQLite's and PostgreSQL's limits on parameters.
const copyBatch = 10_000

// ErrTargetNotEmpty is returned by CopyTo for a target that holds rows.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// TableCount is the number of rows of a table in the source and the target
// after a copy.
type TableCount struct {
	Table          string
	Source, Target int64
}

// CopyTo copies the site into dst, which must be empty (ErrTargetNotEmpty
// otherwise), calling progress after each batch with the rows copied and
// the total. It returns the row counts of each table in both databases,
// read after the copy; an error if they differ.
func (s *Store) CopyTo(ctx context.Context, dst *Store, progress func(table string, done, total int64)) ([]TableCount, error) {
	if err := dst.checkEmpty(ctx); err != nil {
		return nil, err
	}
	var counts []TableCount
	snapshot := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	err := s.r.WithContext(ctx).Transaction(func(src *gorm.DB) error {
		var total int64
		for _, t := range copyTables {
			var n int64
			if err := src.Table(t).Count(&n).Error; err != nil {
				return fmt.Errorf("count %s: %w", t, err)
			}
			counts, total = append(counts, TableCount{Table: t, Source: n}), total+n
		}
		c := copier{src: src, total: total, progress: progress}
		return dst.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			c.dst = tx
			for _, t := range copyTables {
				if err := c.table(t); err != nil {
					return fmt.Errorf("copy %s: %w", t, err)
				}
			}
			return dst.d.catchUpIDs(tx, copyTables...) // the copy kept the ids
		})
	}, snapshot)
	if err != nil {
		return nil, err
	}
	return dst.compareCounts(ctx, counts)
}

// checkEmpty returns ErrTargetNotEmpty, naming the tables that hold rows,
// unless every table a copy fills is empty.
func (s *Store) checkEmpty(ctx context.Context) error {
	var full []string
	for _, t := range copyTables {
		var n int64
		if err := s.r.WithContext(ctx).Table(t).Count(&n).Error; err != nil {
			return fmt.Errorf("count %s in the target: %w", t, err)
		}
		if n > 0 {
			full = append(full, fmt.Sprintf("%s: %d", t, n))
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("%w (%s)", ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// compareCounts fills in the target's counts and fails if one differs.
func (s *Store) compareCounts(ctx context.Context, counts []TableCount) ([]TableCount, error) {
	var bad []string
	for i := range counts {
		c := &counts[i]
		if err := s.r.WithContext(ctx).Table(c.Table).Count(&c.Target).Error; err != nil {
			return counts, fmt.Errorf("count %s in the target: %w", c.Table, err)
		}
		if c.Target != c.Source {
			bad = append(bad, fmt.Sprintf("%s: %d rows, %d in the source", c.Table, c.Target, c.Source))
		}
	}
	if len(bad) > 0 {
		return counts, fmt.Errorf("the copy's counts differ: %s", strings.Join(bad, "; "))
	}
	return counts, nil
}

// copier copies tables from a read transaction to a write transaction.
type copier struct {
	src, dst    *gorm.DB
	done, total int64
	progress    func(table string, done, total int64)
}

// table copies one table, in batches, in the order of its first column (the
// primary key, or its first part), so that a reply follows its comment.
func (c *copier) table(name string) error {
	rows, err := c.src.Table(name).Order("1").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	kinds, err := columnKinds(c.dst, name)
	if err != nil {
		return err
	}
	per := max(1, copyBatch/len(cols))
	var batch []any
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			batch = append(batch, fitValue(v, kinds[strings.ToLower(cols[i])]))
		}
		if n++; n == per {
			if err := c.insert(name, cols, batch, n); err != nil {
				return err
			}
			batch, n = batch[:0], 0
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return c.insert(name, cols, batch, n)
}

// insert writes n rows of values in one statement.
func (c *copier) insert(table string, cols []string, values []any, n int) error {
	if n == 0 {
		return nil
	}
	quoted := make([]string, len(cols))
	for i, col := range cols {
		quoted[i] = `"` + col + `"`
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	q := fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES %s`, table, strings.Join(quoted, ","),
		strings.TrimSuffix(strings.Repeat(row+",", n), ","))
	if err := c.dst.Exec(q, values...).Error; err != nil {
		return err
	}
	c.done += int64(n)
	if c.progress != nil {
		c.progress(table, c.done, c.total)
	}
	return nil
}

// columnKinds returns the target's type of each column of table, in lower
// case ("boolean", "timestamptz", "datetime"...).
func columnKinds(db *gorm.DB, table string) (map[string]string, error) {
	types, err := db.Migrator().ColumnTypes(table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	kinds := make(map[string]string, len(types))
	for _, t := range types {
		kinds[strings.ToLower(t.Name())] = strings.ToLower(t.DatabaseTypeName())
	}
	return kinds, nil
}

// fitValue turns a value read from one engine into what the target's column
// takes where the engines store it differently: SQLite keeps booleans as
// integers and may hand back a time as text; PostgreSQL has real types.
func fitValue(v any, kind string) any {
	switch x := v.(type) {
	case int64:
		if strings.HasPrefix(kind, "bool") {
			return x != 0
		}
	case string:
		if strings.HasPrefix(kind, "timestamp") || kind == "date" {
			if t, err := parseStoredTime(x); err == nil {
				return t
			}
		}
	}
	return v
}

// parseStoredTime reads a time SQLite kept as text.
func parseStoredTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: unknown layout", s)
}
