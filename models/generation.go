package models

import (
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

// The writer's transactions (stmtTx, in stmtpool.go) move the generation
// once they are committed, if they wrote to a table other than quietTables.
// Signing in, sessions sliding and OAuth states thus leave the generation,
// and the cached pages, alone.
// quietTables hold what no page shows: writing to them moves no generation.
// A list of exceptions, so that a new table counts until it is listed here.
var quietTables = []string{"sessions", "login_states", "one_time_tokens", "identities", "site_keys"}

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
		if t, ok := tx.Statement.ConnPool.(*stmtTx); ok {
			t.wrote.Store(true)
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
