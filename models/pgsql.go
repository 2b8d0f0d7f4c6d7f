package models

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// pgRewrite turns a statement written for SQLite into what PostgreSQL
// runs: one statement, or several for a trigger (its function, then the
// trigger). The store's queries and the migration steps are written once;
// what the two engines spell differently is translated here, and what
// PostgreSQL lacks (julianday, strftime, a sum of booleans) is defined
// by the PostgreSQL schema (schema_v1_postgres.sql).
func pgRewrite(q string) []string {
	if v, ok := pgRewritten.Load(q); ok {
		return v.([]string)
	}
	var out []string
	head := strings.ToUpper(strings.TrimSpace(q[:min(len(q), 40)]))
	switch {
	case strings.HasPrefix(head, "CREATE TRIGGER"):
		out = pgTrigger(q)
	case strings.HasPrefix(head, "DROP TRIGGER"):
		out = []string{pgDropTrigger(q)}
	case strings.HasPrefix(head, "CREATE TABLE"), strings.HasPrefix(head, "ALTER TABLE"):
		out = []string{pgTypes(pgText(q))}
	default:
		out = []string{pgText(q)}
	}
	if pgRewrittenN.Add(1) < maxPooledStmts*4 { // queries whose text varies are not kept
		pgRewritten.Store(q, out)
	}
	return out
}

var (
	pgRewritten  sync.Map // SQLite text -> PostgreSQL statements
	pgRewrittenN atomic.Int64
)

// pgSpelling are the rewrites every statement gets.
var pgSpelling = []struct {
	re *regexp.Regexp
	to string
}{
	{regexp.MustCompile("`"), `"`},
	{regexp.MustCompile(`(?i)\bgroup_concat\(`), "string_agg("},
	{regexp.MustCompile(`\bINDEXED BY \w+`), ""},
	{regexp.MustCompile(`\bCROSS JOIN (\w+ \w+)\s+ON\b`), "JOIN $1 ON"},
	// SQLite's LIKE ignores the case of ASCII letters.
	{regexp.MustCompile(`\bLIKE\b`), "ILIKE"},
	// 'now' would be read once, when a trigger's plan is made.
	{regexp.MustCompile(`'now'\)`), "clock_timestamp())"},
	{regexp.MustCompile(`\bIS NOT (NEW\.|OLD\.|\$\d)`), "IS DISTINCT FROM $1"},
	{regexp.MustCompile(`\bWHERE 0\b`), "WHERE false"},
	// The counters' triggers, frozen in SQLite's schema of step 1: PostgreSQL
	// 15 wants a name for a subquery, and the table's for a column that
	// excluded also has.
	{regexp.MustCompile(`\) WHERE (OLD|NEW)\.status = `), ") AS deltas WHERE $1.status = "},
	{regexp.MustCompile(`DO UPDATE SET n = n \+ excluded\.n`), "DO UPDATE SET n = story_counts.n + excluded.n"},
	{regexp.MustCompile(`(?i)^\s*CREATE VIEW IF NOT EXISTS\b`), "CREATE OR REPLACE VIEW"},
	{regexp.MustCompile(`\)\s*WITHOUT ROWID`), ")"},
	// A unary + keeps SQLite's planner off an index; PostgreSQL has no + on text.
	{regexp.MustCompile(`([\s(])\+([a-z_]+\b|\()`), "$1$2"},
}

// pgIgnore is SQLite's INSERT OR IGNORE: PostgreSQL says it at the end.
var pgIgnore = regexp.MustCompile(`(?is)^\s*INSERT OR IGNORE INTO (.*?);?\s*$`)

// pgText applies pgSpelling and pgIgnore to q.
func pgText(q string) string {
	for _, r := range pgSpelling {
		q = r.re.ReplaceAllString(q, r.to)
	}
	return pgIgnore.ReplaceAllString(q, "INSERT INTO $1 ON CONFLICT DO NOTHING")
}

// pgTypeNames are SQLite's column types of the migration steps (as GORM's
// SQLite driver named them) and PostgreSQL's.
var pgTypeNames = []struct {
	re *regexp.Regexp
	to string
}{
	{regexp.MustCompile(`(?i)\binteger PRIMARY KEY AUTOINCREMENT\b`), "bigserial PRIMARY KEY"},
	{regexp.MustCompile(`(?i)\binteger\b`), "bigint"},
	{regexp.MustCompile(`(?i)\bdatetime\b`), "timestamptz"},
	{regexp.MustCompile(`(?i)\bnumeric\b`), "boolean"}, // GORM's SQLite type of a bool
	{regexp.MustCompile(`(?i)\bblob\b`), "bytea"},
	{regexp.MustCompile(`(?i)\breal\b`), "double precision"},
}

// pgTypes rewrites the column types of a CREATE or ALTER TABLE.
func pgTypes(q string) string {
	for _, r := range pgTypeNames {
		q = r.re.ReplaceAllString(q, r.to)
	}
	return q
}

var (
	pgTriggerRE = regexp.MustCompile(`(?is)^\s*CREATE TRIGGER IF NOT EXISTS (\w+)\s+(.*?)\s+BEGIN\s+(.*?)\s*END\s*$`)
	pgWhenRE    = regexp.MustCompile(`(?is)^(.*?)\s+WHEN\s+(.*)$`)
	pgRaiseRE   = regexp.MustCompile(`(?i)SELECT RAISE\(ABORT, ('[^']*')\);`)
)

// pgTrigger turns SQLite's CREATE TRIGGER into a PL/pgSQL function and a
// row trigger that calls it.
func pgTrigger(q string) []string {
	m := pgTriggerRE.FindStringSubmatch(q)
	if m == nil {
		return []string{q} // PostgreSQL then says what is wrong with it
	}
	name, event, body := m[1], m[2], m[3]
	body = pgRaiseRE.ReplaceAllString(pgText(body), "RAISE EXCEPTION $1;")
	// The condition goes in the body: PostgreSQL's WHEN takes no subquery.
	if w := pgWhenRE.FindStringSubmatch(event); w != nil {
		event, body = w[1], "IF "+pgText(w[2])+" THEN\n"+body+"\nEND IF;"
	}
	// A row trigger that runs before the write (or instead of it) returns
	// the row to write: NULL would skip it, where SQLite goes on.
	ret, when := "NULL", strings.ToUpper(event)
	switch {
	case strings.HasPrefix(when, "INSTEAD OF"), strings.HasPrefix(when, "BEFORE INSERT"), strings.HasPrefix(when, "BEFORE UPDATE"):
		ret = "NEW"
	case strings.HasPrefix(when, "BEFORE DELETE"):
		ret = "OLD"
	}
	return []string{
		fmt.Sprintf("CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n%s\nRETURN %s;\nEND\n$fn$", name, body, ret),
		fmt.Sprintf("CREATE OR REPLACE TRIGGER %s %s FOR EACH ROW EXECUTE FUNCTION %s()", name, event, name),
	}
}

var pgDropTriggerRE = regexp.MustCompile(`(?i)^\s*DROP TRIGGER IF EXISTS (\w+)\s*$`)

// pgDropTrigger drops a trigger by its name alone, as SQLite does:
// PostgreSQL wants its table too, found in the catalog.
func pgDropTrigger(q string) string {
	m := pgDropTriggerRE.FindStringSubmatch(q)
	if m == nil {
		return q
	}
	return fmt.Sprintf(`DO $do$ DECLARE r record; BEGIN
	FOR r IN SELECT tgrelid::regclass AS t FROM pg_trigger WHERE tgname = '%[1]s' LOOP
		EXECUTE format('DROP TRIGGER %%I ON %%s', '%[1]s', r.t);
	END LOOP; END $do$`, m[1])
}
