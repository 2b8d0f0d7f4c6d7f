package models

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// stmtPool is the writer's connection pool as GORM sees it: it prepares each
// statement once, on the database, and runs it in a transaction through
// the same prepared statement; a committed transaction that wrote to a
// table pages show moves the site generation (see watchWrites). GORM's own PrepareStmt prepares a statement
// first used in a transaction on that transaction, so database/sql prepared
// it again in every later one: a fifth of a comment's time on the writer,
// which every other write waits for.
type stmtPool struct {
	db    *sql.DB
	gen   *generation
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxPooledStmts bounds the statements kept: queries whose text varies
// (IN lists of any length, savepoint names) run unprepared past it.
const maxPooledStmts = 500

func newStmtPool(db *sql.DB, gen *generation) *stmtPool {
	return &stmtPool{db: db, gen: gen, stmts: map[string]*sql.Stmt{}}
}

// cacheable says whether query is a query or a data change (schema
// changes run once, and are not kept).
func cacheable(query string) bool {
	head := strings.ToUpper(strings.TrimSpace(query[:min(len(query), 16)]))
	for _, verb := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"} {
		if strings.HasPrefix(head, verb) {
			return true
		}
	}
	return false
}

// cached returns the prepared statement for query, if there is one.
func (p *stmtPool) cached(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stmts[query]
}

// stmt returns the prepared statement for query, preparing it if it can be
// kept; nil if not. It needs the connection: never call it in a transaction.
func (p *stmtPool) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if !cacheable(query) {
		return nil, nil
	}
	if st := p.cached(query); st != nil {
		return st, nil
	}
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if old := p.stmts[query]; old != nil {
		st.Close()
		return old, nil
	}
	if len(p.stmts) >= maxPooledStmts {
		st.Close()
		return nil, nil
	}
	p.stmts[query] = st
	return st, nil
}

func (p *stmtPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.db.PrepareContext(ctx, query)
}

func (p *stmtPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.stmt(ctx, query)
	if err != nil || st == nil {
		res, err := p.db.ExecContext(ctx, query, args...)
		return res, dbError(err)
	}
	res, err := st.ExecContext(ctx, args...)
	return res, dbError(err)
}

func (p *stmtPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil || st == nil {
		rows, err := p.db.QueryContext(ctx, query, args...)
		return rows, dbError(err)
	}
	rows, err := st.QueryContext(ctx, args...)
	return rows, dbError(err)
}

func (p *stmtPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil || st == nil {
		return p.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// BeginTx starts a transaction whose statements are the pool's.
func (p *stmtPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, dbError(err)
	}
	return &stmtTx{tx: tx, p: p}, nil
}

// GetDBConn gives GORM's DB() the database.
func (p *stmtPool) GetDBConn() (*sql.DB, error) { return p.db, nil }

// stmtTx is a transaction of a stmtPool. The pool's single connection is
// the transaction's until it ends, so a statement not prepared yet runs
// unprepared and is prepared for the next transactions after this one.
type stmtTx struct {
	tx      *sql.Tx
	p       *stmtPool
	pending []string
	wrote   atomic.Bool // a statement wrote to a table not in quietTables
}

// stmt returns the pool's statement for query in this transaction, or nil.
func (t *stmtTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if !cacheable(query) {
		return nil
	}
	if st := t.p.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	t.pending = append(t.pending, query)
	return nil
}

func (t *stmtTx) markWrote() { t.wrote.Store(true) }

func (t *stmtTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, query)
}

func (t *stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := t.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = t.tx.ExecContext(ctx, query, args...)
	}
	return res, dbError(err)
}

func (t *stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	var rows *sql.Rows
	var err error
	if st := t.stmt(ctx, query); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = t.tx.QueryContext(ctx, query, args...)
	}
	return rows, dbError(err)
}

func (t *stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// Commit commits, then moves the generation if the transaction wrote (a
// reader that saw the old generation also saw the old data, and one that
// sees the new also sees the new), then prepares the statements this
// transaction met first.
func (t *stmtTx) Commit() error {
	err := t.p.gen.commit(t.wrote.Load(), t.tx.Commit, func() *sql.Row {
		return t.QueryRowContext(context.Background(), bumpVersionQuery)
	})
	if err != nil {
		return dbError(err)
	}
	for _, q := range t.pending {
		_, _ = t.p.stmt(context.Background(), q) // an error shows when the query runs again
	}
	return nil
}

func (t *stmtTx) Rollback() error { return t.tx.Rollback() }
