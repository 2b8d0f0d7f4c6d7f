package models

import (
	"context"

	"gorm.io/gorm"
)

// createGuestIndexes is the migration step that gives the two guest rules
// the indexes they read, and only guest comments (a signed-in comment adds
// no row to either):
//   - a returning guest (knownGuest) is looked up by lower(author_email):
//     the index on author_email could not serve it, and the query read every
//     approved comment of the site, on the writer, for each guest comment
//     (0.15 s of CPU at 100,000 comments);
//   - the guest flood rule (floodWait) reads a guest's comments by ip.
func createGuestIndexes(ctx context.Context, tx *gorm.DB, d dialect) error {
	return execAll(tx, []string{
		"DROP INDEX IF EXISTS idx_comments_author_email",
		"CREATE INDEX IF NOT EXISTS idx_comments_guest_email ON comments (lower(author_email)) WHERE user_id IS NULL",
		"DROP INDEX IF EXISTS idx_comments_ip",
		"CREATE INDEX IF NOT EXISTS idx_comments_guest_ip ON comments (ip) WHERE user_id IS NULL",
	})
}
