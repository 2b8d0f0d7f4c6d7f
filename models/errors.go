package models

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The errors the store returns, in one place: callers match them with
// errors.Is (the sentinels) or errors.As (*ValidationError).

// ErrNotFound is returned when the thing asked for does not exist (or is not
// visible to the one asking).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a change clashes with existing data.
var ErrConflict = errors.New("conflict")

// ErrForbidden is returned when a user may not do what they asked.
var ErrForbidden = errors.New("forbidden")

// ErrLastSignIn is returned when unlinking would leave a user no way to sign in.
var ErrLastSignIn = errors.New("last way to sign in")

// ErrCommentsClosed is returned when a story's author has closed its comments.
var ErrCommentsClosed = fmt.Errorf("comments are closed: %w", ErrConflict)

// ErrEditWindowClosed is returned when a comment is edited after EditWindow.
var ErrEditWindowClosed = fmt.Errorf("the time to edit this comment is over: %w", ErrConflict)

// ErrNotDraft is returned by AutosaveDraft for a story that is public or
// waiting for review: its changes are saved by hand only.
var ErrNotDraft = fmt.Errorf("not a draft: %w", ErrConflict)

// ErrAlreadyReported is returned when a reader reports the same thing twice.
var ErrAlreadyReported = fmt.Errorf("already reported: %w", ErrConflict)

// ErrTooSoon is matched (errors.Is) by a TooSoonError.
var ErrTooSoon = errors.New("too soon after the previous comment")

// TooSoonError says how long a person must wait before commenting again.
type TooSoonError struct {
	Wait time.Duration
}

func (e *TooSoonError) Error() string {
	return fmt.Sprintf("%v: wait %v", ErrTooSoon, e.Wait)
}

// Is makes errors.Is(err, ErrTooSoon) true.
func (e *TooSoonError) Is(target error) bool { return target == ErrTooSoon }

// ErrFormTooFast is returned by CheckFormTiming for a form posted faster than a person can type.
var ErrFormTooFast = errors.New("form posted too fast")

// ErrNotADatabase is a file that is not a Doléances database: not SQLite,
// or SQLite without the site's tables.
var ErrNotADatabase = errors.New("not a Doléances database")

// ErrCorrupt is a database that fails PRAGMA integrity_check.
var ErrCorrupt = errors.New("database fails its integrity check")

// ValidationError carries a message per form field.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid input (%d fields)", len(e.Fields))
}

// Summary is the field messages in one text, in the order of the field names.
func (e *ValidationError) Summary() string {
	names := slices.Sorted(maps.Keys(e.Fields))
	msgs := make([]string, len(names))
	for i, n := range names {
		msgs[i] = e.Fields[n]
	}
	return strings.Join(msgs, " ")
}

// notFound translates GORM's record-not-found into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
