// Package pgtest gives each test a database of its own on the PostgreSQL
// server that DOLEANCES_TEST_DATABASE_URL names, so that the same tests
// run on both engines (unset, they run on SQLite files).
package pgtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env is the variable that picks PostgreSQL for the tests:
// postgres://user@host:port/postgres (a database the user may connect to,
// with the right to create databases).
const Env = "DOLEANCES_TEST_DATABASE_URL"

// URL is the server the tests run on, or "" for SQLite.
func URL() string { return os.Getenv(Env) }

// prefix starts the name of every database the tests make.
const prefix = "doleances_test_"

var (
	once     sync.Once
	admin    *sql.DB
	template string
	setupErr error
	made     atomic.Int64
)

// Database returns the address of a database at the current schema and
// without data, which t has to itself, and takes it back when t ends. A
// database is made from a template that migrate (given its address)
// brought to the current schema once per test process; one that a test
// gave back with the same schema is emptied and used again, since making a
// database takes a second or more on a busy machine.
func Database(t testing.TB, migrate func(addr string) error) string {
	t.Helper()
	once.Do(func() { setupErr = setup(migrate) })
	if setupErr != nil {
		t.Fatalf("PostgreSQL for the tests (%s): %v", Env, setupErr)
	}
	name := take()
	if name == "" {
		name = fmt.Sprintf("%s%d_%d", prefix, os.Getpid(), made.Add(1))
		if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY FILE_COPY"); err != nil {
			t.Fatalf("create test database: %v", err)
		}
	}
	addr := withDatabase(URL(), name)
	t.Cleanup(func() {
		if reset(addr) == nil {
			give(name)
			return
		}
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return addr
}

var (
	freeMu sync.Mutex
	free   []string // emptied databases, ready for the next test
	// empty is the statement that empties a database, shape what its
	// schema must be for that to be enough.
	empty, shape string
)

func take() string {
	freeMu.Lock()
	defer freeMu.Unlock()
	if len(free) == 0 {
		return ""
	}
	n := free[len(free)-1]
	free = free[:len(free)-1]
	return n
}

func give(name string) {
	freeMu.Lock()
	defer freeMu.Unlock()
	free = append(free, name)
}

// shapeQuery describes a schema: its columns, indexes, triggers and functions.
const shapeQuery = `SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
	SELECT table_name || '.' || column_name || ' ' || data_type AS x FROM information_schema.columns WHERE table_schema = 'public'
	UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = 'public'
	UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal
	UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
	UNION ALL SELECT 'v' || version FROM schema_version) AS s`

// reset empties the database at addr if its schema is still the
// template's; an error says it cannot be used again.
func reset(addr string) error {
	db, err := sql.Open("pgx", addr)
	if err != nil {
		return err
	}
	defer db.Close()
	var got string
	if err := db.QueryRow(shapeQuery).Scan(&got); err != nil {
		return err
	}
	if got != shape {
		return fmt.Errorf("schema changed")
	}
	_, err = db.Exec("SET lock_timeout = '2s'; " + empty)
	return err
}

// setup connects to the server, drops what dead test processes left, and
// makes this process's template.
func setup(migrate func(string) error) error {
	var err error
	if admin, err = sql.Open("pgx", URL()); err != nil {
		return err
	}
	admin.SetMaxOpenConns(2)
	if err := dropLeftovers(); err != nil {
		return err
	}
	template = fmt.Sprintf("%s%d_template", prefix, os.Getpid())
	if _, err := admin.Exec("DROP DATABASE IF EXISTS " + template + " WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := admin.Exec("CREATE DATABASE " + template); err != nil {
		return err
	}
	addr := withDatabase(URL(), template)
	if err := migrate(addr); err != nil {
		return err
	}
	return describe(addr)
}

// describe notes the template's shape and the statement that empties a
// copy of it: every table but the schema's version, whose sequences start
// again at 1; site_state and notices_version keep their one row (the
// migrations wrote it, the store only updates it).
func describe(addr string) error {
	db, err := sql.Open("pgx", addr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QueryRow(shapeQuery).Scan(&shape); err != nil {
		return err
	}
	var tables string
	err = db.QueryRow(`SELECT string_agg(quote_ident(table_name), ', ') FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_version', 'site_state', 'notices_version')`).Scan(&tables)
	empty = "TRUNCATE " + tables + " RESTART IDENTITY CASCADE"
	return err
}

// dropLeftovers drops the databases of test processes that no longer run
// (killed before their cleanups, or whose template outlived them).
func dropLeftovers() error {
	rows, err := admin.Query("SELECT datname FROM pg_database WHERE datname LIKE '" + prefix + "%'")
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		pid, _, _ := strings.Cut(strings.TrimPrefix(n, prefix), "_")
		if p, err := strconv.Atoi(pid); err == nil && alive(p) {
			continue
		}
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)")
	}
	return nil
}

// alive says whether a process with this id runs on this machine.
func alive(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// withDatabase is the address addr with its database name replaced.
func withDatabase(addr, name string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return addr
	}
	u.Path = "/" + name
	return u.String()
}
