package app

import (
	"bytes"
	"context"
	"doleances/models/pgtest"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"doleances/handlers"
	"doleances/models"
)

// This file builds the one test site of the package: newSite(t, options...).
// It answers through Fiber's app.Test, in the test's process, unless the
// test asks for a real server on 127.0.0.1 with listening(). Requests go
// through one family of helpers (request_test.go); the binary and fault
// tests build and run the real program instead.

// testBase is the base URL of a test site unless an option changes it.
const testBase = "https://doleances.example"

// plainBase is an http:// base URL, for what only such a site does
// (cookies without Secure, sign-in links in the log).
const plainBase = "http://doleances.test"

// testPeer is the address requests come from on an in-process site (the
// peer of Fiber's app.Test), for the tests of trusted proxies.
const testPeer = "0.0.0.0"

// siteStart is the clock of the sites with fixtures: stories are dated
// before it, and it is a round ten seconds, so that the form stamp of a page
// rendered then is exactly then.
var siteStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testClock is the one clock of the tests. A stopped clock stands at t
// until moved; a running one is the real time moved by offset, for the
// demo site, which is dated from the real time.
type testClock struct {
	mu      sync.Mutex
	t       time.Time
	running bool
	offset  time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return time.Now().Add(c.offset)
	}
	return c.t
}

// set puts a stopped clock at t (under the lock: the server reads it meanwhile).
func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t, c.offset = c.t.Add(d), c.offset+d
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// queryCounter is a GORM logger that counts the SQL statements it sees.
type queryCounter struct {
	logger.Interface
	n atomic.Int64
}

func (q *queryCounter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	q.n.Add(1)
}

// testSite is a site for one test, with what its fixtures made.
type testSite struct {
	t       *testing.T
	store   *models.Store
	srv     *Server
	web     *web
	clock   *testClock
	queries *queryCounter // nil on a listening site
	Log     *syncBuffer
	URL     string // the base URL; the real address of a listening site
	Data    string // the data folder
	dbPath  string // the SQLite file, or the postgres:// address

	// Made by withStories and withComments.
	author  *models.User
	stories map[string]*models.Story // withStories: box, velo, fibre, draft
	guest   string                   // withStories: a guest's email, which must never be shown
	admin   *models.User             // withComments
	readers []*models.User           // withComments: paul, ines
	story   *models.Story            // withComments: by author
	other   *models.Story            // withComments: by admin
}

// siteOption changes how newSite builds a site.
type siteOption func(*siteSetup)

type siteSetup struct {
	cfg      Config
	store    []func(*models.Options)
	start    time.Time
	listen   bool
	deps     []func(*handlers.Deps)
	fixtures []func(*testSite)
	clock    *testClock // shared with another site; nil: the site's own
}

// withConfig changes the site's configuration (limits, providers, ...).
func withConfig(edits ...func(*Config)) siteOption {
	return func(s *siteSetup) {
		for _, e := range edits {
			e(&s.cfg)
		}
	}
}

// withBase sets the site's base URL.
func withBase(u string) siteOption { return func(s *siteSetup) { s.cfg.BaseURL = u } }

// withDemo fills the site with the demo content, dated from the real time.
func withDemo() siteOption { return func(s *siteSetup) { s.cfg.Demo = true } }

// withClock stops the site's clock at t0 (the default: a clock running
// with the real time).
func withClock(t0 time.Time) siteOption { return func(s *siteSetup) { s.start = t0 } }

// withStore changes the store's options (a search span...).
func withStore(edit func(*models.Options)) siteOption {
	return func(s *siteSetup) { s.store = append(s.store, edit) }
}

// withDeps changes the handlers' dependencies (a sitemap size, a clock).
func withDeps(opts ...func(*handlers.Deps)) siteOption {
	return func(s *siteSetup) { s.deps = append(s.deps, opts...) }
}

// listening serves the site on 127.0.0.1:0, for what needs a real
// connection: timeouts, raw bytes, Chromium, a held database lock.
func listening() siteOption { return func(s *siteSetup) { s.listen = true } }

// newSite builds a fresh site in a temporary folder.
func newSite(t *testing.T, opts ...siteOption) *testSite {
	t.Helper()
	set := siteSetup{cfg: Config{Addr: "127.0.0.1:0", BaseURL: testBase, LogLevel: "debug"}}
	for _, o := range opts {
		o(&set)
	}
	clock := set.clock
	if clock == nil {
		clock = &testClock{t: set.start, running: set.start.IsZero()}
	}
	s := &testSite{t: t, clock: clock, Log: &syncBuffer{}, Data: t.TempDir()}
	set.cfg.Data, set.cfg.now = s.Data, s.clock.now
	if set.cfg.DatabaseURL == "" && pgtest.URL() != "" {
		set.cfg.DatabaseURL = testPostgres(t)
	}
	s.dbPath = set.cfg.databasePath()
	log := slog.New(slog.NewTextHandler(s.Log, nil))
	if set.listen {
		if len(set.deps)+len(set.store) > 0 {
			t.Fatal("withDeps and withStore change an in-process site only")
		}
		s.serve(set.cfg, log)
		for _, f := range set.fixtures {
			f(s)
		}
	} else {
		s.build(set, log)
	}
	s.web, s.URL = s.srv.web, s.srv.cfg.BaseURL
	return s
}

// testPostgres is a fresh PostgreSQL database for a test's site, when the
// tests run on PostgreSQL (see pgtest).
func testPostgres(t testing.TB) string {
	t.Helper()
	return pgtest.Database(t, func(addr string) error {
		s, err := models.Open(addr, models.Options{})
		if err == nil {
			err = s.Close()
		}
		return err
	})
}

// onPostgres skips a test that is about SQLite itself (its file, its
// locks, backups of it) when the tests run on PostgreSQL.
func onPostgres(t testing.TB, why string) {
	t.Helper()
	if pgtest.URL() != "" {
		t.Skip("SQLite only: " + why)
	}
}

// databaseURL is the site's -database-url: empty for its SQLite file.
func (s *testSite) databaseURL() string {
	if strings.HasPrefix(s.dbPath, "postgres") {
		return s.dbPath
	}
	return ""
}

// cliEnv is the environment of a command run on the site's database.
func (s *testSite) cliEnv() func(string) string {
	return func(k string) string {
		if k == "DOLEANCES_DATABASE_URL" {
			return s.databaseURL()
		}
		return ""
	}
}

// rawDB opens the site's database without the store (read only on
// SQLite), for the tests that look at every table; close it with closeRaw.
func (s *testSite) rawDB() *gorm.DB {
	s.t.Helper()
	d := sqlite.Open("file:" + s.dbPath + "?mode=ro")
	if strings.HasPrefix(s.dbPath, "postgres") {
		d = postgres.Open(s.dbPath)
	}
	db, err := gorm.Open(d, &gorm.Config{Logger: logger.Discard})
	check(s.t, err)
	return db
}

// tablesOf lists the tables of a database that rawDB opened, by name.
func tablesOf(t testing.TB, db *gorm.DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.Dialector.Name() == "postgres" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
	}
	var names []string
	check(t, db.Raw(q).Scan(&names).Error)
	return names
}

// build makes an in-process site on a store that counts its queries; the
// fixtures run before the server is built, as they would on a live database.
func (s *testSite) build(set siteSetup, log *slog.Logger) {
	s.t.Helper()
	s.queries = &queryCounter{Interface: logger.Discard}
	opts := models.Options{Now: s.clock.now, Logger: s.queries}
	for _, e := range set.store {
		e(&opts)
	}
	store, err := models.Open(s.dbPath, opts)
	check(s.t, err)
	s.store = store
	for _, f := range set.fixtures {
		f(s)
	}
	srv, err := newServer(context.Background(), set.cfg, log, store)
	if err != nil {
		store.Close()
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { srv.Close() })
	if len(set.deps) > 0 { // the handlers' dependencies are set where the routes are built
		srv.web, err = newWeb(set.cfg, store, log, set.deps...)
		check(s.t, err)
	}
	s.srv = srv
}

// serve runs the real server (its lock held) on 127.0.0.1:0.
func (s *testSite) serve(cfg Config, log *slog.Logger) {
	s.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(s.t, err)
	cfg.Addr, cfg.BaseURL = ln.Addr().String(), "http://"+ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg, log)
	if err != nil {
		cancel()
		s.t.Fatal(err)
	}
	s.srv, s.store = srv, srv.store
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	s.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			s.t.Errorf("serve: %v", err)
		}
		srv.Close()
	})
}

// check fails the test on an error.
func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// withStories makes two categories, two companies, an author and four
// stories (one a draft) with comments in every status, dated before
// siteStart, the site's clock.
func withStories() siteOption {
	return func(set *siteSetup) {
		set.start = siteStart
		set.fixtures = append(set.fixtures, storiesFixture)
	}
}

func storiesFixture(s *testSite) {
	t, ctx, store := s.t, context.Background(), s.store
	s.stories, s.guest = map[string]*models.Story{}, "secret.guest@example.org"
	s.author = &models.User{Handle: "margot", Name: "Margot Lefèvre", Role: models.RoleAuthor}
	check(t, store.CreateUser(ctx, s.author))
	telecom, transport := &models.Category{Name: "Telecom", Position: 1}, &models.Category{Name: "Transport", Position: 2}
	check(t, store.CreateCategory(ctx, telecom))
	check(t, store.CreateCategory(ctx, transport))
	orange, velib := &models.Company{Name: "Orange"}, &models.Company{Name: "Vélib'"}
	check(t, store.CreateCompany(ctx, orange))
	check(t, store.CreateCompany(ctx, velib))
	add := func(key, title, body string, cat *models.Category, co *models.Company, daysAgo int, status string, tags ...string) {
		at := siteStart.Add(-time.Duration(daysAgo) * 24 * time.Hour)
		st, err := store.CreateStory(ctx, models.StoryInput{
			Title: title, Body: body, AuthorID: s.author.ID, CategoryIDs: []uint{cat.ID}, CompanyID: &co.ID,
			Tags: tags, Status: status, PublishedAt: &at, Resolution: models.ResolutionResolved,
		})
		check(t, err)
		s.stories[key] = st
	}
	add("box", "Résilier chez Orange", "I sent a [registered letter](/stories/velo) and ![the receipt](/static/receipt.png).\n\nSee [the law](https://www.legifrance.gouv.fr/) and the footnote.[^1]\n\n[^1]: A note.", telecom, orange, 3, models.StatusPublished, "livebox", "cancellation")
	add("velo", "Un vélo en panne", "La borne refusait le vélo. Then *Vélib'* refunded me.", transport, velib, 2, models.StatusPublished, "vélo")
	add("fibre", "La fibre, enfin", "The technician came on time.", telecom, orange, 1, models.StatusPublished, "fibre")
	add("draft", "Brouillon secret", "Not yet.", telecom, orange, 0, models.StatusDraft)
	comment := func(key, name, body, status string, hours int) {
		_, err := store.AddComment(ctx, models.CommentInput{
			StoryID: s.stories[key].ID, AuthorName: name, AuthorEmail: s.guest, Body: body, Status: status,
			CreatedAt: siteStart.Add(-time.Duration(hours) * time.Hour),
		})
		check(t, err)
	}
	comment("box", "Claire", "Same thing happened to me, see [here](/stories/fibre).", models.CommentApproved, 30)
	comment("box", "Spammer", "Buy cheap watches", models.CommentSpam, 29)
	comment("box", "Waiting", "Held for moderation", models.CommentPending, 28)
	comment("velo", "Ahmed", "The bikes are better now.", models.CommentApproved, 20)
	comment("draft", "Early", "A comment on a draft", models.CommentApproved, 1)
}

// withComments makes two published stories, an author, an admin and two
// readers, on the clock siteStart, with hold words and a post rate too high
// to be met.
func withComments() siteOption {
	return func(set *siteSetup) {
		set.start = siteStart
		set.cfg.PostRate, set.cfg.HoldWords = 10000, "casino, viagra"
		set.fixtures = append(set.fixtures, commentsFixture)
	}
}

func commentsFixture(s *testSite) {
	t, ctx := s.t, context.Background()
	s.author, s.admin = s.newUser("margot", "Margot Lefèvre", models.RoleAuthor), s.newUser("root", "Admin", models.RoleAdmin)
	s.readers = []*models.User{s.newUser("paul", "Paul Martin", models.RoleReader), s.newUser("ines", "Inès Haddad", models.RoleReader)}
	cat := &models.Category{Name: "Telecom"}
	check(t, s.store.CreateCategory(ctx, cat))
	at := siteStart.Add(-48 * time.Hour)
	story := func(title string, author *models.User) *models.Story {
		st, err := s.store.CreateStory(ctx, models.StoryInput{Title: title, Body: "Il était une fois une box.", AuthorID: author.ID,
			CategoryIDs: []uint{cat.ID}, Status: models.StatusPublished, PublishedAt: &at})
		check(t, err)
		return st
	}
	s.story, s.other = story("Résilier chez Orange", s.author), story("Un vélo en panne", s.admin)
}

// newUser creates a user.
func (s *testSite) newUser(handle, name, role string) *models.User {
	s.t.Helper()
	u := &models.User{Handle: handle, Name: name, Role: role}
	check(s.t, s.store.CreateUser(context.Background(), u))
	return u
}
