package models

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// openPostgres opens the PostgreSQL database at url and migrates it. One
// pool serves reads and writes: PostgreSQL runs concurrent writers itself,
// so the single-writer connection that SQLite needs has no use here.
func openPostgres(addr string, opt Options, utc func() time.Time, lg logger.Interface) (*Store, error) {
	db, err := sql.Open("pgx", addr)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redactURL(addr), err)
	}
	n := opt.Readers
	if n <= 0 {
		n = 10
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	gen := &generation{}
	conf := func() *gorm.Config { return &gorm.Config{NowFunc: utc, Logger: lg, TranslateError: true} }
	wpool, rpool := &pgPool{db: db, gen: gen, serial: true}, &pgPool{db: db, gen: gen}
	w, err := gorm.Open(postgres.New(postgres.Config{Conn: wpool}), conf())
	var r *gorm.DB
	if err == nil {
		r, err = gorm.Open(postgres.New(postgres.Config{Conn: rpool}), conf())
	}
	if err == nil {
		err = watchWrites(w, gen)
	}
	if err == nil {
		err = migrate(context.Background(), w, postgresDialect, migrations)
	}
	if err == nil {
		gen.shared.Store(true)
		err = refreshStale(w)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", redactURL(addr), err)
	}
	gen.readOnly = r.Session(&gorm.Session{Logger: logger.Discard})
	span := opt.SearchSpan
	if span == 0 {
		span = SearchSpan
	}
	return &Store{r: r, w: w, now: utc, gen: gen, span: span, d: postgresDialect}, nil
}

// redactURL is a database address without its password, for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}
