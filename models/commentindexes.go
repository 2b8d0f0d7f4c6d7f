package models

import (
	"context"

	"gorm.io/gorm"
)

// createCommentIndexes is the migration step that gives each rule read on
// the writer, for every comment, an index of the comments it reads, and
// leaves out of each index the rows it can never serve (a NULL user_id or
// parent_id): a signed-in comment writes four index entries, not seven.
//   - A returning guest (knownGuest) is looked up by lower(author_email):
//     the index on author_email could not serve it, and the query read every
//     approved comment of the site for each guest comment (0.15 s of CPU at
//     100,000 comments).
//   - The guest flood rule (floodWait) reads a guest's latest comment by ip,
//     or, for an IPv6 network, the guest comments of the last FloodInterval
//     by time: it read every guest comment of the site.
//   - The signed-in flood rule reads a user's latest comment: (user_id,
//     created_at) gives it without sorting all of theirs.
func createCommentIndexes(ctx context.Context, tx *gorm.DB, d dialect) error {
	return execAll(tx, []string{
		"DROP INDEX IF EXISTS idx_comments_author_email",
		"CREATE INDEX IF NOT EXISTS idx_comments_guest_email ON comments (lower(author_email)) WHERE user_id IS NULL",
		"DROP INDEX IF EXISTS idx_comments_ip",
		"CREATE INDEX IF NOT EXISTS idx_comments_guest_ip ON comments (ip) WHERE user_id IS NULL",
		"CREATE INDEX IF NOT EXISTS idx_comments_guest_created ON comments (created_at) WHERE user_id IS NULL",
		"DROP INDEX IF EXISTS idx_comments_user_id",
		"CREATE INDEX IF NOT EXISTS idx_comments_user_created ON comments (user_id, created_at) WHERE user_id IS NOT NULL",
		"DROP INDEX IF EXISTS idx_comments_parent_id",
		"CREATE INDEX IF NOT EXISTS idx_comments_replies ON comments (parent_id) WHERE parent_id IS NOT NULL",
	})
}
