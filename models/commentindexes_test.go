package models

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// sqlRecorder is a GORM logger that keeps the statements it sees, with
// their values written in.
type sqlRecorder struct {
	logger.Interface
	sql []string
}

func (r *sqlRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	q, _ := fc()
	r.sql = append(r.sql, q)
}

// TestCommentRulesReadTheirIndexes: the rules that run on the writer for
// every comment (returning guest, flood by user, by guest address, by
// IPv6 network) and the reply look-up each search an index of the rows
// they read, instead of every approved or guest comment of the site.
func TestCommentRulesReadTheirIndexes(t *testing.T) {
	onPostgres(t, "the plans of SQLite")
	s, _ := newTestStore(t)
	user := uint(1)
	for _, c := range []struct {
		index string
		run   func(tx *gorm.DB) error
	}{
		{"idx_comments_guest_email", func(tx *gorm.DB) error { _, err := knownGuest(tx, "Ann", "Ann@Example.org"); return err }},
		{"idx_comments_user_created", func(tx *gorm.DB) error { return readGroupUsers(tx, []uint{user}, new([]groupUser)) }},
		{"idx_comments_guest_ip", func(tx *gorm.DB) error { _, err := latestGuestComment(tx, "192.0.2.1", testNow); return err }},
		{"idx_comments_guest_created", func(tx *gorm.DB) error {
			_, err := latestGuestComment(tx, "2001:db8::1", testNow)
			return err
		}},
		{"idx_comments_replies", func(tx *gorm.DB) error {
			var n int64
			return tx.Model(&Comment{}).Where("parent_id = ?", 1).Count(&n).Error
		}},
	} {
		rec := &sqlRecorder{Interface: logger.Discard}
		must(t, c.run(s.r.Session(&gorm.Session{Logger: rec})))
		if len(rec.sql) != 1 {
			t.Fatalf("%s: %d statements, want 1: %q", c.index, len(rec.sql), rec.sql)
		}
		var plan []struct{ Detail string }
		must(t, s.r.Raw("EXPLAIN QUERY PLAN "+rec.sql[0]).Scan(&plan).Error)
		// The index searched, and no table scanned (a user's latest
		// comment is a subquery of the users' query).
		searched, scans := false, false
		for _, line := range plan {
			searched = searched || strings.Contains(line.Detail, "USING INDEX "+c.index) || strings.Contains(line.Detail, "USING COVERING INDEX "+c.index)
			scans = scans || strings.HasPrefix(line.Detail, "SCAN ")
		}
		if !searched || scans {
			t.Errorf("%s: plan %+v, want a search of %s", rec.sql[0], plan, c.index)
		}
	}
}
