package models

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"
	"gorm.io/gorm"
)

// The search index is two FTS4 tables (FTS5 needs the sqlite_fts5 build tag
// of mattn/go-sqlite3, which plain "go run ." and "go test ./..." do not set):
// story_search holds the text of each published story, docid = story id;
// comment_search holds each approved comment of a published story, docid =
// commentDocid. SQLite triggers keep both in step with every write to
// stories, their tags, their company and their comments, so a query never
// rebuilds anything, and a new comment costs one small insert instead of
// re-indexing its story with every other comment.
//
// Both keep their doclists newest first (order=DESC): a search reads them
// from the newest match and stops after the window it ranks, or at the
// oldest story of its span, instead of loading every match of a common word.
//
// Both are external-content tables: the text they index is kept in
// story_search_text and comment_search_text, written by the same triggers
// (the index is removed before its text, which FTS4 reads to know what to
// remove). On a table that keeps its own content, FTS4 loads the whole
// doclist of the rarest word of a query of two or more words, or of a
// phrase, before the first row, so such a query cost in proportion to the
// site (6 ms at 100,000 stories for "registered letter"); on an
// external-content table it reads every word newest first, as it does a
// single word, and stops where the search stops.
const (
	searchTable = `CREATE VIRTUAL TABLE IF NOT EXISTS story_search USING fts4(
	content="story_search_text", title, body, tags, company, order=DESC, tokenize=unicode61 "remove_diacritics=2")`
	searchTextTable = `CREATE TABLE IF NOT EXISTS story_search_text (
	docid INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, tags TEXT NOT NULL, company TEXT NOT NULL)`
	commentSearchTable = `CREATE VIRTUAL TABLE IF NOT EXISTS comment_search USING fts4(
	content="comment_search_text", body, order=DESC, tokenize=unicode61 "remove_diacritics=2")`
	commentSearchTextTable = `CREATE TABLE IF NOT EXISTS comment_search_text (docid INTEGER PRIMARY KEY, body TEXT NOT NULL)`
)

// commentDocid is the docid of a comment in comment_search, from SQL
// expressions for its story id and its id: the story id in the high 32 bits,
// so that comments sort by story, newest story first, as stories do.
// Comment ids stay below 2^32.
func commentDocid(storyID, id string) string {
	return fmt.Sprintf("((%s) * 4294967296 + (%s))", storyID, id)
}

// storyComments is the docid range of the comments of the story whose id
// the SQL expression id gives.
func storyComments(id string) string {
	return fmt.Sprintf("docid BETWEEN (%[1]s) * 4294967296 AND (%[1]s) * 4294967296 + 4294967295", id)
}

// commentDocids is the range of docids of the comments of the stories with
// ids lo to hi.
func commentDocids(lo, hi uint) (first, last uint64) {
	return uint64(lo) << 32, uint64(hi)<<32 | 0xFFFFFFFF
}

// Columns of story_search, in order; colComments stands for comment_search.
const (
	colTitle = iota
	colBody
	colTags
	colCompany
	colComments
	searchCols
)

// reindexSQL rebuilds the index rows of the stories whose ids the subquery
// %[1]s selects: out of the index, then out of its text table, then the text
// of those that are published into both; %[2]s and %[3]s are the index's
// shard column and its value (searchIndex).
const reindexSQL = `DELETE FROM story_search WHERE docid IN (%[1]s);
	DELETE FROM story_search_text WHERE docid IN (%[1]s);
	INSERT INTO story_search_text(docid, title, body, tags, company)
	SELECT st.id, st.title, st.plain_text,
		COALESCE((SELECT group_concat(t.name, ' ') FROM story_tags sg JOIN tags t ON t.id = sg.tag_id WHERE sg.story_id = st.id), ''),
		COALESCE((SELECT name FROM companies WHERE id = st.company_id), '')
	FROM stories st WHERE st.id IN (%[1]s) AND +st.status = 'published';
	INSERT INTO story_search(docid, title, body, tags, company%[2]s)
	SELECT docid, title, body, tags, company%[3]s FROM story_search_text WHERE docid IN (%[1]s);`

// The unary + above keeps the planner off the status index: inside a
// trigger it cannot tell that the id list is one or two rows long, and
// preferred scanning every published story (15 ms a comment at 100,000
// stories) to looking the ids up.

// indexCommentsSQL indexes the approved comments that the condition %[1]s
// (on comments c) selects, if their story is published; %[2]s is a
// condition on docid that holds for them and for no other indexed comment;
// %[3]s is the text indexed (an expression on c); %[4]s and %[5]s are the
// index's shard column and its value (searchIndex).
var indexCommentsSQL = `INSERT INTO comment_search_text(docid, body)
	SELECT ` + commentDocid("c.story_id", "c.id") + `, %[3]s FROM comments c
	WHERE %[1]s AND c.status = 'approved'
	AND (SELECT status FROM stories WHERE id = c.story_id) = 'published';
	INSERT INTO comment_search(docid, body%[4]s) SELECT docid, body%[5]s FROM comment_search_text WHERE %[2]s;`

// indexCommentRangeSQL indexes the approved comments of the published
// stories with ids %[1]d to %[2]d, whose docids are %[3]d to %[4]d
// (commentDocids), with the text %[5]s; %[6]s and %[7]s are the index's
// shard column and its value (searchIndex). The unary + keeps the planner on
// the comments' story index: given a range of stories and an equality on status
// it took the status index and read every approved comment of the site, in
// each batch of an import (0.2 s a batch at 100,000 comments, ten times that
// at 1,000,000: most of a seed's time, and its system time).
var indexCommentRangeSQL = `INSERT INTO comment_search_text(docid, body)
	SELECT ` + commentDocid("c.story_id", "c.id") + `, %[5]s FROM comments c
	WHERE c.story_id BETWEEN %[1]d AND %[2]d AND +c.status = 'approved'
	AND (SELECT status FROM stories WHERE id = c.story_id) = 'published';
	INSERT INTO comment_search(docid, body%[6]s) SELECT docid, body%[7]s FROM comment_search_text
	WHERE docid BETWEEN %[3]d AND %[4]d;`

// unindexCommentsSQL removes the comments whose docids the condition %s
// selects from the index, then from its text table.
const unindexCommentsSQL = "DELETE FROM comment_search WHERE %[1]s;\nDELETE FROM comment_search_text WHERE %[1]s;"

// searchTriggerVersion is in the names of the search triggers; the legacy
// upgrade drops those of earlier versions, and a step that changes them
// drops these and makes new ones under a new name.
const searchTriggerVersion = "search_v6_" // v6: the index in shards (searchshards.go)

// v4Triggers is the version of the triggers of step 1, which indexed a
// comment's body as typed (v4SearchTriggers).
const v4Triggers = "search_v4_"

// v5Triggers is the version of the triggers that indexed comments masked
// (searchmasked.go) in the index of step 1, before its shards.
const v5Triggers = "search_v5_"

// searchIndex is the form of the index tables that the SQL writing them is
// made for: the columns an insert into story_search and comment_search
// names after the text's, and their values, read from the text tables.
type searchIndex struct{ storyCols, storyVals, commentCols, commentVals string }

var (
	// unsharded is the index of step 1: one set of segments per table.
	unsharded = searchIndex{}
	// sharded is the index in shards (searchshards.go): each row goes to
	// the shard of its story, which FTS4 takes as its languageid.
	sharded = searchIndex{", lid", ", " + storyShard("docid"), ", lid", ", " + commentShard("docid")}
)

// searchTrigger is a trigger that keeps the index in step: it runs body
// after event.
type searchTrigger struct{ name, event, body string }

// searchTriggersFor are the search triggers, indexing source (an expression
// on comments c) as a comment's text.
func searchTriggersFor(source string, ix searchIndex) []searchTrigger {
	unindexComment := fmt.Sprintf(unindexCommentsSQL, "docid = "+commentDocid("OLD.story_id", "OLD.id"))
	indexComment := ix.indexComments("c.id = NEW.id", "docid = "+commentDocid("NEW.story_id", "NEW.id"), source)
	// The comments of the story NEW.id, whose status changed.
	storyCommentsSQL := fmt.Sprintf(unindexCommentsSQL, storyComments("NEW.id")) + "\n" +
		ix.indexComments("c.story_id = NEW.id", storyComments("NEW.id"), source)
	reindexFor := ix.reindexFor
	return []searchTrigger{
		{"story_ins", "AFTER INSERT ON stories", reindexFor("SELECT NEW.id")},
		{"story_upd", "AFTER UPDATE OF title, plain_text, status, company_id ON stories", reindexFor("SELECT NEW.id UNION SELECT OLD.id")},
		{"story_status", "AFTER UPDATE OF status ON stories WHEN OLD.status IS NOT NEW.status", storyCommentsSQL},
		{"story_del", "AFTER DELETE ON stories", reindexFor("SELECT OLD.id") + "\n" + fmt.Sprintf(unindexCommentsSQL, storyComments("OLD.id"))},
		{"tag_link_ins", "AFTER INSERT ON story_tags", reindexFor("SELECT NEW.story_id")},
		{"tag_link_del", "AFTER DELETE ON story_tags", reindexFor("SELECT OLD.story_id")},
		{"tag_upd", "AFTER UPDATE OF name ON tags", reindexFor("SELECT story_id FROM story_tags WHERE tag_id = NEW.id")},
		{"company_upd", "AFTER UPDATE OF name ON companies", reindexFor("SELECT id FROM stories WHERE company_id = NEW.id")},
		{"comment_ins", "AFTER INSERT ON comments WHEN NEW.status = 'approved'", indexComment},
		{"comment_upd", "AFTER UPDATE OF body, status, story_id ON comments", unindexComment + "\n" + indexComment},
		{"comment_del", "AFTER DELETE ON comments WHEN OLD.status = 'approved'", unindexComment},
	}
}

var (
	// searchTriggers are the current triggers (searchTriggerVersion).
	searchTriggers = searchTriggersFor(maskedSource, sharded)
	// v4SearchTriggers are step 1's (v4Triggers).
	v4SearchTriggers = searchTriggersFor("c.body", unsharded)
	// v5SearchTriggers are those of the step that masked comments (v5Triggers).
	v5SearchTriggers = searchTriggersFor(maskedSource, unsharded)
)

// reindexFor is reindexSQL for the stories that ids selects.
func (ix searchIndex) reindexFor(ids string) string {
	return fmt.Sprintf(reindexSQL, ids, ix.storyCols, ix.storyVals)
}

// indexComments is indexCommentsSQL for the comments that cond selects,
// whose docids docids selects, with the text source.
func (ix searchIndex) indexComments(cond, docids, source string) string {
	return fmt.Sprintf(indexCommentsSQL, cond, docids, source, ix.commentCols, ix.commentVals)
}

// changeTables are the tables whose writes change what some page shows; any
// write to them moves site_state.changed_at, the Last-Modified of the pages.
var changeTables = []string{"stories", "comments", "tags", "story_tags", "story_categories", "categories", "companies", "users"}

// reindex rebuilds the index rows of the stories with ids lo to hi and of
// their comments in the index ix, indexing source as a comment's text
// (maskedSource, but in step 1). It runs the statements one by one: a prepared statement runs only
// the first statement of its text.
func reindex(db *gorm.DB, lo, hi uint, source string, ix searchIndex) error {
	stmts := strings.SplitAfter(ix.reindexFor(fmt.Sprintf("SELECT id FROM stories WHERE id BETWEEN %d AND %d", lo, hi)), ";")
	first, last := commentDocids(lo, hi)
	stmts = append(stmts, strings.SplitAfter(fmt.Sprintf(unindexCommentsSQL, fmt.Sprintf("docid BETWEEN %d AND %d", first, last)), ";")...)
	stmts = append(stmts, strings.SplitAfter(fmt.Sprintf(indexCommentRangeSQL, lo, hi, first, last, source, ix.commentCols, ix.commentVals), ";")...)
	for _, q := range stmts {
		if strings.TrimSpace(q) == "" {
			continue
		}
		if err := db.Exec(q).Error; err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// searchTriggerSQL creates the search trigger t under version.
func searchTriggerSQL(version string, t searchTrigger) string {
	return fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s%s %s BEGIN\n%s\nEND", version, t.name, t.event, t.body)
}

// searchIndexIsCurrent says whether story_search and comment_search exist
// in their current form; a database from before them, with the one-table
// index or the tables holding their own text of earlier versions, is
// indexed again once.
func searchIndexIsCurrent(db *gorm.DB) (bool, error) {
	var sql []string
	if err := db.Raw("SELECT sql FROM sqlite_master WHERE name IN ('story_search', 'comment_search')").Scan(&sql).Error; err != nil {
		return false, err
	}
	current := len(sql) == 2
	for _, q := range sql {
		current = current && strings.Contains(q, "order=DESC") && strings.Contains(q, `content="`)
	}
	return current, nil
}

// dropOldSearch drops the search index of a legacy database if it is not in
// its current form, and the search triggers of earlier versions; it says
// whether the index was current (if not, it must be filled again).
func dropOldSearch(tx *gorm.DB) (current bool, err error) {
	current, err = searchIndexIsCurrent(tx)
	if err != nil {
		return false, err
	}
	var stmts []string
	if !current {
		stmts = append(stmts, "DROP TABLE IF EXISTS story_search", "DROP TABLE IF EXISTS comment_search",
			"DROP TABLE IF EXISTS story_search_text", "DROP TABLE IF EXISTS comment_search_text")
	}
	var oldTriggers []string
	if err := tx.Raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search\\_v%' ESCAPE '\\' AND name NOT LIKE ?",
		v4Triggers+"%").Scan(&oldTriggers).Error; err != nil {
		return false, err
	}
	for _, name := range oldTriggers {
		stmts = append(stmts, "DROP TRIGGER IF EXISTS "+name)
	}
	if err := execAll(tx, stmts); err != nil {
		return false, fmt.Errorf("search index: %w", err)
	}
	return current, nil
}

// searchSchema creates the search index, its triggers of step 1, site_state
// and the triggers that move it.
func searchSchema() []string {
	stmts := []string{searchTextTable, commentSearchTextTable, searchTable, commentSearchTable}
	for _, t := range v4SearchTriggers {
		stmts = append(stmts, searchTriggerSQL(v4Triggers, t))
	}
	stmts = append(stmts, siteStateSchema()...)
	// A partial index of the stories still without plain text: it stays
	// empty, and makes the legacy upgrade's backfillPlainText a look-up
	// instead of a scan of every story's text.
	stmts = append(stmts, `CREATE INDEX IF NOT EXISTS idx_stories_no_plain_text ON stories(id) WHERE plain_text = ''`)
	// What a search reads of each story in its window, without the row
	// itself, whose text makes it span several pages.
	return append(stmts, `CREATE INDEX IF NOT EXISTS idx_stories_search ON stories(id, published_at, company_id)`)
}

// siteStateSchema creates site_state and the triggers that move it.
func siteStateSchema() []string {
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS site_state (id INTEGER PRIMARY KEY CHECK (id = 1), changed_at TEXT NOT NULL)`,
		`INSERT OR IGNORE INTO site_state (id, changed_at) VALUES (1, strftime('%Y-%m-%d %H:%M:%f', 'now'))`,
	}
	for _, table := range changeTables {
		for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS changed_v1_%s_%s AFTER %s ON %s BEGIN
				UPDATE site_state SET changed_at = strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now') WHERE id = 1; END`,
				table, strings.ToLower(ev), ev, table))
		}
	}
	return stmts
}

// optimizeSearch merges each index table into one segment a shard (one per
// table before the shards): a query then reads one doclist per word instead
// of one per segment.
func optimizeSearch(db *gorm.DB) error {
	for _, t := range []string{"story_search", "comment_search"} {
		if err := db.Exec(fmt.Sprintf("INSERT INTO %[1]s(%[1]s) VALUES('optimize')", t)).Error; err != nil {
			return fmt.Errorf("search index: optimize %s: %w", t, err)
		}
	}
	return nil
}

// backfillPlainText fills the plain text of stories saved before it existed.
func backfillPlainText(db *gorm.DB) error {
	var rows []struct {
		ID   uint
		Body string
	}
	if err := db.Model(&Story{}).Select("id, body").Where("plain_text = '' AND body <> ''").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		rd, err := RenderStory(r.Body)
		if err != nil {
			return err
		}
		if err := db.Model(&Story{}).Where("id = ?", r.ID).UpdateColumn("plain_text", rd.Text).Error; err != nil {
			return err
		}
	}
	return nil
}

// SiteChangedAt returns when a story, comment, tag, category, company or user
// last changed: a Last-Modified date that is never earlier than any page's content.
func (s *Store) SiteChangedAt(ctx context.Context) (time.Time, error) {
	var v string
	if err := s.r.WithContext(ctx).Raw("SELECT changed_at FROM site_state WHERE id = 1").Scan(&v).Error; err != nil {
		return time.Time{}, fmt.Errorf("site changed at: %w", err)
	}
	t, err := time.Parse("2006-01-02 15:04:05.000", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("site changed at %q: %w", v, err)
	}
	return t.UTC(), nil
}

// plainText is all the text of a Markdown document, code and tables
// included, one space between blocks.
func plainText(doc ast.Node, source []byte) string {
	var b bytes.Buffer
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(source))
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// OptimizeSearch merges the search index into one segment per table and
// shard, as after a bulk import (the seed command), so that queries read one
// doclist per word.
// PostgreSQL's GIN index needs no such step.
func (s *Store) OptimizeSearch(ctx context.Context) error {
	if s.d == postgresDialect {
		return nil
	}
	return optimizeSearch(s.w.WithContext(ctx))
}
