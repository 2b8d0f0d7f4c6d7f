package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"doleances/models/pii"
)

// The migration steps of trust and safety (appended to migrations).

// addShownPII adds the list of texts a writer chose to show although they
// look like personal data.
func addShownPII(ctx context.Context, tx *gorm.DB, d dialect) error {
	for _, table := range []string{"stories", "pending_edits"} {
		if err := d.addColumn(tx, table, "shown_pii", "text NOT NULL DEFAULT ''"); err != nil {
			return fmt.Errorf("%s.shown_pii: %w", table, err)
		}
	}
	return nil
}

// createSafetyTables creates the notices, the audit log (append-only: its
// triggers refuse UPDATE and DELETE) and the legal pages.
func createSafetyTables(ctx context.Context, tx *gorm.DB, d dialect) error {
	return execAll(tx, append([]string{
		"CREATE TABLE IF NOT EXISTS `notices` (`id` integer PRIMARY KEY AUTOINCREMENT,`url` text NOT NULL,`story_id` integer NOT NULL," +
			"`comment_id` integer NOT NULL DEFAULT 0,`author_id` integer NOT NULL DEFAULT 0,`reason` text NOT NULL,`explanation` text NOT NULL," +
			"`name` text NOT NULL DEFAULT '',`email` text NOT NULL DEFAULT '',`good_faith` numeric NOT NULL,`state` text NOT NULL DEFAULT 'open'," +
			"`created_at` datetime,`decision` text NOT NULL DEFAULT '',`reasons` text NOT NULL DEFAULT '',`passage` text NOT NULL DEFAULT ''," +
			"`decided_at` datetime,`decider_id` integer NOT NULL DEFAULT 0,`appeal` text NOT NULL DEFAULT '',`appealed_at` datetime," +
			"`appeal_outcome` text NOT NULL DEFAULT '',`appeal_reasons` text NOT NULL DEFAULT '',`appeal_decided_at` datetime)",
		"CREATE INDEX IF NOT EXISTS `idx_notices_state` ON `notices`(`state`)",
		"CREATE INDEX IF NOT EXISTS `idx_notices_author_id` ON `notices`(`author_id`)",
		"CREATE INDEX IF NOT EXISTS `idx_notices_story_id` ON `notices`(`story_id`)",
		"CREATE TABLE IF NOT EXISTS `legal_pages` (`slug` text,`title` text NOT NULL,`body` text NOT NULL,`html` text NOT NULL," +
			"`updated_at` datetime,PRIMARY KEY (`slug`))",
		"CREATE TABLE IF NOT EXISTS `audit_entries` (`id` integer PRIMARY KEY AUTOINCREMENT,`at` datetime NOT NULL,`actor_id` integer," +
			"`actor_name` text NOT NULL DEFAULT '',`action` text NOT NULL,`target` text NOT NULL DEFAULT '',`detail` text NOT NULL DEFAULT '')",
		"CREATE INDEX IF NOT EXISTS `idx_audit_entries_at` ON `audit_entries`(`at`)",
	}, auditTriggers...))
}

// maskStoriesSaved masks the personal data of the stories and updates
// saved before masking existed. Only texts in which the detector finds
// something are rendered again (a scan of each text, no Markdown work for
// the others).
func maskStoriesSaved(ctx context.Context, tx *gorm.DB, d dialect) error {
	for _, table := range []string{"stories", "story_updates"} {
		err := rerender(tx, table, func(body string) (map[string]any, error) {
			rd, err := RenderStory(body)
			cols := map[string]any{"html": rd.HTML}
			if table == "stories" {
				cols["excerpt"], cols["plain_text"] = rd.Excerpt, rd.Text
			}
			return cols, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// maskCommentsSaved masks the personal data of the comments, company
// replies and follow-ups saved before comments were masked, as
// maskStoriesSaved does for stories.
func maskCommentsSaved(ctx context.Context, tx *gorm.DB, d dialect) error {
	for _, table := range []string{"comments", "company_replies", "company_follow_ups"} {
		err := rerender(tx, table, func(body string) (map[string]any, error) {
			html, err := RenderComment(body)
			return map[string]any{"html": html}, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// rerender gives the rows of table whose body holds personal data the
// columns render returns, 500 rows read at a time.
func rerender(tx *gorm.DB, table string, render func(body string) (map[string]any, error)) error {
	var rows []struct {
		ID   uint
		Body string
	}
	err := tx.Table(table).Select("id, body").FindInBatches(&rows, 500, func(_ *gorm.DB, _ int) error {
		for _, r := range rows {
			if len(pii.Find(r.Body)) == 0 {
				continue
			}
			cols, err := render(r.Body)
			if err != nil {
				return err
			}
			if err := tx.Table(table).Where("id = ?", r.ID).UpdateColumns(cols).Error; err != nil {
				return err
			}
		}
		return nil
	}).Error
	if err != nil {
		return fmt.Errorf("mask %s: %w", table, err)
	}
	return nil
}
