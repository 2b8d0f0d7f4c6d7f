package models

import (
	"strings"
	"testing"

	"gorm.io/gorm"
)

// TestGuestRulesReadTheirIndexes: the returning-guest and guest-flood
// queries, which run on the writer for every guest comment, look the
// guest up instead of reading every approved comment of the site.
func TestGuestRulesReadTheirIndexes(t *testing.T) {
	onPostgres(t, "the plans of SQLite")
	s, _ := newTestStore(t)
	var names []string
	var last []string
	for q, index := range map[string]string{
		s.r.ToSQL(func(tx *gorm.DB) *gorm.DB { return guestNames(tx, "Ann@Example.org", &names) }): "idx_comments_guest_email",
		s.r.ToSQL(func(tx *gorm.DB) *gorm.DB {
			return tx.Model(&Comment{}).Where("user_id IS NULL AND ip = ?", "192.0.2.1").Order("created_at DESC").Limit(1).Pluck("created_at", &last)
		}): "idx_comments_guest_ip",
	} {
		var plan []struct{ Detail string }
		must(t, s.r.Raw("EXPLAIN QUERY PLAN "+q).Scan(&plan).Error)
		if len(plan) == 0 || !strings.Contains(plan[0].Detail, "USING INDEX "+index) {
			t.Errorf("%s: plan %+v, want a search of %s", q, plan, index)
		}
	}
}
