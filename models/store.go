package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store holds the database handles. Writes go through a single connection,
// so that read-then-write transactions are serialised in Go instead of failing
// with "database is locked"; reads use a small pool beside it (WAL lets them
// run while a write is in progress).
type Store struct {
	r     *gorm.DB
	w     *gorm.DB
	now   func() time.Time
	gen   *generation
	stop  func()    // stops the checkpointer
	span  uint      // stories one search reads; see SearchSpan
	posts postQueue // comments waiting for their group's commit
	// transparency keeps the last /transparency figures (see Transparency).
	transparency transparencyMemo
	// swept is the rate-limit window whose sweep this store last ran.
	swept atomic.Int64
	d     dialect
	// sessions keeps the sessions signed-in requests look up.
	sessions sessionCache
}

// Options tune Open.
type Options struct {
	// Now is the clock used for timestamps; nil means time.Now. Times are stored in UTC.
	Now func() time.Time
	// Readers is the size of the read pool; 0 means 4.
	Readers int
	// Logger receives GORM's SQL log; nil means silent.
	Logger logger.Interface
	// SearchSpan is how many stories one search reads; 0 means SearchSpan.
	SearchSpan uint
	// BusyTimeout is how long a write waits for a lock another process
	// holds before it fails with ErrBusy; 0 means 10 seconds.
	BusyTimeout time.Duration
	// SQLiteDriver is the database/sql driver the store's SQLite connections
	// open through; empty means mattn's "sqlite3". Tests register one whose
	// connections count SQLite's preparations.
	SQLiteDriver string
}

// Open opens the database at path and migrates it: a PostgreSQL database
// when path is a postgres:// address, else the SQLite file at path
// (created if needed).
func Open(path string, opt Options) (*Store, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	utc := func() time.Time { return now().UTC() }
	lg := opt.Logger
	if lg == nil {
		lg = logger.Discard
	}
	if isPostgresURL(path) {
		return openPostgres(path, opt, utc, lg)
	}
	conf := func() *gorm.Config {
		return &gorm.Config{NowFunc: utc, Logger: lg, PrepareStmt: true, TranslateError: true}
	}
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	base := fmt.Sprintf("file:%s?_busy_timeout=%d&_foreign_keys=on&_synchronous=NORMAL", path, busy.Milliseconds())
	driver := opt.SQLiteDriver
	if driver == "" {
		driver = sqlite.DriverName
	}
	wdb, err := sql.Open(driver, base+"&_journal_mode=WAL&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	// The writer prepares its statements itself and moves the generation
	// after its writes (see stmtPool).
	gen := &generation{}
	wconf := conf()
	wconf.PrepareStmt = false
	w, err := gorm.Open(sqlite.New(sqlite.Config{Conn: newStmtPool(wdb, gen)}), wconf)
	if err == nil {
		err = watchWrites(w, gen)
	}
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Before migrating: a file a bulk load left halfway is not a site.
	if err := checkBulkFinished(w); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(context.Background(), w, sqliteDialect, migrations); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	gen.shared.Store(true)
	// Scorecards an import cut short left to recompute (see Import).
	if err := refreshStale(w); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("scorecards of %s: %w", path, err)
	}
	// Each reader keeps 8 MiB of pages instead of SQLite's 2: on a large
	// site a search, which reads a span of stories and the newest part of
	// each word's doclist, otherwise read a sixth of its pages again from
	// the file (a median 14 % slower at 100,000 stories than at 1,000).
	r, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: driver, DSN: base + "&_query_only=true&_cache_size=-8192"}), conf())
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	rdb, err := r.DB()
	if err != nil {
		wdb.Close()
		return nil, err
	}
	n := opt.Readers
	if n <= 0 {
		n = 4
	}
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	// The look for other processes' writes is bookkeeping, not a page's query.
	gen.readOnly = r.Session(&gorm.Session{Logger: logger.Discard})
	stop, err := startCheckpointer(wdb, base)
	if err != nil {
		wdb.Close()
		rdb.Close()
		return nil, err
	}
	span := opt.SearchSpan
	if span == 0 {
		span = SearchSpan
	}
	return &Store{r: r, w: w, now: utc, gen: gen, stop: stop, span: span, d: sqliteDialect}, nil
}

// Close closes both database handles, readers first, then folds the
// write-ahead log into the database file so that a stopped site is one file.
func (s *Store) Close() error {
	if s.stop != nil {
		s.stop()
	}
	if s.d == postgresDialect { // one pool
		sqlDB, err := s.w.DB()
		if err != nil {
			return err
		}
		return sqlDB.Close()
	}
	var errs []error
	if sqlDB, err := s.r.DB(); err == nil {
		errs = append(errs, sqlDB.Close())
	}
	// Best effort: another process reading (a backup) may hold the log for
	// now; SQLite then folds it in on a later open.
	_ = checkpoint(context.Background(), s.w)
	if sqlDB, err := s.w.DB(); err == nil {
		errs = append(errs, sqlDB.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}
