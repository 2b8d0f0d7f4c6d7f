package models

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
// ranks first).
func searchVector(c, w string) string {
	return "setweight(to_tsvector('simple'::regconfig, search_fold(coalesce(" + c + ", ''))), '" + w + "')"
}

// pgSearchSchema is searchSchema on PostgreSQL.
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
	for _, t := range searchTriggers {
		stmts = append(stmts, searchTriggerSQL(t.name, t.event, t.body))
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
