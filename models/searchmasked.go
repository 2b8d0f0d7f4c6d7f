package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"doleances/models/pii"
)

// The comment search index holds a comment's text with its personal data
// masked, as its page and its search snippet show it: a search for a phone
// number or an email address someone pasted into a comment must not find
// it. The masking is Go's (package pii), so the text is stored beside the
// body, in comments.masked_body, when it differs from it (NULL otherwise),
// and the triggers index COALESCE(masked_body, body).

// maskedSource is what the index holds of the comment c.
const maskedSource = "COALESCE(c.masked_body, c.body)"

// indexMaskedComments is the migration step: the column, the triggers that
// read it (under v5Triggers; the earlier ones read the body), and
// the comments already saved with personal data, whose index rows the
// update trigger makes again from the masked text. Every mask holds the
// mask character, which masked comments' HTML has had since
// maskCommentsSaved: only those are read back and scanned.
func indexMaskedComments(ctx context.Context, tx *gorm.DB, d dialect) error {
	if err := d.addColumn(tx, "comments", "masked_body", "text"); err != nil {
		return err
	}
	var stmts []string
	for _, t := range v5SearchTriggers {
		stmts = append(stmts, "DROP TRIGGER IF EXISTS "+v4Triggers+t.name, searchTriggerSQL(v5Triggers, t))
	}
	if err := execAll(tx, stmts); err != nil {
		return fmt.Errorf("search triggers: %w", err)
	}
	var rows []struct {
		ID   uint
		Body string
	}
	err := tx.Table("comments").Select("id, body").Where("html LIKE ?", "%"+pii.MaskChar+"%").
		FindInBatches(&rows, 500, func(_ *gorm.DB, _ int) error {
			for _, r := range rows {
				masked := pii.Mask(r.Body, nil)
				if masked == r.Body {
					continue
				}
				// The body is set again so that the index's update trigger runs.
				err := tx.Table("comments").Where("id = ?", r.ID).
					UpdateColumns(map[string]any{"body": r.Body, "masked_body": masked}).Error
				if err != nil {
					return err
				}
			}
			return nil
		}).Error
	if err != nil {
		return fmt.Errorf("mask comment index: %w", err)
	}
	return nil
}
