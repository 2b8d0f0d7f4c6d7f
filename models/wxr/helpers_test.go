package wxr

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"doleances/models"
)

// fixturePath finds ../shared/testdata/wordpress/expat-blog.wxr.xml beside
// the repository, from whichever package directory the test runs in. It is
// missing only outside CI (CI has ../shared beside the clone): a skip there,
// a failure under CI=true.
func fixturePath(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for range 6 {
		p := filepath.Join(dir, "..", "shared", "testdata", "wordpress", "expat-blog.wxr.xml")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		dir = filepath.Dir(dir)
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("the WordPress fixture ../shared/testdata/wordpress/expat-blog.wxr.xml is missing beside the repository")
	}
	t.Skip("no ../shared/testdata/wordpress beside the repository")
	return ""
}

// site is a store in a temporary folder, with a raw handle to count rows.
type site struct {
	*models.Store
	db *gorm.DB
}

func newSite(t testing.TB) *site {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := models.Open(path, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := gorm.Open(sqlite.Open("file:"+path+"?_query_only=true"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sdb, err := db.DB(); err == nil {
			sdb.Close()
		}
		s.Close()
	})
	return &site{Store: s, db: db}
}

// count runs a COUNT query.
func (s *site) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// importFile imports path into s.
func importFile(t testing.TB, s *site, path string, opt Options) (*Summary, error) {
	t.Helper()
	return Import(context.Background(), s.Store, func() (io.ReadCloser, error) { return os.Open(path) }, opt)
}

// importString imports an export given as text.
func importString(s *site, text string, opt Options) (*Summary, error) {
	return Import(context.Background(), s.Store, func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(text)), nil
	}, opt)
}
