package models

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// legacyFixture is a database written by the last release before schema
// versions, commit 9a10e13 (`doleances seed -stories 20 -comments 60
// -users 8`, then VACUUM), gzipped: 600 kB of mostly empty pages.
const legacyFixture = "testdata/schema-v0.db.gz"

// copyFixture writes the legacy fixture into a temporary folder, so that
// the test can upgrade it.
func copyFixture(t *testing.T) string {
	t.Helper()
	src, err := os.Open(legacyFixture)
	must(t, err)
	defer src.Close()
	zr, err := gzip.NewReader(src)
	must(t, err)
	path := filepath.Join(t.TempDir(), "old.db")
	dst, err := os.Create(path)
	must(t, err)
	_, err = io.Copy(dst, zr)
	must(t, errors.Join(err, dst.Close()))
	return path
}

// storedVersion reads the version recorded in the database.
func storedVersion(t *testing.T, db *gorm.DB) int {
	t.Helper()
	var v []int
	must(t, db.Raw("SELECT version FROM schema_version").Scan(&v).Error)
	if len(v) != 1 {
		t.Fatalf("schema_version holds %d rows, want 1", len(v))
	}
	return v[0]
}

// schemaOf is every table, index, view and trigger of the database with
// its SQL, the version table left out.
func schemaOf(t *testing.T, db *gorm.DB) map[string]string {
	t.Helper()
	var rows []struct{ Type, Name, SQL string }
	must(t, db.Raw("SELECT type, name, COALESCE(sql, '') AS sql FROM sqlite_master WHERE name <> 'schema_version'").Scan(&rows).Error)
	out := map[string]string{}
	for _, r := range rows {
		out[r.Type+" "+r.Name] = sortConstraints(strings.Join(strings.Fields(r.SQL), " "))
	}
	return out
}

// sortConstraints puts the constraints at the end of a CREATE TABLE in
// order: GORM writes them in the order of a map.
func sortConstraints(q string) string {
	parts := strings.Split(q, ",CONSTRAINT ")
	if len(parts) < 2 {
		return q
	}
	cons := parts[1:]
	cons[len(cons)-1] = strings.TrimSuffix(cons[len(cons)-1], ")")
	slices.Sort(cons)
	return parts[0] + ",CONSTRAINT " + strings.Join(cons, ",CONSTRAINT ") + ")"
}

// sameSchema fails the test where two schemas differ.
func sameSchema(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, q := range want {
		if got[k] != q {
			t.Errorf("%s: %s is\n\t%q\nwant\n\t%q", what, k, got[k], q)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %s is not in the schema of the last release", what, k)
		}
	}
}

// legacySchema is the schema of the fixture, read without upgrading it.
func legacySchema(t *testing.T) map[string]string {
	t.Helper()
	db, err := openRaw(copyFixture(t), "mode=ro&immutable=1")
	must(t, err)
	defer closeRaw(db)
	return schemaOf(t, db)
}

// A fresh database records the last version.
func TestFreshDatabaseRecordsItsVersion(t *testing.T) {
	s, _ := newTestStore(t)
	if v := storedVersion(t, s.r); v != len(migrations) {
		t.Errorf("fresh database at version %d, want %d", v, len(migrations))
	}
}

// At the legacy version, a fresh database and an upgraded one both have
// exactly the schema of the last release before versions.
func TestLegacyVersionIsTheLastReleasesSchema(t *testing.T) {
	want := legacySchema(t)
	for _, from := range []string{"fresh", "legacy"} {
		path := filepath.Join(t.TempDir(), "t.db")
		if from == "legacy" {
			path = copyFixture(t)
		}
		db, err := openRaw(path, "_foreign_keys=on")
		must(t, err)
		must(t, migrate(context.Background(), db, sqliteDialect, migrations[:legacyVersion]))
		if v := storedVersion(t, db); v != legacyVersion {
			t.Errorf("%s database at version %d, want %d", from, v, legacyVersion)
		}
		sameSchema(t, from+" database", schemaOf(t, db), want)
		closeRaw(db)
	}
}

// A database of the last release before versions is upgraded in place: it
// records the version, keeps its rows, and its counters, search index and
// triggers work.
func TestLegacyDatabaseUpgrades(t *testing.T) {
	ctx := context.Background()
	path := copyFixture(t)
	before := map[string]int64{}
	raw, err := openRaw(path, "")
	must(t, err)
	for _, table := range []string{"users", "stories", "comments", "companies", "tags", "story_tags", "story_counts", "story_search_text", "comment_search_text"} {
		var n int64
		must(t, raw.Table(table).Count(&n).Error)
		before[table] = n
	}
	closeRaw(raw)
	if before["stories"] == 0 || before["comments"] == 0 || before["story_search_text"] == 0 {
		t.Fatalf("the fixture is too empty to show anything: %v", before)
	}

	s, err := Open(path, Options{})
	must(t, err)
	defer s.Close()
	if v := storedVersion(t, s.r); v != len(migrations) {
		t.Errorf("upgraded database at version %d, want %d", v, len(migrations))
	}
	for table, n := range before {
		var got int64
		must(t, s.r.Table(table).Count(&got).Error)
		if got != n {
			t.Errorf("%s: %d rows after the upgrade, %d before", table, got, n)
		}
	}
	checkCounts(t, s)
	checkSidebar(t, s)

	// The triggers still run: a new comment is found by search, and an
	// unpublished story leaves the counters and the index.
	var st Story
	must(t, s.r.Where("status = ?", StatusPublished).Order("id").First(&st).Error)
	_, err = s.AddComment(ctx, CommentInput{StoryID: st.ID, AuthorName: "Guest", AuthorEmail: "g@example.com",
		Body: "Zyxwvutsrq est un mot inventé", Status: CommentApproved})
	must(t, err)
	if res, err := s.Search(ctx, SearchQuery{Text: "zyxwvutsrq"}); err != nil || res.Total != 1 {
		t.Errorf("search for a new comment after the upgrade: %d results (%v)", res.Total, err)
	}
	must(t, s.UnpublishStory(ctx, st.ID, st.AuthorID))
	checkCounts(t, s)
	if res, err := s.Search(ctx, SearchQuery{Text: "zyxwvutsrq"}); err != nil || res.Total != 0 {
		t.Errorf("search after unpublishing its story: %d results (%v)", res.Total, err)
	}
}

// sqliteSchemaCookie is SQLite's own count of schema changes to the file.
func sqliteSchemaCookie(t *testing.T, db *gorm.DB) int {
	t.Helper()
	var n int
	must(t, db.Raw("PRAGMA schema_version").Scan(&n).Error)
	return n
}

// Opening a database that is up to date changes nothing: no DDL, no write.
func TestOpenTwiceIsANoOp(t *testing.T) {
	for _, from := range []string{"fresh", "legacy"} {
		t.Run(from, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			if from == "legacy" {
				path = copyFixture(t)
			}
			s, err := Open(path, Options{})
			must(t, err)
			cookie, changed := sqliteSchemaCookie(t, s.r), ""
			must(t, s.r.Raw("SELECT changed_at FROM site_state").Scan(&changed).Error)
			must(t, s.Close())

			s, err = Open(path, Options{})
			must(t, err)
			defer s.Close()
			if got := sqliteSchemaCookie(t, s.r); got != cookie {
				t.Errorf("the second open changed the schema (schema cookie %d, then %d)", cookie, got)
			}
			var again string
			must(t, s.r.Raw("SELECT changed_at FROM site_state").Scan(&again).Error)
			if again != changed {
				t.Errorf("the second open wrote to the site's tables (changed_at %s, then %s)", changed, again)
			}
			if v := storedVersion(t, s.r); v != len(migrations) {
				t.Errorf("version %d after the second open, want %d", v, len(migrations))
			}
		})
	}
}

// A database written by a newer release is refused, and left as it was.
func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(path, Options{})
	must(t, err)
	must(t, s.w.Exec("UPDATE schema_version SET version = ?", len(migrations)+1).Error)
	must(t, s.Close())

	_, err = Open(path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("open of a newer database: %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "newer release") {
		t.Errorf("the error does not say what to do: %v", err)
	}
	raw, err := openRaw(path, "")
	must(t, err)
	defer closeRaw(raw)
	if v := storedVersion(t, raw); v != len(migrations)+1 {
		t.Errorf("refused database now at version %d", v)
	}
}

// A step that fails leaves the database at the version before it, without
// any of the step's changes; the next open runs it again.
func TestFailedStepKeepsThePreviousVersion(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	n := len(migrations)
	failing := append(migrations[:n:n], migration{Name: "half done", Up: func(ctx context.Context, tx *gorm.DB, d dialect) error {
		if err := tx.Exec("CREATE TABLE half_done (id INTEGER PRIMARY KEY)").Error; err != nil {
			return err
		}
		return errors.New("disk on fire")
	}})
	err := migrate(ctx, s.w, s.d, failing)
	if err == nil || !strings.Contains(err.Error(), "half done") {
		t.Fatalf("a failing step: %v", err)
	}
	if v := storedVersion(t, s.w); v != n {
		t.Errorf("version %d after a failed step, want %d", v, n)
	}
	if ok, err := s.d.tableExists(s.w, "half_done"); ok || err != nil {
		t.Errorf("the failed step's table is left behind (%v)", err)
	}

	fixed := append(migrations[:n:n], migration{Name: "done", Up: func(ctx context.Context, tx *gorm.DB, d dialect) error {
		return tx.Exec("CREATE TABLE done (id INTEGER PRIMARY KEY)").Error
	}})
	must(t, migrate(ctx, s.w, s.d, fixed))
	if v := storedVersion(t, s.w); v != n+1 {
		t.Errorf("version %d after the step, want %d", v, n+1)
	}
}

// MigrationsPending tells a file Open would migrate from one it would
// not, and reads it without changing a byte.
func TestMigrationsPending(t *testing.T) {
	onPostgres(t, "it reads a SQLite file")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(path, Options{})
	must(t, err)
	must(t, s.Close())
	for _, c := range []struct {
		name    string
		path    string
		pending bool
	}{{"a fresh file", path, false}, {"the legacy fixture", copyFixture(t), true}} {
		was, err := os.ReadFile(c.path)
		must(t, err)
		pending, err := MigrationsPending(ctx, c.path)
		must(t, err)
		if pending != c.pending {
			t.Errorf("%s: pending %v, want %v", c.name, pending, c.pending)
		}
		if now, err := os.ReadFile(c.path); err != nil || !bytes.Equal(now, was) {
			t.Errorf("%s changed on reading its version (%v)", c.name, err)
		}
	}
	raw, err := openRaw(path, "")
	must(t, err)
	must(t, raw.Exec("UPDATE schema_version SET version = version - 1").Error)
	closeRaw(raw)
	if pending, err := MigrationsPending(ctx, path); err != nil || !pending {
		t.Errorf("a file one step behind: pending %v (%v), want true", pending, err)
	}
}
