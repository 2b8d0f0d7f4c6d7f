package models

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// copySource fills a store with a little of everything a copy carries.
func copySource(t *testing.T) *Store {
	t.Helper()
	s, clock := newTestStore(t)
	ctx := context.Background()
	author, reader := newUser(t, s, "ada", RoleAuthor), newUser(t, s, "bob", RoleReader)
	cat := &Category{Name: "Telecom"}
	must(t, s.CreateCategory(ctx, cat))
	co, err := s.FindOrCreateCompany(ctx, "Orange")
	must(t, err)
	for i, title := range []string{"Box en panne", "Résilier la fibre", "Un vélo"} {
		st, err := s.CreateStory(ctx, StoryInput{Title: title, Body: "Il était une fois " + title + ".", AuthorID: author.ID,
			CategoryIDs: []uint{cat.ID}, Tags: []string{"box"}, CompanyID: &co.ID, Status: StatusPublished})
		must(t, err)
		for j := range i + 1 {
			clock.Add(FloodInterval)
			_, _, err := s.PostComment(ctx, CommentPost{StoryID: st.ID, Poster: Poster{UserID: &reader.ID, IP: "192.0.2.1"},
				Body: strings.Repeat("Pareil ", j+1)})
			must(t, err)
		}
		_, err = s.SetLike(ctx, st.ID, reader.ID, true)
		must(t, err)
	}
	newDraft(t, s, author, "Pas fini")
	_, err = s.CreateSession(ctx, reader.ID, time.Hour)
	must(t, err)
	_, err = s.Key(ctx, "unsubscribe")
	must(t, err)
	must(t, s.QueueMail(ctx, &OutboxMail{To: "bob@example.org", Kind: "test", Subject: "Hello", Text: "Hi"}))
	return s
}

// emptyStore opens a new, empty store.
func emptyStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "target.db"), Options{})
	must(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// TestCopyToKeepsEverything: every table arrives with its rows and ids,
// what triggers derive (search index, counts, scorecards) is rebuilt, and
// the next row written gets a new id.
func TestCopyToKeepsEverything(t *testing.T) {
	src, dst := copySource(t), emptyStore(t)
	ctx := context.Background()
	calls := 0
	counts, err := src.CopyTo(ctx, dst, func(string, int64, int64) { calls++ })
	must(t, err)
	if calls == 0 {
		t.Error("no progress was reported")
	}
	for _, c := range counts {
		if c.Source != c.Target {
			t.Errorf("%s: %d rows copied of %d", c.Table, c.Target, c.Source)
		}
	}
	for _, q := range []string{
		"SELECT count(*) FROM stories", "SELECT count(*) FROM comments", "SELECT count(*) FROM story_counts",
		"SELECT sum(n) FROM story_counts", "SELECT count(*) FROM company_stats", "SELECT sum(stories) FROM company_stats",
		"SELECT count(*) FROM story_search_text", "SELECT count(*) FROM comment_search_text",
		"SELECT sum(comment_count + like_count) FROM stories", "SELECT max(id) FROM users",
	} {
		var a, b int64
		must(t, src.r.Raw(q).Scan(&a).Error)
		must(t, dst.r.Raw(q).Scan(&b).Error)
		if a != b || a == 0 {
			t.Errorf("%s: %d in the copy, %d in the source", q, b, a)
		}
	}
	sameRows(t, src, dst, &[]Story{}, &[]Story{})
	sameRows(t, src, dst, &[]Comment{}, &[]Comment{})
	sameRows(t, src, dst, &[]OutboxMail{}, &[]OutboxMail{})
	res, err := dst.Search(ctx, SearchQuery{Text: "resilier"})
	must(t, err)
	if len(res.Hits) != 1 {
		t.Errorf("a search of the copy found %d stories, want 1", len(res.Hits))
	}
	u := newUser(t, dst, "carol", RoleReader)
	if u.ID != 3 {
		t.Errorf("the copy's next user got id %d, want 3", u.ID)
	}
}

// TestCopyToRefusesATargetWithRows: a copy never mixes two sites.
func TestCopyToRefusesATargetWithRows(t *testing.T) {
	src, dst := copySource(t), emptyStore(t)
	newUser(t, dst, "zoe", RoleReader)
	_, err := src.CopyTo(context.Background(), dst, nil)
	if !errors.Is(err, ErrTargetNotEmpty) || !strings.Contains(err.Error(), "users: 1") {
		t.Fatalf("copy into a target with a user: %v", err)
	}
	if n := countRows(t, dst, "stories"); n != 0 {
		t.Errorf("the refused copy wrote %d stories", n)
	}
}

// TestCopyCutShortLeavesTheTargetEmpty: a copy stopped half-way (the
// process interrupted) writes nothing, so that it can be run again.
func TestCopyCutShortLeavesTheTargetEmpty(t *testing.T) {
	src, dst := copySource(t), emptyStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := src.CopyTo(ctx, dst, func(table string, _, _ int64) {
		if table == "stories" {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("a copy cancelled half-way succeeded")
	}
	must(t, dst.checkEmpty(context.Background()))
	_, err = src.CopyTo(context.Background(), dst, nil)
	must(t, err)
}

// TestCopyTablesCoverTheSchema: a new table must be copied or said to be
// derived, and the copy's order must put each table after those its
// foreign keys point to.
func TestCopyTablesCoverTheSchema(t *testing.T) {
	s, _ := newTestStore(t)
	var tables []string
	tablesQ := "SELECT name FROM sqlite_master WHERE type = 'table'"
	parentsQ := `SELECT "table" FROM pragma_foreign_key_list(?)`
	if s.d == postgresDialect {
		tablesQ = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
		parentsQ = `SELECT p.relname FROM pg_constraint c JOIN pg_class p ON p.oid = c.confrelid
			WHERE c.contype = 'f' AND c.conrelid = ?::regclass`
	}
	must(t, s.r.Raw(tablesQ).Scan(&tables).Error)
	for _, table := range tables {
		shadow := strings.Contains(table, "_search_") && !strings.HasSuffix(table, "_text")
		if !shadow && !slices.Contains(copyTables, table) && !slices.Contains(derivedTables, table) {
			t.Errorf("table %s is neither in copyTables nor in derivedTables", table)
		}
	}
	for i, table := range copyTables {
		var parents []string
		must(t, s.r.Raw(parentsQ, table).Scan(&parents).Error)
		for _, p := range parents {
			if j := slices.Index(copyTables, p); j < 0 || j > i {
				t.Errorf("%s is copied before %s, which its foreign key points to", table, p)
			}
		}
	}
}

// sameRows loads every row of a model from both stores and compares them
// field by field (times as instants, pointers by what they point to).
func sameRows[T any](t *testing.T, src, dst *Store, a, b *[]T) {
	t.Helper()
	must(t, src.r.Order("1").Find(a).Error)
	must(t, dst.r.Order("1").Find(b).Error)
	if x, y := flatRows(*a), flatRows(*b); len(*a) == 0 || x != y {
		t.Errorf("%T: the copy's rows differ from the source's:\n%s\n%s", *a, y, x)
	}
}

// flatRows prints rows' top-level fields, times in UTC.
func flatRows[T any](rows []T) string {
	var b strings.Builder
	for _, r := range rows {
		v := reflect.ValueOf(r)
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() == reflect.Pointer {
				if f.IsNil() {
					b.WriteString("nil|")
					continue
				}
				f = f.Elem()
			}
			if tm, ok := f.Interface().(time.Time); ok {
				b.WriteString(tm.UTC().Format(time.RFC3339Nano) + "|")
			} else if f.Kind() != reflect.Struct && f.Kind() != reflect.Slice {
				fmt.Fprintf(&b, "%v|", f.Interface())
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
