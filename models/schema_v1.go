package models

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// schemaV1Tables is the SQL of step 1's tables and indexes, as the last
// release before schema versions made them: frozen, so that step 1 makes the
// same schema whatever the models say later ("IF NOT EXISTS" so that it also
// completes a database of that release).
//
//go:embed schema_v1.sql
var schemaV1Tables string

// schemaV1Postgres is schemaV1Tables on PostgreSQL, with the functions
// that stand for SQLite's.
//
//go:embed schema_v1_postgres.sql
var schemaV1Postgres string

// createTablesV1 runs the SQL of step 1's tables on d, one statement at a time.
func createTablesV1(tx *gorm.DB, d dialect) error {
	text := schemaV1Tables
	if d == postgresDialect {
		text = schemaV1Postgres
	}
	var stmts []string
	for _, q := range strings.Split(text, ";\n") {
		if q = strings.TrimSpace(stripSQLComments(q)); q != "" {
			stmts = append(stmts, q)
		}
	}
	return execAll(tx, stmts)
}

// stripSQLComments drops the "--" comment lines of a statement.
func stripSQLComments(q string) string {
	var b strings.Builder
	for _, line := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// createSchemaV1 is step 1: the tables, the story counters and the search
// index with their triggers (see counts.go and searchindex.go).
func createSchemaV1(ctx context.Context, tx *gorm.DB, d dialect) error {
	if err := createTablesV1(tx, d); err != nil {
		return err
	}
	if err := execAll(tx, countsSchema()); err != nil {
		return fmt.Errorf("story counts: %w", err)
	}
	if err := execAll(tx, d.searchSchema()); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// upgradeLegacy brings a database written before schema versions to
// version 1, in place: the releases before it checked the schema at each
// start and fixed what was missing or old; those checks run here, once.
func upgradeLegacy(ctx context.Context, tx *gorm.DB, d dialect) error {
	if d != sqliteDialect {
		return d.unsupported("legacy upgrade") // only SQLite sites predate versions
	}
	hadCounts, err := d.tableExists(tx, "story_counts")
	if err != nil {
		return err
	}
	searchCurrent, err := dropOldSearch(tx)
	if err != nil {
		return err
	}
	if err := createSchemaV1(ctx, tx, d); err != nil {
		return err
	}
	if err := backfillCompanyKeys(tx); err != nil {
		return err
	}
	if !hadCounts {
		if err := backfillCounts(tx); err != nil {
			return err
		}
	}
	if err := backfillPlainText(tx); err != nil {
		return err
	}
	if searchCurrent {
		return nil
	}
	var hi uint
	if err := tx.Raw("SELECT COALESCE(max(id), 0) FROM stories").Scan(&hi).Error; err != nil {
		return err
	}
	if err := reindex(tx, 0, hi, "c.body", unsharded); err != nil { // step 1's text (indexMaskedComments masks it)
		return err
	}
	return optimizeSearch(tx)
}
