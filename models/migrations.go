package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// A migration is one step of the schema: Up changes a database at the
// version before it into the version after it. Steps are never edited once
// released: a change to the schema is a new step appended to migrations.
type migration struct {
	// Name says what the step does, for errors and the log.
	Name string
	// Up runs inside the transaction that also records the new version, so
	// a step that fails leaves the database at the version before it.
	Up func(ctx context.Context, tx *gorm.DB, d dialect) error
}

// migrations is the schema, in order; a database at version n has had the
// first n applied. Append new steps at the end, never in between.
var migrations = []migration{
	{Name: "schema of the first versioned release", Up: createSchemaV1},
	{Name: "reader edits held for review", Up: createPendingEdits},
	{Name: "reader updates held for review", Up: func(ctx context.Context, tx *gorm.DB, d dialect) error {
		return d.addColumn(tx, "story_updates", "pending", "numeric NOT NULL DEFAULT false")
	}},
	{Name: "imports: what each imported item became, and the old addresses", Up: createImportTables},
	{Name: "email: outbox, follows, mail states and switches", Up: createMail},
	{Name: "pictures: uploads, the stories that show them, covers and logos", Up: createPictures},
	{Name: "companies answer: representatives, official replies, scorecards", Up: createCompanySide},
	{Name: "personal data a writer chose to show", Up: addShownPII},
	{Name: "notices, audit log and legal pages", Up: createSafetyTables},
	{Name: "personal data masked in stories saved before", Up: maskStoriesSaved},
	{Name: "writing: reading time, daily reads, author links", Up: createWritingStats},
	{Name: "company claims, reply mails, notices about company replies", Up: addCompanyClaims},
	{Name: "personal data masked in comments and company replies saved before", Up: maskCommentsSaved},
	{Name: "transparency: a version of the notices, for the memo of its figures", Up: addNoticesVersion},
	{Name: "state shared between instances: rate limits, site version", Up: createSharedState},
	{Name: "each story's language", Up: func(ctx context.Context, tx *gorm.DB, d dialect) error {
		return d.addColumn(tx, "stories", "lang", "varchar(10) NOT NULL DEFAULT ''")
	}},
	{Name: "the comment search index holds the masked text", Up: indexMaskedComments},
	{Name: "comment indexes: one for each rule read on the writer, without the NULL rows", Up: createCommentIndexes},
	{Name: "the search index in shards of 4,096 stories", Up: shardSearchIndex},
}

// createImportTables is step 4: ImportKey and LegacyPath (imported.go),
// for the WordPress import.
func createImportTables(ctx context.Context, tx *gorm.DB, d dialect) error {
	return execAll(tx, []string{
		"CREATE TABLE IF NOT EXISTS `import_keys` (`id` integer PRIMARY KEY AUTOINCREMENT,`source` text NOT NULL," +
			"`kind` text NOT NULL,`key` text NOT NULL,`target_id` integer NOT NULL)",
		"CREATE UNIQUE INDEX IF NOT EXISTS `idx_import_keys` ON `import_keys`(`source`,`kind`,`key`)",
		"CREATE TABLE IF NOT EXISTS `legacy_paths` (`id` integer PRIMARY KEY AUTOINCREMENT,`path` text NOT NULL," +
			"`kind` text NOT NULL,`target_id` integer NOT NULL)",
		"CREATE UNIQUE INDEX IF NOT EXISTS `idx_legacy_paths_path` ON `legacy_paths`(`path`)",
	})
}

// createPictures is step 6: a row per uploaded picture, the pictures each
// story shows, a story's cover (also in a held edit) and a company's logo.
func createPictures(ctx context.Context, tx *gorm.DB, d dialect) error {
	err := execAll(tx, []string{
		"CREATE TABLE IF NOT EXISTS `pictures` (`id` integer PRIMARY KEY AUTOINCREMENT,`name` text NOT NULL," +
			"`owner_id` integer NOT NULL,`kind` text NOT NULL DEFAULT 'story',`ext` text NOT NULL,`files` text NOT NULL," +
			"`width` integer NOT NULL,`height` integer NOT NULL,`alt` text NOT NULL DEFAULT '',`bytes` integer NOT NULL DEFAULT 0," +
			"`orphaned` numeric NOT NULL DEFAULT false,`created_at` datetime)",
		"CREATE UNIQUE INDEX IF NOT EXISTS `idx_pictures_name` ON `pictures`(`name`)",
		"CREATE INDEX IF NOT EXISTS `idx_pictures_owner_id` ON `pictures`(`owner_id`)",
		"CREATE INDEX IF NOT EXISTS `idx_pictures_orphaned` ON `pictures`(`orphaned`)",
		"CREATE TABLE IF NOT EXISTS `story_pictures` (`story_id` integer,`picture_id` integer,PRIMARY KEY (`story_id`,`picture_id`))",
		"CREATE INDEX IF NOT EXISTS `idx_story_pictures_picture_id` ON `story_pictures`(`picture_id`)",
	})
	if err != nil {
		return err
	}
	for _, c := range []struct{ table, column, def string }{
		{"stories", "cover", "text NOT NULL DEFAULT ''"},
		{"stories", "cover_alt", "text NOT NULL DEFAULT ''"},
		{"pending_edits", "cover", "text NOT NULL DEFAULT ''"},
		{"pending_edits", "cover_alt", "text NOT NULL DEFAULT ''"},
		{"companies", "logo_url", "text NOT NULL DEFAULT ''"},
	} {
		if err := d.addColumn(tx, c.table, c.column, c.def); err != nil {
			return err
		}
	}
	return nil
}

// createPendingEdits is step 2: the changes a reader made to a published
// story, held until an admin reviews them (one per story).
func createPendingEdits(ctx context.Context, tx *gorm.DB, d dialect) error {
	return execAll(tx, []string{
		"CREATE TABLE IF NOT EXISTS `pending_edits` (`id` integer PRIMARY KEY AUTOINCREMENT,`story_id` integer NOT NULL," +
			"`editor_id` integer NOT NULL,`title` text NOT NULL,`body` text NOT NULL,`html` text NOT NULL,`company_id` integer," +
			"`city` text,`resolution` text NOT NULL,`category_ids` text,`tags` text,`created_at` datetime,`updated_at` datetime," +
			"CONSTRAINT `fk_stories_pending` FOREIGN KEY (`story_id`) REFERENCES `stories`(`id`)," +
			"CONSTRAINT `fk_pending_edits_company` FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`))",
		"CREATE UNIQUE INDEX IF NOT EXISTS `idx_pending_edits_story_id` ON `pending_edits`(`story_id`)",
	})
}

// legacyVersion is the version of a database written before versions were
// recorded: the releases up to then had the schema of step 1 (after their
// own fix-ups, which upgradeLegacy runs once).
const legacyVersion = 1

// ErrSchemaTooNew is returned by Open for a database written by a newer
// release, whose schema this binary does not know.
var ErrSchemaTooNew = errors.New("the database was written by a newer release of Doléances")

// versionTable holds the schema version, in one row. It is a table rather
// than SQLite's user_version so that PostgreSQL can keep it the same way.
const versionTable = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"

// readVersion returns the version recorded in the database; a database
// without one is at 0 if it is empty and at legacyVersion if it has the
// tables of a release from before versions (legacy is then true).
func readVersion(tx *gorm.DB, d dialect) (v int, legacy bool, err error) {
	has, err := d.tableExists(tx, "schema_version")
	if err != nil {
		return 0, false, err
	}
	if has {
		if err := tx.Raw("SELECT COALESCE(max(version), 0) FROM schema_version").Scan(&v).Error; err != nil || v > 0 {
			return v, false, err
		}
	}
	if legacy, err = d.tableExists(tx, "stories"); legacy {
		v = legacyVersion
	}
	return v, legacy, err
}

// MigrationsPending says whether Open has migration steps to run on the
// SQLite file at path, reading it without writing anything, nor beside it
// (no lock, no -wal or -shm): a file shared between runs, such as the
// benchmark's seeded sites, is then opened for writing only when it must be.
func MigrationsPending(ctx context.Context, path string) (bool, error) {
	db, err := openRaw(path, "mode=ro&immutable=1")
	if err != nil {
		return false, err
	}
	defer closeRaw(db)
	v, _, err := readVersion(db.WithContext(ctx), sqliteDialect)
	if err != nil {
		return false, fmt.Errorf("schema version of %s: %w", path, err)
	}
	// A newer schema counts too: Open says what to do about it.
	return v != len(migrations), nil
}

// writeVersion records v as the database's version.
func writeVersion(tx *gorm.DB, v int) error {
	for _, q := range []string{versionTable, "DELETE FROM schema_version"} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return tx.Exec("INSERT INTO schema_version (version) VALUES (?)", v).Error
}

// migrate brings the database up to the last of steps, one transaction per
// step. Each reads the version inside its own transaction, so two processes
// opening the same file cannot run a step twice.
func migrate(ctx context.Context, db *gorm.DB, d dialect, steps []migration) error {
	for {
		done := false
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := d.lockSchema(tx); err != nil {
				return fmt.Errorf("schema lock: %w", err)
			}
			v, legacy, err := readVersion(tx, d)
			if err != nil {
				return fmt.Errorf("schema version: %w", err)
			}
			switch {
			case v > len(steps):
				return fmt.Errorf("%w: its schema is version %d, this binary knows up to %d; run the newer release or restore a backup",
					ErrSchemaTooNew, v, len(steps))
			case legacy:
				if err := upgradeLegacy(ctx, tx, d); err != nil {
					return fmt.Errorf("upgrade of a database from before schema versions: %w", err)
				}
			case v == len(steps):
				done = true
				return nil
			default:
				if err := steps[v].Up(ctx, tx, d); err != nil {
					return fmt.Errorf("migration %d (%s): %w", v+1, steps[v].Name, err)
				}
				v++
			}
			return writeVersion(tx, v)
		})
		if err != nil || done {
			return err
		}
	}
}

// execAll runs the statements in order; a step's list of DDL.
func execAll(tx *gorm.DB, stmts []string) error {
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
