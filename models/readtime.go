package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// wordsPerMinute is how fast a reader reads a story, for its reading time.
const wordsPerMinute = 230

// ReadingMinutes is how long text takes to read, in whole minutes rounded
// up; 0 for a text without words. It is computed when a story is saved, so
// that a page view only shows it.
func ReadingMinutes(text string) int {
	n := len(strings.Fields(text))
	return (n + wordsPerMinute - 1) / wordsPerMinute
}

// createWritingStats adds what the writing pages show: the stories'
// reading time (filled for the stories saved before), the daily reads of
// each story, and the author's links.
func createWritingStats(ctx context.Context, tx *gorm.DB, d dialect) error {
	for _, c := range []struct{ table, column, def string }{
		{"stories", "reading_minutes", "integer NOT NULL DEFAULT 0"},
		{"users", "links", "text NOT NULL DEFAULT ''"},
	} {
		if err := d.addColumn(tx, c.table, c.column, c.def); err != nil {
			return err
		}
	}
	err := execAll(tx, []string{
		"CREATE TABLE IF NOT EXISTS `read_salts` (`day` text PRIMARY KEY,`salt` blob NOT NULL)",
		"CREATE TABLE IF NOT EXISTS `story_reads` (`story_id` integer NOT NULL,`day` text NOT NULL,`visitor` text NOT NULL," +
			"PRIMARY KEY (`story_id`,`day`,`visitor`))",
		"CREATE TABLE IF NOT EXISTS `story_read_counts` (`story_id` integer PRIMARY KEY,`reads` integer NOT NULL DEFAULT 0)",
	})
	if err != nil {
		return err
	}
	var rows []struct {
		ID   uint
		Text string
	}
	return tx.Table("stories").Select("id, plain_text AS text").FindInBatches(&rows, 500, func(b *gorm.DB, _ int) error {
		for _, r := range rows {
			if err := b.Table("stories").Where("id = ?", r.ID).UpdateColumn("reading_minutes", ReadingMinutes(r.Text)).Error; err != nil {
				return fmt.Errorf("reading time of story %d: %w", r.ID, err)
			}
		}
		return nil
	}).Error
}
