package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// autoMigrateV1 creates (or, on a legacy database, completes) the tables
// of the GORM models as they were at version 1. Later steps must not call
// it: the models change, and a step's schema must not.
func autoMigrateV1(tx *gorm.DB) error {
	if err := tx.SetupJoinTable(&Story{}, "Categories", &StoryCategory{}); err != nil {
		return err
	}
	if err := tx.SetupJoinTable(&Story{}, "Tags", &StoryTag{}); err != nil {
		return err
	}
	err := tx.AutoMigrate(&User{}, &Category{}, &Tag{}, &Company{}, &Story{}, &StoryCategory{}, &StoryTag{}, &Comment{},
		&Identity{}, &Session{}, &LoginState{}, &OneTimeToken{}, &Like{}, &MeToo{}, &Report{})
	if err != nil {
		return err
	}
	// Writing side: history, former slugs, updates.
	return tx.AutoMigrate(&Revision{}, &SlugRedirect{}, &StoryUpdate{}, &CompanyRedirect{}, &SiteKey{})
}

// createSchemaV1 is step 1: the tables, the story counters and the search
// index with their triggers (see counts.go and searchindex.go).
func createSchemaV1(ctx context.Context, tx *gorm.DB, d dialect) error {
	if d != sqliteDialect {
		// The counters' and the search index's triggers and FTS4 tables
		// are SQLite's; PostgreSQL needs its own variant of this step.
		return d.unsupported("schema v1")
	}
	if err := autoMigrateV1(tx); err != nil {
		return err
	}
	if err := execAll(tx, countsSchema()); err != nil {
		return fmt.Errorf("story counts: %w", err)
	}
	if err := execAll(tx, searchSchema()); err != nil {
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
	if err := reindex(tx, 0, hi); err != nil {
		return err
	}
	return optimizeSearch(tx)
}
