package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// SQLite folds the write-ahead log back into the database (a checkpoint,
// with an fsync of both files) in the COMMIT of whichever write pushes the
// log past 1,000 pages, while that write still holds the single writer
// connection that every other write waits for. At a few hundred comments
// a second that was most of a comment's time on the writer (1.2 ms of a
// transaction, against 0.3 ms without). The writer therefore checkpoints
// only as a last resort (walSafetyPages), and a connection of its own does
// it in the background, PASSIVE, so that writers never wait for it.

// checkpointEvery is how often the background checkpoint runs.
const checkpointEvery = 200 * time.Millisecond

// walSafetyPages is the writer's own automatic checkpoint, in case the
// background one falls behind (~40 MB of log).
const walSafetyPages = 10000

// startCheckpointer sets the writer's automatic checkpoint to
// walSafetyPages and starts checkpointing the database at dsn in the
// background; stop ends it.
func startCheckpointer(writer *sql.DB, dsn string) (stop func(), err error) {
	if _, err := writer.Exec(fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", walSafetyPages)); err != nil {
		return nil, fmt.Errorf("wal_autocheckpoint: %w", err)
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				// Errors (busy, a database being closed) only delay the
				// next checkpoint; the writer's own one is the fallback.
				_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
		db.Close()
	}, nil
}
