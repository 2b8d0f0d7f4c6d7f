package models

import (
	"context"
	"database/sql"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"gorm.io/gorm"
)

// pgPool is the PostgreSQL connection pool as GORM sees it: every
// statement's text goes through pgRewrite on its way, and a committed
// transaction that wrote to a table pages show moves the site generation,
// as stmtPool does for SQLite.
//
// The writers' pool (serial) runs its transactions one at a time across
// every instance on the database, under an advisory lock: the store's
// read-then-write transactions (a toggle, a slug, the flood rule, the
// counters' triggers) were written for SQLite, which runs writes one at a
// time, and under PostgreSQL's READ COMMITTED they would lose updates or
// deadlock. Reads, on the other pool, run beside them as they do on SQLite.
type pgPool struct {
	db     *sql.DB
	gen    *generation
	serial bool
}

// writeLock is the advisory lock of the writers' transactions.
const writeLock = 1972180801

// execer is what runs a statement: the pool or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// pgExec runs the statements q becomes; only the last may take arguments
// (the first ones of a trigger are its function).
func pgExec(ctx context.Context, db execer, q string, args []any) (sql.Result, error) {
	stmts := pgRewrite(q)
	for _, s := range stmts[:len(stmts)-1] {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return nil, dbError(err)
		}
	}
	res, err := db.ExecContext(ctx, stmts[len(stmts)-1], pgArgs(args)...)
	return res, dbError(err)
}

// pgArgs are args as PostgreSQL takes them: its text holds valid UTF-8
// without NUL, where SQLite keeps any bytes. What a visitor typed is
// checked before it is saved; a look-up with such a string (a slug from a
// URL) finds nothing either way, instead of failing.
func pgArgs(args []any) []any {
	copied := false
	for i, a := range args {
		if s, ok := a.(string); ok && (!utf8.ValidString(s) || strings.ContainsRune(s, 0)) {
			if !copied { // the caller's slice is GORM's
				args, copied = append([]any(nil), args...), true
			}
			args[i] = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
		}
	}
	return args
}

// pgOne is the one statement a query becomes.
func pgOne(q string) string {
	s := pgRewrite(q)
	return s[len(s)-1]
}

func (p *pgPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := p.db.PrepareContext(ctx, pgOne(query))
	return st, dbError(err)
}

// ExecContext runs a statement outside a transaction; on the writers'
// pool, in one of its own, so that it waits for the write lock too.
func (p *pgPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if !p.serial {
		return pgExec(ctx, p.db, query, args)
	}
	c, err := p.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	tx := c.(*pgTx)
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return res, dbError(tx.tx.Commit())
}

func (p *pgPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := p.db.QueryContext(ctx, pgOne(query), pgArgs(args)...)
	return rows, dbError(err)
}

func (p *pgPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, pgOne(query), pgArgs(args)...)
}

// BeginTx starts a transaction on one of the pool's connections.
func (p *pgPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, dbError(err)
	}
	if p.serial {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", writeLock); err != nil {
			_ = tx.Rollback()
			return nil, dbError(err)
		}
	}
	return &pgTx{tx: tx, p: p}, nil
}

// GetDBConn gives GORM's DB() the database.
func (p *pgPool) GetDBConn() (*sql.DB, error) { return p.db, nil }

// pgTx is a transaction of a pgPool.
type pgTx struct {
	tx    *sql.Tx
	p     *pgPool
	wrote atomic.Bool // a statement wrote to a table not in quietTables
}

func (t *pgTx) markWrote() { t.wrote.Store(true) }

func (t *pgTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := t.tx.PrepareContext(ctx, pgOne(query))
	return st, dbError(err)
}

func (t *pgTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return pgExec(ctx, t.tx, query, args)
}

func (t *pgTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, pgOne(query), pgArgs(args)...)
	return rows, dbError(err)
}

func (t *pgTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, pgOne(query), pgArgs(args)...)
}

// Commit commits, then moves the generation if the transaction wrote; see
// generation.commit. site_state is written only once the schema has its
// version (gen.shared): on PostgreSQL a failed statement aborts the whole
// transaction.
func (t *pgTx) Commit() error {
	return dbError(t.p.gen.commit(t.wrote.Load(), t.tx.Commit, func() *sql.Row {
		return t.QueryRowContext(context.Background(), bumpVersionQuery)
	}))
}

func (t *pgTx) Rollback() error { return t.tx.Rollback() }
