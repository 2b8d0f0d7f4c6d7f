package models

import (
	"database/sql"
	"strings"

	"gorm.io/gorm"
)

// The search index on PostgreSQL. The text tables are the same as
// SQLite's and the same triggers fill them (their text goes through
// pgRewrite); each row's words are a tsvector column computed from its
// text, folded (lower case, accents removed), under a GIN index. The index
// tables of SQLite (story_search, comment_search) are views that the
// triggers' writes pass through without effect.

// searchFold is the folding of the index and of the queries: accents off,
// through an immutable wrapper, as a generated column needs.
const searchFold = `CREATE OR REPLACE FUNCTION search_fold(t text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$`

// searchVector is the words of column c with weight w (A, the title,
// ranks first). Punctuation is a space, as for SQLite's tokenizer:
// PostgreSQL's parser would otherwise keep an e-mail address or a URL whole
// and drop what looks like an HTML tag.
func searchVector(c, w string) string {
	return "setweight(to_tsvector('simple'::regconfig, regexp_replace(search_fold(coalesce(" + c +
		", '')), '[[:punct:]]+', ' ', 'g')), '" + w + "')"
}

// pgSearchSchema is searchSchema (step 1's) on PostgreSQL.
func pgSearchSchema() []string {
	stmts := []string{searchFold,
		`CREATE TABLE IF NOT EXISTS story_search_text (docid bigint PRIMARY KEY, title text, body text, tags text, company text,
			doc tsvector GENERATED ALWAYS AS (` + searchVector("title", "A") + ` || ` + searchVector("body", "B") +
			` || ` + searchVector("tags", "C") + ` || ` + searchVector("company", "C") + `) STORED)`,
		`CREATE INDEX IF NOT EXISTS idx_story_search_doc ON story_search_text USING gin (doc)`,
		`CREATE TABLE IF NOT EXISTS comment_search_text (docid bigint PRIMARY KEY, body text,
			doc tsvector GENERATED ALWAYS AS (` + searchVector("body", "B") + `) STORED)`,
		`CREATE INDEX IF NOT EXISTS idx_comment_search_doc ON comment_search_text USING gin (doc)`,
	}
	for _, t := range []string{"story_search", "comment_search"} {
		stmts = append(stmts, `CREATE OR REPLACE VIEW `+t+` AS SELECT * FROM `+t+`_text`,
			`CREATE OR REPLACE RULE `+t+`_ins AS ON INSERT TO `+t+` DO INSTEAD NOTHING`,
			`CREATE OR REPLACE RULE `+t+`_del AS ON DELETE TO `+t+` DO INSTEAD NOTHING`)
	}
	for _, t := range v4SearchTriggers {
		stmts = append(stmts, searchTriggerSQL(v4Triggers, t))
	}
	stmts = append(stmts, siteStateSchema()...)
	return append(stmts, `CREATE INDEX IF NOT EXISTS idx_stories_search ON stories(id, published_at, company_id)`)
}

// searchSchema creates the search index, its triggers, site_state and the
// triggers that move it.
func (d dialect) searchSchema() []string {
	if d == postgresDialect {
		return pgSearchSchema()
	}
	return searchSchema()
}

// matches is the condition that table (story_search or comment_search)
// holds the query matchArg gives.
func (d dialect) matches(table string) string {
	if d == postgresDialect {
		return table + ".doc @@ to_tsquery('simple'::regconfig, search_fold(?))"
	}
	return table + " MATCH ?"
}

// matchArg is the argument of matches for a MATCH expression of ParseSearch.
func (d dialect) matchArg(match string) string {
	if d == postgresDialect {
		return tsQuery(match)
	}
	return match
}

// tsQuery is a MATCH expression of ParseSearch as a tsquery: every term,
// a phrase's words in a row, a prefix marked :*. The words hold only
// letters and digits (see ParseSearch); they are quoted all the same.
func tsQuery(match string) string {
	terms := snippetTerms(match)
	parts := make([]string, len(terms))
	for i, t := range terms {
		words := make([]string, len(t.words))
		for j, w := range t.words {
			words[j] = "'" + strings.ReplaceAll(w, "'", "") + "'"
		}
		if t.prefix {
			words[len(words)-1] += ":*"
		}
		parts[i] = strings.Join(words, " <-> ")
	}
	return strings.Join(parts, " & ")
}

// pgStoryMatches is scanStoryMatches on PostgreSQL: the index finds the
// stories, and each one's matchinfo 'pcy' (the hits of each term in each
// column) is counted here from its text, folded as the snippets are.
func pgStoryMatches(db *gorm.DB, match string, span searchRange, filter string, filterArgs []any,
	f func(id uint, info []uint32, at float64) bool) error {
	cur, err := db.Raw(`SELECT story_search.docid, story_search.title, story_search.body, story_search.tags,
		story_search.company, julianday(st.published_at) FROM story_search JOIN stories st ON st.id = story_search.docid
		WHERE `+postgresDialect.matches("story_search")+` AND story_search.docid BETWEEN ? AND ?`+filter+`
		ORDER BY story_search.docid DESC`, append([]any{tsQuery(match), span.lo, span.hi}, filterArgs...)...).Rows()
	if err != nil {
		return err
	}
	defer cur.Close()
	terms := snippetTerms(match)
	var id uint
	var cols [colComments]sql.NullString
	var at sql.NullFloat64
	for cur.Next() {
		if err := cur.Scan(&id, &cols[colTitle], &cols[colBody], &cols[colTags], &cols[colCompany], &at); err != nil {
			return err
		}
		info := make([]uint32, 2, 2+len(terms)*colComments)
		info[0], info[1] = uint32(len(terms)), colComments
		hits := make([][]int, colComments)
		for j := range cols {
			hits[j] = termHits(cols[j].String, terms)
		}
		for i := range terms {
			for j := range cols {
				info = append(info, uint32(hits[j][i]))
			}
		}
		if !f(id, info, at.Float64) {
			break
		}
	}
	return cur.Err()
}

// termHits counts the matches of each term in s.
func termHits(s string, terms []snippetTerm) []int {
	n := make([]int, len(terms))
	toks := tokenize(s)
	for k := range toks {
		for i, t := range terms {
			if termAt(toks, k, t) {
				n[i]++
			}
		}
	}
	return n
}
