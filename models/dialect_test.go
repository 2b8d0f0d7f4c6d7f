package models

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"doleances/models/pgtest"
)

// columnsOf lists table.column of every table of a store's database
// (internal tables of SQLite's and PostgreSQL's search index aside).
func columnsOf(t *testing.T, s *Store) []string {
	t.Helper()
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%search%'`
	if s.d == postgresDialect {
		q = `SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name NOT LIKE '%search%'`
	}
	var cols []string
	must(t, s.r.Raw(q).Scan(&cols).Error)
	slices.Sort(cols)
	return cols
}

// Both engines' schemas have the same tables and columns, after step 1
// (schema_v1.sql and schema_v1_postgres.sql) and after every step.
func TestBothEnginesHaveTheSameSchema(t *testing.T) {
	if pgtest.URL() == "" {
		t.Skip("needs PostgreSQL: set " + pgtest.Env)
	}
	sqlite, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{})
	must(t, err)
	defer sqlite.Close()
	pg, _ := newTestStore(t)
	want, got := columnsOf(t, sqlite), columnsOf(t, pg)
	if !slices.Equal(got, want) {
		t.Errorf("PostgreSQL's columns differ from SQLite's:\nonly on SQLite: %q\nonly on PostgreSQL: %q",
			minus(want, got), minus(got, want))
	}
	if len(want) < 100 {
		t.Errorf("only %d columns read: %q", len(want), want)
	}
}

// minus is what a holds that b does not.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// pgRewrite turns what SQLite says into what PostgreSQL does.
func TestPostgresSpelling(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT `a` FROM `t` WHERE name LIKE ?", `SELECT "a" FROM "t" WHERE name ILIKE ?`},
		{"INSERT OR IGNORE INTO t (a) VALUES (?)", "INSERT INTO t (a) VALUES (?) ON CONFLICT DO NOTHING"},
		{"SELECT group_concat(name, ' ') FROM tags", "SELECT string_agg(name, ' ') FROM tags"},
		{"SELECT 1 FROM stories st INDEXED BY idx_x WHERE +st.status = ? AND company_id IS NOT $2",
			"SELECT 1 FROM stories st  WHERE st.status = ? AND company_id IS DISTINCT FROM $2"},
		{"CREATE TABLE IF NOT EXISTS `x` (`id` integer PRIMARY KEY AUTOINCREMENT,`at` datetime,`ok` numeric NOT NULL DEFAULT false,`k` blob)",
			`CREATE TABLE IF NOT EXISTS "x" ("id" bigserial PRIMARY KEY,"at" timestamptz,"ok" boolean NOT NULL DEFAULT false,"k" bytea)`},
	} {
		if got := pgRewrite(c.in); len(got) != 1 || got[0] != c.want {
			t.Errorf("pgRewrite(%q)\n= %q\nwant %q", c.in, got, c.want)
		}
	}
	trig := pgRewrite("CREATE TRIGGER IF NOT EXISTS t_upd AFTER UPDATE OF a ON t WHEN OLD.a IS NOT NEW.a BEGIN\nUPDATE u SET n = 1;\nEND")
	if len(trig) != 2 || !strings.Contains(trig[0], "IF OLD.a IS DISTINCT FROM NEW.a THEN") ||
		!strings.Contains(trig[1], "CREATE OR REPLACE TRIGGER t_upd AFTER UPDATE OF a ON t FOR EACH ROW EXECUTE FUNCTION t_upd()") {
		t.Errorf("trigger: %q", trig)
	}
	// A BEFORE trigger whose condition is false lets the row be written:
	// its function returns the row (NULL would skip the write).
	for event, ret := range map[string]string{"BEFORE INSERT": "RETURN NEW;", "BEFORE DELETE": "RETURN OLD;", "AFTER INSERT": "RETURN NULL;"} {
		fn := pgRewrite("CREATE TRIGGER IF NOT EXISTS t_b " + event + " ON t WHEN NEW.a = 1 BEGIN SELECT RAISE(ABORT, 'no'); END")[0]
		if !strings.Contains(fn, ret) || !strings.Contains(fn, "RAISE EXCEPTION 'no';") {
			t.Errorf("%s trigger's function lacks %s: %q", event, ret, fn)
		}
	}
}

// A look-up with bytes that are not UTF-8 (or a NUL), as a URL can carry,
// finds nothing on either engine: PostgreSQL refuses such text outright.
func TestLookUpWithInvalidText(t *testing.T) {
	s, _ := newTestStore(t)
	for _, slug := range []string{"\xff", "a\x00b"} {
		if _, err := s.CompanyBySlug(t.Context(), slug); !errors.Is(err, ErrNotFound) {
			t.Errorf("company %q: %v, want ErrNotFound", slug, err)
		}
	}
}

// An import numbers its rows itself; the stories and comments written
// after it take the next ids (on PostgreSQL the sequences follow).
func TestWritesAfterAnImport(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	ann := newUser(t, s, "ann", RoleAuthor)
	when := testNow.Add(-time.Hour)
	b, err := PrepareImport([]ImportStory{{Story: StoryInput{Title: "Imported", Body: "Old story.", AuthorID: ann.ID,
		Status: StatusPublished, PublishedAt: &when},
		Comments: []ImportComment{{Parent: -1, AuthorName: "Guest", Body: "Old comment.", Status: CommentApproved}}}})
	must(t, err)
	must(t, s.Import(ctx, b))
	st := newStory(t, s, ann, "Written after", time.Time{})
	if _, err := s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "G", Body: "New comment.", Status: CommentApproved}); err != nil {
		t.Fatalf("a comment after the import: %v", err)
	}
}
