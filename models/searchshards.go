package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// The search index in shards. FTS4 reads the whole leaf that holds a word
// (and, for a word it does not hold, the leaf where it would be) before the
// first row of a query, and a merged index keeps each word's doclist whole
// in one leaf: at 1,000,000 stories and 10,000,000 comments the comment
// index had 112 leaves of 5.6 MB on average (23 MB for the largest), so a
// search read megabytes of doclists even for a word that no comment holds,
// and its median was twice that of a 1,000-story site.
//
// So each story and its comments are indexed in the shard of the story's
// id: ids 0 to 4,095 in shard 0, 4,096 to 8,191 in shard 1, and so on.
// FTS4 keeps the segments of each languageid apart and a MATCH reads only
// those of the languageid it names; the shard is that languageid (lid), a
// column of the text tables computed from the docid. A search reads a span
// of SearchSpan stories, so one or two shards whatever the size of the
// site. PostgreSQL's GIN index has no such cost and no shards: its lid is
// a column of the views the triggers write through, and its queries read
// the whole span at once.

// searchShardBits is the number of low bits of a story id that do not
// change within a shard: SearchShard stories a shard.
const searchShardBits = 12

// SearchShard is the number of stories, by id, in one shard of the index.
const SearchShard = 1 << searchShardBits

// storyShard is the shard of the story whose docid the SQL expression
// docid gives; commentShard that of a comment's docid (commentDocid).
func storyShard(docid string) string {
	return fmt.Sprintf("((%s) >> %d)", docid, searchShardBits)
}

func commentShard(docid string) string {
	return fmt.Sprintf("((%s) >> %d)", docid, 32+searchShardBits)
}

// The index tables in shards (the text tables gain their lid column).
const (
	shardedSearchTable = `CREATE VIRTUAL TABLE IF NOT EXISTS story_search USING fts4(
	content="story_search_text", title, body, tags, company, languageid="lid", order=DESC, tokenize=unicode61 "remove_diacritics=2")`
	shardedCommentSearchTable = `CREATE VIRTUAL TABLE IF NOT EXISTS comment_search USING fts4(
	content="comment_search_text", body, languageid="lid", order=DESC, tokenize=unicode61 "remove_diacritics=2")`
)

// shardSearchIndex is the migration step: the text tables' lid columns,
// the index tables made again in shards and filled from the text tables,
// then merged to one segment a shard, and the triggers that write the lid.
// On PostgreSQL, the views gain lid and the triggers are replaced.
func shardSearchIndex(ctx context.Context, tx *gorm.DB, d dialect) error {
	var stmts []string
	for _, t := range searchTriggers {
		stmts = append(stmts, "DROP TRIGGER IF EXISTS "+v5Triggers+t.name, "DROP TRIGGER IF EXISTS "+searchTriggerVersion+t.name)
	}
	if d == postgresDialect {
		stmts = append(stmts,
			"CREATE OR REPLACE VIEW story_search AS SELECT *, "+storyShard("docid")+" AS lid FROM story_search_text",
			"CREATE OR REPLACE VIEW comment_search AS SELECT *, "+commentShard("docid")+" AS lid FROM comment_search_text")
	} else {
		for table, shard := range map[string]string{"story_search_text": storyShard("docid"), "comment_search_text": commentShard("docid")} {
			// pragma_table_info leaves generated columns out (addColumn reads it).
			var n int64
			if err := tx.Raw("SELECT count(*) FROM pragma_table_xinfo(?) WHERE name = 'lid'", table).Scan(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				stmts = append(stmts, "ALTER TABLE "+table+" ADD COLUMN lid INTEGER GENERATED ALWAYS AS "+shard+" VIRTUAL")
			}
		}
		stmts = append(stmts, "DROP TABLE IF EXISTS story_search", "DROP TABLE IF EXISTS comment_search",
			shardedSearchTable, shardedCommentSearchTable,
			"INSERT INTO story_search(story_search) VALUES('rebuild')",
			"INSERT INTO comment_search(comment_search) VALUES('rebuild')")
	}
	for _, t := range searchTriggers {
		stmts = append(stmts, searchTriggerSQL(searchTriggerVersion, t))
	}
	if err := execAll(tx, stmts); err != nil {
		return fmt.Errorf("search shards: %w", err)
	}
	if d == postgresDialect {
		return nil
	}
	return optimizeSearch(tx)
}

// searchShard is the part of a search's span that one shard holds: the
// stories lo to hi of shard lid.
type searchShard struct{ lid, lo, hi uint }

// shards are the parts of the span of stories lo to hi, newest first; on
// PostgreSQL, the whole span.
func (d dialect) shards(lo, hi uint) []searchShard {
	if d == postgresDialect {
		return []searchShard{{lo: lo, hi: hi}}
	}
	var out []searchShard
	for lid := hi >> searchShardBits; ; lid-- {
		sh := searchShard{lid, max(lo, lid<<searchShardBits), min(hi, (lid+1)<<searchShardBits-1)}
		out = append(out, sh)
		if lid == 0 || sh.lo == lo {
			return out
		}
	}
}

// inShard is the condition that a row of table (story_search or
// comment_search) is in the shard sh, and its argument.
func (d dialect) inShard(table string, sh searchShard) (string, []any) {
	if d == postgresDialect {
		return "", nil
	}
	return " AND " + table + ".lid = ?", []any{sh.lid}
}
