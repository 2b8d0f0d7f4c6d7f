package models

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// ErrBusy is a write that waited for the database longer than its busy
// timeout: another process (a sqlite3 shell, a slow backup) held the write
// lock. Trying again a little later works; nothing was saved.
var ErrBusy = errors.New("the database is busy")

// goneMessage is the safety net's message for a form that refers to
// something deleted between the check and the write.
const goneMessage = "Something this form refers to (a category, a company, a story or a comment) no longer exists. Please check your choices and send it again."

// dbError names what SQLite's error means for the one who wrote: ErrBusy
// for a lock held too long, a *ValidationError for a reference to a row
// that does not exist (a foreign key: the checks before each write catch
// these first, this is the net under them), and err unchanged otherwise.
func dbError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pgError(pe, err)
	}
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch {
	case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
		return fmt.Errorf("%w: %w", ErrBusy, err)
	case se.ExtendedCode == sqlite3.ErrConstraintForeignKey:
		return &ValidationError{Fields: map[string]string{"form": goneMessage}}
	}
	return err
}

// pgError is dbError for PostgreSQL: a transaction that lost a race
// (serialization failure, deadlock, a lock not granted in time) is ErrBusy
// like SQLite's lock held too long, and a missing reference is the same
// *ValidationError. A duplicate key stays as it is: GORM turns it into
// gorm.ErrDuplicatedKey, as it does SQLite's.
func pgError(pe *pgconn.PgError, err error) error {
	switch pe.Code {
	case "40001", "40P01", "55P03":
		return fmt.Errorf("%w: %w", ErrBusy, err)
	case "23503":
		return &ValidationError{Fields: map[string]string{"form": goneMessage}}
	}
	return err
}
