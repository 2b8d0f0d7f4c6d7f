package models

import (
	"database/sql"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// The site generation is a counter that moves after every committed write,
// so that whatever is derived from the data (rendered pages, the sidebar) can
// be kept as long as the generation it was made in is current. It lives in
// the process and costs an atomic load to read. Writes from another process
// (another instance on the same database, a CLI command, the sqlite3 shell)
// are noticed within externalPoll through site_state: every writing
// transaction of a Store moves site_state.version before it commits, and
// triggers move site_state.changed_at on every content write, whoever makes
// it.

// externalPoll is how often Generation looks at site_state for writes made
// by another process: the longest a page cached by one instance may be
// served after another instance committed a write it shows.
const externalPoll = time.Second

type generation struct {
	n        atomic.Uint64
	polled   atomic.Int64 // Unix nanoseconds of the last look at site_state
	mu       sync.Mutex
	changed  string // the latest site_state.changed_at seen or written
	commits  uint64 // committed calls, for a look that a commit overtook
	readOnly *gorm.DB
	// shared is set once the schema has site_state.version (after the
	// migrations): writing transactions then move it.
	shared atomic.Bool
}

func (g *generation) bump() { g.n.Add(1) }

// committed moves the generation after a transaction of this process that
// wrote, and notes the changed_at it left (read inside it, when ok): the
// next look at site_state then takes it for this write, already counted,
// not for another process's. Without it every write emptied the page cache
// and the memos twice, the second time up to externalPoll later, and a
// request slower than that (a loaded machine) loaded the sidebar twice.
// A write of another process before the transaction is counted by this
// move too: it was committed before it, so what is read after it sees it.
func (g *generation) committed(changed string, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if ok {
		g.changed = changed
	}
	g.commits++
	g.bump()
}

// look reads site_state.changed_at and moves the generation if it is not
// the value last seen or written by this process. The query runs outside
// the lock, which commits take.
func (g *generation) look() {
	g.mu.Lock()
	commits := g.commits
	g.mu.Unlock()
	var v string
	err := scanState(g.readOnly.Raw(stateQuery).Row(), &v)
	g.mu.Lock()
	defer g.mu.Unlock()
	if err != nil || v != g.changed {
		g.bump()
	}
	if err == nil && commits == g.commits { // else v may be older than what a commit noted
		g.changed = v
	}
}

// stateQuery reads the version of the data pages show and when it last
// changed; bumpVersionQuery moves the version and reads both.
const (
	stateQuery       = "SELECT version, changed_at FROM site_state WHERE id = 1"
	bumpVersionQuery = "UPDATE site_state SET version = version + 1 WHERE id = 1 RETURNING version, changed_at"
)

// scanState reads a row of stateQuery or bumpVersionQuery into one string
// to compare.
func scanState(row *sql.Row, state *string) error {
	var version int64
	var changed string
	if err := row.Scan(&version, &changed); err != nil {
		return err
	}
	*state = strconv.FormatInt(version, 10) + " " + changed
	return nil
}

// Generation returns the site generation: two equal values mean that no
// write was committed between the two calls. Read it before reading what
// depends on it, so that a write during the reading makes the result old.
//
// It looks at site_state when externalPoll has passed on the store's clock
// since its last look (or the clock went back), so that tests move it by
// hand.
func (s *Store) Generation() uint64 {
	g := s.gen
	now := s.now().UnixNano()
	if last := g.polled.Load(); (now-last >= int64(externalPoll) || now < last) && g.polled.CompareAndSwap(last, now) {
		g.look()
	}
	return g.n.Load()
}

// commit ends a transaction of the writer's pool (stmtTx, pgTx) with
// commit, and moves the generation if the transaction wrote (wrote). A
// writing transaction first moves site_state.version, which other
// instances look at, through bump (bumpVersionQuery in the transaction),
// and notes what it leaves there, read before the commit so that no other
// process's write comes between; schema steps run before the version
// column exists (shared is false): ok stays false.
func (g *generation) commit(wrote bool, commit func() error, bump func() *sql.Row) error {
	changed, ok := "", false
	if wrote && g.shared.Load() {
		ok = scanState(bump(), &changed) == nil
	}
	err := commit()
	if wrote {
		g.committed(changed, ok && err == nil)
	}
	return err
}

// The writer's transactions (stmtTx, in stmtpool.go) move the generation
// once they are committed, if they wrote to a table other than quietTables.
// Signing in, sessions sliding and OAuth states thus leave the generation,
// and the cached pages, alone.
// quietTables hold what no page shows: writing to them moves no generation.
// A list of exceptions, so that a new table counts until it is listed here.
// The read counts are shown on their author's own pages only.
var quietTables = []string{"sessions", "login_states", "one_time_tokens", "identities", "site_keys", "rate_limits",
	"read_salts", "story_reads", "story_read_counts"}

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
		if t, ok := tx.Statement.ConnPool.(interface{ markWrote() }); ok {
			t.markWrote()
			return
		}
		gen.bump()
	}
	// A statement that changed no row (an UPDATE or DELETE matching
	// nothing, an INSERT ... ON CONFLICT DO NOTHING that met its row, a
	// sweep with nothing to sweep) changed no page: it must not empty the
	// caches of every instance. A failed one counts, to be safe. Row (a
	// Raw(...).Scan) cannot tell: it runs before the rows are read.
	changed := func(tx *gorm.DB) {
		if tx.Error == nil && tx.RowsAffected == 0 {
			return
		}
		mark(tx)
	}
	// GORM commits its own transaction of a Create, Update or Delete in
	// commit_or_rollback_transaction: the mark must come before it.
	const commit = "gorm:commit_or_rollback_transaction"
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().Before(commit).Register("doleances:generation", changed),
		cb.Update().Before(commit).Register("doleances:generation", changed),
		cb.Delete().Before(commit).Register("doleances:generation", changed),
		cb.Raw().After("*").Register("doleances:generation", changed),
		cb.Row().After("*").Register("doleances:generation", mark),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
