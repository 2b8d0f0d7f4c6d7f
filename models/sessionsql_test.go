package models

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
)

// preparations counts how often SQLite prepares query on a connection of
// its own to the database at path while it runs once with each of args:
// the authorizer is asked at every preparation, and at no other time.
func preparations(t *testing.T, path, query string, args ...[]any) int {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	must(t, err)
	defer db.Close()
	conn, err := db.Conn(ctx)
	must(t, err)
	defer conn.Close()
	n := 0
	must(t, conn.Raw(func(dc any) error {
		dc.(*sqlite3.SQLiteConn).RegisterAuthorizer(func(int, string, string, string) int { n++; return sqlite3.SQLITE_OK })
		return nil
	}))
	st, err := conn.PrepareContext(ctx, query)
	must(t, err)
	defer st.Close()
	n = 0
	for _, a := range args {
		rows, err := st.QueryContext(ctx, a...)
		must(t, err)
		for rows.Next() {
		}
		must(t, rows.Err())
		rows.Close()
	}
	return n
}

// TestSessionQueryIsPreparedOnce: the session look-up, which starts from
// the hash's index, runs for every new session seen, and each preparation
// (parsing and planning the join) cost as much as the rest of it. A bare parameter compared to a column in a
// join made SQLite prepare the statement again at every run; the control
// shows the counting sees that.
func TestSessionQueryIsPreparedOnce(t *testing.T) {
	onPostgres(t, "SQLite's preparations")
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(path, Options{})
	must(t, err)
	defer s.Close()
	ctx := context.Background()
	u := newUser(t, s, "ada", RoleAuthor)
	var args [][]any
	for range 3 {
		token, err := s.CreateSession(ctx, u.ID, time.Hour)
		must(t, err)
		args = append(args, []any{HashToken(token), time.Now()})
	}
	var plan []struct{ Detail string }
	must(t, s.r.Raw("EXPLAIN QUERY PLAN "+sessionSQL, args[0]...).Scan(&plan).Error)
	if len(plan) == 0 || !strings.Contains(plan[0].Detail, "idx_sessions_hash") {
		t.Errorf("the look-up does not start from the hash's index: %+v", plan)
	}
	if n := preparations(t, path, sessionSQL, args...); n != 0 {
		t.Errorf("sessionSQL was prepared again (%d authorizer calls) in 3 look-ups", n)
	}
	bare := strings.Replace(sessionSQL, "CAST(? AS TEXT)", "?", 1)
	if bare == sessionSQL {
		t.Fatal("sessionSQL no longer compares the hash as CAST(? AS TEXT): update the control")
	}
	if n := preparations(t, path, bare, args...); n == 0 {
		t.Error("with a bare parameter the look-up is no longer prepared again at each run: " +
			"the cast in sessionSQL may go (the counting may also have stopped working)")
	}
}
