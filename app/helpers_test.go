package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"doleances/models"
)

// queryCounter is a GORM logger that counts the SQL statements it sees.
type queryCounter struct {
	logger.Interface
	n atomic.Int64
}

func (q *queryCounter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	q.n.Add(1)
}

type testSite struct {
	srv     *Server
	store   *models.Store
	queries *queryCounter
}

// newTestSite builds a server on a fresh database in a temporary folder,
// with the demo site when demo is set.
func newTestSite(t *testing.T, demo bool) *testSite {
	t.Helper()
	return newTestSiteWith(t, demo, nil)
}

// newTestSiteWith is newTestSite with the configuration changed by edit.
func newTestSiteWith(t *testing.T, demo bool, edit func(*Config)) *testSite {
	t.Helper()
	dir := t.TempDir()
	qc := &queryCounter{Interface: logger.Discard}
	store, err := models.Open(filepath.Join(dir, "doleances.db"), models.Options{Logger: qc})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Addr: "127.0.0.1:0", BaseURL: "http://doleances.test", Data: dir, Demo: demo}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := newServer(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), store)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &testSite{srv: srv, store: store, queries: qc}
}

// get fetches path through the real route table.
func (ts *testSite) get(t *testing.T, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := ts.srv.web.app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body), resp.Header
}

func newGet(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }
