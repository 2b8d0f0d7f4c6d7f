package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// companySideTables are the tables and indexes of step 7: who represents
// which company, the email domains companies own, official replies and
// their follow-ups.
var companySideTables = []string{
	"CREATE TABLE IF NOT EXISTS `company_representatives` (`company_id` integer,`user_id` integer,`created_at` datetime," +
		"PRIMARY KEY (`company_id`,`user_id`)," +
		"CONSTRAINT `fk_company_representatives_company` FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON DELETE CASCADE," +
		"CONSTRAINT `fk_company_representatives_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE)",
	"CREATE INDEX IF NOT EXISTS `idx_company_representatives_user_id` ON `company_representatives`(`user_id`)",
	"CREATE TABLE IF NOT EXISTS `company_domains` (`domain` text,`company_id` integer NOT NULL,PRIMARY KEY (`domain`)," +
		"CONSTRAINT `fk_company_domains_company` FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON DELETE CASCADE)",
	"CREATE INDEX IF NOT EXISTS `idx_company_domains_company_id` ON `company_domains`(`company_id`)",
	"CREATE TABLE IF NOT EXISTS `company_replies` (`id` integer PRIMARY KEY AUTOINCREMENT,`story_id` integer NOT NULL," +
		"`company_id` integer NOT NULL,`user_id` integer NOT NULL,`kind` text NOT NULL,`body` text NOT NULL,`html` text NOT NULL," +
		"`created_at` datetime," +
		"CONSTRAINT `fk_company_replies_story` FOREIGN KEY (`story_id`) REFERENCES `stories`(`id`)," +
		"CONSTRAINT `fk_company_replies_company` FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`)," +
		"CONSTRAINT `fk_company_replies_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`))",
	"CREATE UNIQUE INDEX IF NOT EXISTS `idx_company_replies_story_id` ON `company_replies`(`story_id`)",
	"CREATE INDEX IF NOT EXISTS `idx_company_replies_company_id` ON `company_replies`(`company_id`)",
	"CREATE INDEX IF NOT EXISTS `idx_company_replies_user_id` ON `company_replies`(`user_id`)",
	"CREATE TABLE IF NOT EXISTS `company_follow_ups` (`id` integer PRIMARY KEY AUTOINCREMENT,`reply_id` integer NOT NULL," +
		"`user_id` integer NOT NULL,`body` text NOT NULL,`html` text NOT NULL,`created_at` datetime," +
		"CONSTRAINT `fk_company_replies_follow_ups` FOREIGN KEY (`reply_id`) REFERENCES `company_replies`(`id`)," +
		"CONSTRAINT `fk_company_follow_ups_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`))",
	"CREATE INDEX IF NOT EXISTS `idx_company_follow_ups_reply_id` ON `company_follow_ups`(`reply_id`)",
	"CREATE INDEX IF NOT EXISTS `idx_company_follow_ups_created_at` ON `company_follow_ups`(`created_at`)",
	// The scorecard's recompute reads one company's published stories from
	// this index alone: the columns it needs come after the story's text in
	// its row, and reading each row cost 20 ms a write at 10,000 stories.
	"CREATE INDEX IF NOT EXISTS `idx_stories_company_stats` ON `stories`(`company_id`,`status`,`published_at`," +
		"`replied_at`,`resolved_at`,`resolution`,`me_too_count`)",
	companyStatsTable,
	"CREATE INDEX IF NOT EXISTS `idx_company_stats_category` ON `company_stats`(`category_id`)",
	"CREATE TABLE IF NOT EXISTS `company_stats_stale` (`company_id` integer PRIMARY KEY)",
	// Reports of official replies: the unique index of reports widens.
	"DROP INDEX IF EXISTS `idx_reports_target`",
}

// createCompanySide is step 7: the tables above, the columns stories,
// companies and reports gain, and the scorecards with their triggers,
// computed once for every company.
func createCompanySide(ctx context.Context, tx *gorm.DB, d dialect) error {
	for _, c := range []struct{ table, column, def string }{
		{"stories", "replied_at", "datetime"},
		{"stories", "resolved_at", "datetime"},
		{"companies", "website", "text NOT NULL DEFAULT ''"},
		{"reports", "reply_id", "integer NOT NULL DEFAULT 0"},
	} {
		if err := d.addColumn(tx, c.table, c.column, c.def); err != nil {
			return fmt.Errorf("%s.%s: %w", c.table, c.column, err)
		}
	}
	stmts := slices.Concat(companySideTables, []string{
		"CREATE UNIQUE INDEX IF NOT EXISTS `idx_reports_target_v2` ON `reports`(`user_id`,`story_id`,`comment_id`,`reply_id`)"})
	if err := execAll(tx, stmts); err != nil {
		return fmt.Errorf("company side: %w", err)
	}
	if err := createStatsTriggers(tx); err != nil {
		return err
	}
	var ids []uint
	if err := tx.Model(&Company{}).Pluck("id", &ids).Error; err != nil {
		return err
	}
	return refreshStats(tx, ids...)
}
