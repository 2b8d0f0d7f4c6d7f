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

// The search index is an FTS4 table (FTS5 needs the sqlite_fts5 build tag of
// mattn/go-sqlite3, which plain "go run ." and "go test ./..." do not set).
// Its docid is the story's id; it holds only published stories. SQLite
// triggers keep it in step with every write to stories, their tags, their
// company and their comments, so a query never rebuilds anything.
const searchTable = `CREATE VIRTUAL TABLE IF NOT EXISTS story_search USING fts4(
	title, body, tags, company, comments, tokenize=unicode61 "remove_diacritics=2")`

// Columns of story_search, in order.
const (
	colTitle = iota
	colBody
	colTags
	colCompany
	colComments
	searchCols
)

// reindexSQL rebuilds the index rows of the stories whose ids the subquery
// %[1]s selects.
const reindexSQL = `DELETE FROM story_search WHERE docid IN (%[1]s);
	INSERT INTO story_search(docid, title, body, tags, company, comments)
	SELECT st.id, st.title, st.plain_text,
		COALESCE((SELECT group_concat(t.name, ' ') FROM story_tags sg JOIN tags t ON t.id = sg.tag_id WHERE sg.story_id = st.id), ''),
		COALESCE((SELECT name FROM companies WHERE id = st.company_id), ''),
		COALESCE((SELECT group_concat(body, ' ') FROM comments WHERE story_id = st.id AND status = 'approved'), '')
	FROM stories st WHERE st.id IN (%[1]s) AND +st.status = 'published';`

// The unary + above keeps the planner off the status index: inside a
// trigger it cannot tell that the id list is one or two rows long, and
// preferred scanning every published story (15 ms a comment at 100,000
// stories) to looking the ids up.

// searchTriggerVersion names the current search triggers; migrateSearch
// drops those of earlier versions.
const searchTriggerVersion = "search_v2_"

// oldSearchTriggers are the name prefixes of earlier versions.
var oldSearchTriggers = []string{"search_v1_"}

// searchTriggers are the triggers that keep story_search in step: name, event, stories affected.
var searchTriggers = []struct{ name, event, ids string }{
	{"story_ins", "AFTER INSERT ON stories", "SELECT NEW.id"},
	{"story_upd", "AFTER UPDATE OF title, plain_text, status, company_id ON stories", "SELECT NEW.id UNION SELECT OLD.id"},
	{"story_del", "AFTER DELETE ON stories", "SELECT OLD.id"},
	{"tag_link_ins", "AFTER INSERT ON story_tags", "SELECT NEW.story_id"},
	{"tag_link_del", "AFTER DELETE ON story_tags", "SELECT OLD.story_id"},
	{"tag_upd", "AFTER UPDATE OF name ON tags", "SELECT story_id FROM story_tags WHERE tag_id = NEW.id"},
	{"company_upd", "AFTER UPDATE OF name ON companies", "SELECT id FROM stories WHERE company_id = NEW.id"},
	{"comment_ins", "AFTER INSERT ON comments", "SELECT NEW.story_id"},
	{"comment_upd", "AFTER UPDATE OF body, status, story_id ON comments", "SELECT NEW.story_id UNION SELECT OLD.story_id"},
	{"comment_del", "AFTER DELETE ON comments", "SELECT OLD.story_id"},
}

// changeTables are the tables whose writes change what some page shows; any
// write to them moves site_state.changed_at, the Last-Modified of the pages.
var changeTables = []string{"stories", "comments", "tags", "story_tags", "story_categories", "categories", "companies", "users"}

// reindex rebuilds the index rows of the stories that ids selects. It runs
// reindexSQL's statements one by one: a prepared statement runs only the first
// statement of its text.
func reindex(db *gorm.DB, ids string) error {
	for _, q := range strings.SplitAfter(fmt.Sprintf(reindexSQL, ids), ";") {
		if strings.TrimSpace(q) == "" {
			continue
		}
		if err := db.Exec(q).Error; err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// searchTriggerSQL creates the search trigger name, which reindexes the
// stories that ids selects after event.
func searchTriggerSQL(name, event, ids string) string {
	return fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s%s %s BEGIN\n%s\nEND", searchTriggerVersion, name, event, fmt.Sprintf(reindexSQL, ids))
}

func migrateSearch(db *gorm.DB) error {
	var exists int64
	if err := db.Raw("SELECT count(*) FROM sqlite_master WHERE name = 'story_search'").Scan(&exists).Error; err != nil {
		return err
	}
	stmts := []string{searchTable,
		`CREATE TABLE IF NOT EXISTS site_state (id INTEGER PRIMARY KEY CHECK (id = 1), changed_at TEXT NOT NULL)`,
		`INSERT OR IGNORE INTO site_state (id, changed_at) VALUES (1, strftime('%Y-%m-%d %H:%M:%f', 'now'))`,
	}
	for _, t := range searchTriggers {
		for _, old := range oldSearchTriggers {
			stmts = append(stmts, "DROP TRIGGER IF EXISTS "+old+t.name)
		}
		stmts = append(stmts, searchTriggerSQL(t.name, t.event, t.ids))
	}
	for _, table := range changeTables {
		for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS changed_v1_%s_%s AFTER %s ON %s BEGIN
				UPDATE site_state SET changed_at = strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now') WHERE id = 1; END`,
				table, strings.ToLower(ev), ev, table))
		}
	}
	// A partial index of the stories still without plain text: it stays
	// empty, and makes the start-up check below a look-up instead of a
	// scan of every story's text.
	stmts = append(stmts, `CREATE INDEX IF NOT EXISTS idx_stories_no_plain_text ON stories(id) WHERE plain_text = ''`)
	for _, q := range stmts {
		if err := db.Exec(q).Error; err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	if err := backfillPlainText(db); err != nil {
		return err
	}
	if exists == 0 { // a database from before the index: fill it once
		return reindex(db, "SELECT id FROM stories")
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
