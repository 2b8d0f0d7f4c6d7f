package models

import (
	"context"

	"gorm.io/gorm"
)

// createMail is step 5, email: the outbox, follows, confirmed
// addresses and digest items; the mailed links' address, next page and
// follow; the mail state of comments, stories and reports; a comment's
// "email me replies"; a user's mail switches.
func createMail(ctx context.Context, tx *gorm.DB, d dialect) error {
	err := execAll(tx, []string{
		"CREATE TABLE IF NOT EXISTS `outbox` (`id` integer PRIMARY KEY AUTOINCREMENT,`to_addr` text NOT NULL,`kind` text NOT NULL," +
			"`subject` text NOT NULL,`text` text NOT NULL,`html` text NOT NULL,`status` text NOT NULL,`attempts` integer NOT NULL DEFAULT 0," +
			"`unsubscribe` text NOT NULL DEFAULT '',`next_at` datetime,`last_error` text NOT NULL DEFAULT '',`created_at` datetime,`sent_at` datetime)",
		"CREATE INDEX IF NOT EXISTS `idx_outbox_created` ON `outbox`(`created_at`)",
		"CREATE INDEX IF NOT EXISTS `idx_outbox_due` ON `outbox`(`status`,`next_at`)",
		"CREATE INDEX IF NOT EXISTS `idx_outbox_to` ON `outbox`(`to_addr`,`kind`,`created_at`)",
		"CREATE TABLE IF NOT EXISTS `follows` (`id` integer PRIMARY KEY AUTOINCREMENT,`email` text NOT NULL,`user_id` integer," +
			"`kind` text NOT NULL,`target_id` integer NOT NULL,`label` text NOT NULL,`path` text NOT NULL," +
			"`digest` numeric NOT NULL DEFAULT false,`confirmed` numeric NOT NULL DEFAULT false,`confirmed_at` datetime," +
			"`created_at` datetime,`last_digest_at` datetime)",
		"CREATE INDEX IF NOT EXISTS `idx_follows_user_id` ON `follows`(`user_id`)",
		"CREATE UNIQUE INDEX IF NOT EXISTS `idx_follows_target` ON `follows`(`kind`,`target_id`,`email`)",
		"CREATE TABLE IF NOT EXISTS `email_addresses` (`email` text,`confirmed_at` datetime,PRIMARY KEY (`email`))",
		"CREATE TABLE IF NOT EXISTS `digest_items` (`id` integer PRIMARY KEY AUTOINCREMENT,`follow_id` integer NOT NULL," +
			"`title` text NOT NULL,`url` text NOT NULL,`created_at` datetime," +
			"CONSTRAINT `fk_digest_items_follow` FOREIGN KEY (`follow_id`) REFERENCES `follows`(`id`) ON DELETE CASCADE)",
		"CREATE INDEX IF NOT EXISTS `idx_digest_items_follow_id` ON `digest_items`(`follow_id`)",
	})
	if err != nil {
		return err
	}
	for _, c := range []struct{ table, column, definition string }{
		{"one_time_tokens", "email", "text NOT NULL DEFAULT ''"},
		{"one_time_tokens", "next", "text NOT NULL DEFAULT ''"},
		{"one_time_tokens", "follow_id", "integer"},
		{"comments", "notify", "numeric NOT NULL DEFAULT false"},
		{"comments", "mail_state", "integer NOT NULL DEFAULT 0"},
		{"stories", "mail_state", "integer NOT NULL DEFAULT 0"},
		{"reports", "mail_state", "integer NOT NULL DEFAULT 0"},
		{"users", "mute_comment_mail", "numeric NOT NULL DEFAULT false"},
		{"users", "mute_moderation_mail", "numeric NOT NULL DEFAULT false"},
	} {
		if err := d.addColumn(tx, c.table, c.column, c.definition); err != nil {
			return err
		}
	}
	// Held comments that are never approved keep their mail state: the
	// notifier looks for the approved ones among them by both columns.
	return execAll(tx, []string{
		"CREATE INDEX IF NOT EXISTS `idx_comments_mail` ON `comments`(`mail_state`,`status`)",
		"CREATE INDEX IF NOT EXISTS `idx_stories_mail_state` ON `stories`(`mail_state`)",
		"CREATE INDEX IF NOT EXISTS `idx_reports_mail_state` ON `reports`(`mail_state`)",
	})
}
