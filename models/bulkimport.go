package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// A bulk load fills an empty SQLite site with many imported stories (the
// seed command at 1,000,000 stories) faster than Import can: Import keeps
// every index, counter and search table in step batch by batch, and its
// rate fell from ~360 to ~68 stories a second between 0 and 100,000 stories
// as the indexes grew (18 minutes for 100,000). A bulk load instead sets
// the triggers and secondary indexes of the tables it fills aside, appends
// rows in id order, then builds the indexes once from sorted data, fills the
// search index with one pass per range of stories, and counts the stories
// and scorecards with one aggregate each: the same rows, triggers and
// indexes as Import makes, in a fraction of the time.

// ErrBulkUnsupported is returned by BeginBulk where a bulk load cannot run:
// on PostgreSQL (which keeps Import), or on a site that has stories.
var ErrBulkUnsupported = errors.New("bulk load: only into a SQLite site without stories")

// ErrBulkUnfinished is returned by Open for a SQLite file whose bulk load
// was cut short: its tables have neither their triggers nor their
// secondary indexes, so its counts and search would no longer follow its
// writes, and syncing was off.
var ErrBulkUnfinished = errors.New("a bulk load (the seed command) was cut short on this database: it lacks its triggers and indexes; delete the file and seed again")

// bulkMarker is a table a bulk load makes in the transaction that sets the
// triggers and indexes aside and drops in the one that puts them back, so
// that Open can tell a file left halfway.
const bulkMarker = "bulk_load_unfinished"

// checkBulkFinished refuses a SQLite file a bulk load left halfway.
func checkBulkFinished(db *gorm.DB) error {
	cut, err := sqliteDialect.tableExists(db, bulkMarker)
	if err == nil && cut {
		err = ErrBulkUnfinished
	}
	return err
}

// bulkTables are the tables a bulk load fills, whose triggers and
// secondary indexes it sets aside meanwhile.
var bulkTables = []string{"stories", "comments", "story_tags", "story_categories", "likes", "me_toos"}

// bulkKeptIndexes are the indexes the load itself reads: a story's slug is
// chosen among those already taken.
var bulkKeptIndexes = map[string]bool{"idx_stories_slug": true}

// bulkIndexRange is how many stories one transaction of the final search
// indexing covers, so that the write-ahead log stays small.
const bulkIndexRange = 20000

// Bulk is a bulk load in progress; Add batches, then Finish.
type Bulk struct {
	s *Store
	// The CREATE statements of what was set aside.
	indexes, triggers []string
	done              bool
}

// BeginBulk sets the bulk tables' triggers and secondary indexes aside and
// turns off the writer's syncing until Finish. A load cut short leaves a
// site without them: it is to be thrown away (the seed command makes a new
// file), as one that crashed with syncing off would have to be, and Open
// refuses it (ErrBulkUnfinished).
func (s *Store) BeginBulk(ctx context.Context) (*Bulk, error) {
	if s.d == postgresDialect {
		return nil, ErrBulkUnsupported
	}
	b := &Bulk{s: s}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Story{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrBulkUnsupported
		}
		if err := tx.Exec("CREATE TABLE " + bulkMarker + " (id INTEGER)").Error; err != nil {
			return err
		}
		var rows []struct{ Type, Name, SQL string }
		err := tx.Raw("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"+
			" AND tbl_name IN ? ORDER BY name", bulkTables).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Type == "index" && bulkKeptIndexes[r.Name] {
				continue
			}
			if err := tx.Exec(fmt.Sprintf("DROP %s %s", r.Type, r.Name)).Error; err != nil {
				return err
			}
			if r.Type == "index" {
				b.indexes = append(b.indexes, r.SQL)
			} else {
				b.triggers = append(b.triggers, r.SQL)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("begin bulk load: %w", err)
	}
	// A crash now loses the load, not a site: see above.
	if err := s.w.WithContext(ctx).Exec("PRAGMA synchronous = OFF").Error; err != nil {
		return nil, err
	}
	return b, nil
}

// Add saves a prepared batch, in one transaction, after the earlier ones:
// the rows Import saves, without the search index and the counts (Finish).
func (b *Bulk) Add(ctx context.Context, batch *ImportBatch) error {
	if len(batch.stories) == 0 {
		return nil
	}
	return b.s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := importRows(tx, batch); err != nil {
			return err
		}
		return markStale(tx, companyIDsOf(batch.stories))
	})
}

// Finish makes the indexes again, indexes every story and comment for
// search, counts the stories, puts the triggers back, recomputes the
// scorecards and turns syncing on again.
func (b *Bulk) Finish(ctx context.Context) error {
	if b.done {
		return nil
	}
	b.done = true
	w := b.s.w.WithContext(ctx)
	var last uint
	if err := w.Raw("SELECT COALESCE(max(id), 0) FROM stories").Scan(&last).Error; err != nil {
		return err
	}
	// Made again before the index is filled: reindex reads the stories'
	// tags through idx_story_tags and their comments through idx_comments_story.
	if err := execAll(w, b.indexes); err != nil {
		return fmt.Errorf("bulk load: indexes: %w", err)
	}
	for lo := uint(1); lo <= last; lo += bulkIndexRange {
		hi := min(lo+bulkIndexRange-1, last)
		if err := w.Transaction(func(tx *gorm.DB) error { return reindex(tx, lo, hi, maskedSource, sharded) }); err != nil {
			return fmt.Errorf("index stories %d-%d: %w", lo, hi, err)
		}
	}
	err := w.Transaction(func(tx *gorm.DB) error {
		if err := backfillCounts(tx); err != nil {
			return err
		}
		if err := execAll(tx, b.triggers); err != nil {
			return fmt.Errorf("bulk load: triggers: %w", err)
		}
		// The site is whole again: scorecards still stale are refreshed
		// by the next Open if the last step below is cut short.
		if err := tx.Exec("DROP TABLE " + bulkMarker).Error; err != nil {
			return err
		}
		// The pages' Last-Modified moves, as the last write of Import moves it.
		return tx.Exec(`UPDATE site_state SET changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1`).Error
	})
	if err != nil {
		return err
	}
	if err := refreshStale(w); err != nil {
		return err
	}
	return w.Exec("PRAGMA synchronous = NORMAL").Error
}
