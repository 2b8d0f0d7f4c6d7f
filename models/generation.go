package models

import (
	"context"
	"database/sql"
	"slices"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// The site generation is a counter that moves after every committed write,
// so that whatever is derived from the data (rendered pages, the sidebar) can
// be kept as long as the generation it was made in is current. It lives in
// the process and costs an atomic load to read; writes from another process
// (a CLI command, the sqlite3 shell) are noticed within externalPoll through
// site_state.changed_at, which triggers move on every content write.

// externalPoll is how often Generation looks at site_state for writes made
// by another process.
const externalPoll = time.Second

type generation struct {
	n        atomic.Uint64
	polled   atomic.Int64 // Unix nanoseconds of the last look at site_state
	changed  atomic.Value // the site_state.changed_at seen then (string)
	readOnly *gorm.DB
}

func (g *generation) bump() { g.n.Add(1) }

// Generation returns the site generation: two equal values mean that no
// write was committed between the two calls. Read it before reading what
// depends on it, so that a write during the reading makes the result old.
func (s *Store) Generation() uint64 {
	g := s.gen
	if last := g.polled.Load(); time.Since(time.Unix(0, last)) >= externalPoll &&
		g.polled.CompareAndSwap(last, time.Now().UnixNano()) {
		var v string
		err := g.readOnly.Raw("SELECT changed_at FROM site_state WHERE id = 1").Scan(&v).Error
		if old, _ := g.changed.Swap(v).(string); err != nil || old != v {
			g.bump()
		}
	}
	return g.n.Load()
}

// notifyingPool is the writer's connection pool as GORM sees it: the same
// *sql.DB, whose transactions move the generation once they are committed,
// if they wrote to a table other than quietTables. Signing in, sessions
// sliding and OAuth states thus leave the generation, and the cached pages,
// alone.
// quietTables hold what no page shows: writing to them moves no generation.
// A list of exceptions, so that a new table counts until it is listed here.
var quietTables = []string{"sessions", "login_states", "one_time_tokens", "identities", "site_keys"}

type notifyingPool struct {
	*sql.DB
	gen *generation
}

// BeginTx makes GORM use notifyingTx for the writer's transactions.
func (p *notifyingPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &notifyingTx{Tx: tx, gen: p.gen}, nil
}

// GetDBConn gives GORM the *sql.DB (for DB(), pool settings and Close).
func (p *notifyingPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

type notifyingTx struct {
	*sql.Tx
	gen   *generation
	wrote atomic.Bool // a statement wrote to a table not in quietTables
}

// Commit commits, then moves the generation: a reader that saw the old
// generation also saw the old data, and one that sees the new also sees the new.
func (t *notifyingTx) Commit() error {
	err := t.Tx.Commit()
	if t.wrote.Load() {
		t.gen.bump()
	}
	return err
}

// watchWrites marks the transactions that write to a table not in
// quietTables, and
// moves the generation after such statements run outside a transaction
// (db.Exec, Raw(...).Scan), which commit as they run. Raw SQL names no
// table GORM knows of, so it always counts.
func watchWrites(db *gorm.DB, gen *generation) error {
	mark := func(tx *gorm.DB) {
		if slices.Contains(quietTables, tx.Statement.Table) {
			return
		}
		switch pool := tx.Statement.ConnPool.(type) {
		case *gorm.PreparedStmtTX:
			if nt, ok := pool.Tx.(*notifyingTx); ok {
				nt.wrote.Store(true)
				return
			}
		case *notifyingTx:
			pool.wrote.Store(true)
			return
		}
		gen.bump()
	}
	// GORM commits its own transaction of a Create, Update or Delete in
	// commit_or_rollback_transaction: the mark must come before it.
	const commit = "gorm:commit_or_rollback_transaction"
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().Before(commit).Register("doleances:generation", mark),
		cb.Update().Before(commit).Register("doleances:generation", mark),
		cb.Delete().Before(commit).Register("doleances:generation", mark),
		cb.Raw().After("*").Register("doleances:generation", mark),
		cb.Row().After("*").Register("doleances:generation", mark),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
