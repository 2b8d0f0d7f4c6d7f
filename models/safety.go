package models

import "gorm.io/gorm"

// migrateSafety creates the tables of notices, the audit log and the
// legal pages.
func migrateSafety(db *gorm.DB) error {
	if err := db.AutoMigrate(&Notice{}, &LegalPage{}); err != nil {
		return err
	}
	return migrateAudit(db)
}
