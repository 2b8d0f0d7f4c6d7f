package models

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// What differs between the two database engines lives here and in
// postgres.go: the store's queries and the migration steps are written
// once, in SQLite's dialect, and the PostgreSQL connection pool rewrites
// their text (pgRewrite) where the engines spell the same thing
// differently; the rest (catalog look-ups, triggers, search) are methods
// of dialect.

// errDialect is returned by a step that has no variant for the database engine.
var errDialect = errors.New("database engine not supported by this migration")

// dialect is a database engine, as the migrations and the store see it.
type dialect struct {
	name string
}

var (
	// sqliteDialect is the dialect of the SQLite store.
	sqliteDialect = dialect{name: "sqlite"}
	// postgresDialect is the dialect of the PostgreSQL store.
	postgresDialect = dialect{name: "postgres"}
)

// unsupported is the error of a step that has no variant for d.
func (d dialect) unsupported(step string) error {
	return fmt.Errorf("%s: %w: %s", step, errDialect, d.name)
}

// tableExists says whether the database has a table called name.
func (d dialect) tableExists(tx *gorm.DB, name string) (bool, error) {
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if d == postgresDialect {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int64
	err := tx.Raw(q, name).Scan(&n).Error
	return n > 0, err
}

// addColumn adds column (with its SQL definition, in SQLite's types) to
// table unless it is there already (a step may have been half-applied by hand).
func (d dialect) addColumn(tx *gorm.DB, table, column, definition string) error {
	q := "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?"
	if d == postgresDialect {
		q = "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?"
	}
	var n int64
	if err := tx.Raw(q, table, column).Scan(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return tx.Exec("ALTER TABLE `" + table + "` ADD COLUMN `" + column + "` " + definition).Error
}

// lockSchema makes the migration transaction tx wait for any other
// process migrating the same database: SQLite's writer lock does it by
// itself, PostgreSQL needs an advisory lock, held until tx ends.
func (d dialect) lockSchema(tx *gorm.DB) error {
	if d != postgresDialect {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(1972180800)").Error
}

// catchUpIDs moves the id sequences of tables past the ids in use, after
// rows were inserted with ids of their own (an import numbers its rows):
// SQLite's AUTOINCREMENT does so by itself, a PostgreSQL sequence does not.
// Tables without an id column are passed over; an empty table's next id is 1.
func (d dialect) catchUpIDs(tx *gorm.DB, tables ...string) error {
	if d != postgresDialect {
		return nil
	}
	for _, t := range tables {
		if !tx.Migrator().HasColumn(t, "id") {
			continue
		}
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM "%[1]s"`, t)
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("ids of %s: %w", t, err)
		}
	}
	return nil
}

// isPostgresURL says whether a database address names a PostgreSQL server.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// timeParam is a time parameter to compare to a time column: on SQLite,
// which binds times as text, CAST(? AS TEXT), so that a query ordered by
// the column is not planned for the value bound (SQLite then prepared it
// again at every run).
func (d dialect) timeParam() string {
	if d == postgresDialect {
		return "?"
	}
	return "CAST(? AS TEXT)"
}
