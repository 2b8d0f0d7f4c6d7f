package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Rate limits are counted in the database, so that every instance of a site
// behind a load balancer counts the same hits: a row per key and minute
// (a fixed window, as before), moved on by one upsert per hit.

// limitWindow is the length of a rate limit's window.
const limitWindow = time.Minute

// createSharedState is the migration step of what instances share: the
// rate-limit counters, and site_state.version, which every committed write
// that pages show moves (see generation.go). Its SQL runs unchanged on
// SQLite and PostgreSQL (addColumn asks the dialect whether the column is
// there).
func createSharedState(ctx context.Context, tx *gorm.DB, d dialect) error {
	err := execAll(tx, []string{
		"CREATE TABLE IF NOT EXISTS rate_limits (name TEXT PRIMARY KEY, window_start BIGINT NOT NULL, hits INTEGER NOT NULL)",
		"CREATE INDEX IF NOT EXISTS idx_rate_limits_window ON rate_limits (window_start)",
	})
	if err != nil {
		return err
	}
	// A database whose recorded version was put back (a legacy upgrade run
	// again) has the column already.
	return d.addColumn(tx, "site_state", "version", "BIGINT NOT NULL DEFAULT 0")
}

// hitQuery counts one hit of a key in a window: the row of an earlier
// window starts again at 1. One statement, atomic on both engines (the
// upsert locks the row until the transaction ends).
const hitQuery = `INSERT INTO rate_limits (name, window_start, hits) VALUES (?, ?, 1)
ON CONFLICT (name) DO UPDATE SET
hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
window_start = excluded.window_start
RETURNING hits`

// CountHit counts a hit of key (a limit's name and the client it counts,
// e.g. "search|192.0.2.1") in the minute of at, and returns the hits of key
// in that minute, this one included. Once a minute per store it first
// deletes the rows of windows over.
func (s *Store) CountHit(ctx context.Context, key string, at time.Time) (int, error) {
	w := windowOf(at)
	if last := s.swept.Load(); last != w && s.swept.CompareAndSwap(last, w) {
		err := s.w.WithContext(ctx).Table("rate_limits").Exec("DELETE FROM rate_limits WHERE window_start < ?", w).Error
		if err != nil {
			return 0, fmt.Errorf("sweep rate limits: %w", err)
		}
	}
	var hits int
	if err := countHit(s.w.WithContext(ctx), key, w, &hits); err != nil {
		return 0, fmt.Errorf("rate limit %q: %w", key, err)
	}
	return hits, nil
}

// countHit runs hitQuery on db (the writer, or a transaction of it). The
// table is named so that the write moves no site generation (quietTables).
func countHit(db *gorm.DB, key string, window int64, hits *int) error {
	return db.Table("rate_limits").Raw(hitQuery, key, window).Scan(hits).Error
}

// windowOf is the window of the time at: its Unix minute.
func windowOf(at time.Time) int64 { return at.Unix() / int64(limitWindow/time.Second) }

// lockGuest and lockUsers take the rate-limit row of the posters of
// comments inside the comments' transaction, before the flood rule reads
// their latest comment: lockGuest for a guest's post, lockUsers for the
// signed-in posters of a group (ids increasing, each once: two processes
// then never wait for each other). On PostgreSQL the row lock makes a second post of
// the same person wait for the first to commit, so that its check (a
// statement after the lock, with a fresh snapshot under READ COMMITTED)
// sees the first comment. SQLite needs none: its write transactions begin
// IMMEDIATE, so one writer at a time, across every process on the file,
// reads and writes; the row's upsert was a write per comment for nothing.
func (d dialect) lockGuest(tx *gorm.DB, ip string, now time.Time) error {
	if d != postgresDialect {
		return nil
	}
	return lockFlood(tx, "flood|guest|"+AddressKey(ip), now)
}

func (d dialect) lockUsers(tx *gorm.DB, ids []uint, now time.Time) error {
	if d != postgresDialect {
		return nil
	}
	for _, id := range ids {
		if err := lockFlood(tx, "flood|user|"+strconv.FormatUint(uint64(id), 10), now); err != nil {
			return err
		}
	}
	return nil
}

// lockFlood takes the flood-lock row key (see lockGuest).
func lockFlood(tx *gorm.DB, key string, now time.Time) error {
	var hits int
	if err := countHit(tx, key, windowOf(now), &hits); err != nil {
		return fmt.Errorf("flood lock: %w", err)
	}
	return nil
}
