package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"doleances/models"
	"doleances/models/pgtest"

	"doleances/app/demo"
)

// benchSchema names the seeded databases kept between runs: bump it when the
// seed or the schema changes, so that an old file is not reused.
const benchSchema = "v6" // v2: comment_search; v2-counts: stored story counts; v4: external-content index; v5: seed sentences fixed; v6: v5 files were seeded by branches whose migrations were numbered apart

// benchSize is the benchmark's dataset, from DOLEANCES_BENCH_STORIES,
// _COMMENTS and _USERS; small by default so that a run takes about a minute.
type benchSize struct{ stories, comments, users int }

func benchSizeFromEnv(b *testing.B) benchSize {
	n := func(name string, def int) int {
		v := os.Getenv("DOLEANCES_BENCH_" + name)
		if v == "" {
			return def
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 1 {
			b.Fatalf("DOLEANCES_BENCH_%s=%q: want a positive number", name, v)
		}
		return i
	}
	return benchSize{n("STORIES", 1000), n("COMMENTS", 10000), n("USERS", 1000)}
}

// benchDatabase returns a copy, in a temporary folder, of a database seeded
// with size, seeding it first into the user's cache folder if needed.
//
// When the tests run on PostgreSQL (pgtest.Env), it is a fresh PostgreSQL
// database seeded for this run.
func benchDatabase(b testing.TB, size benchSize) string {
	if pgtest.URL() != "" {
		addr := testPostgres(b)
		store, err := models.Open(addr, models.Options{})
		check(b, err)
		err = demo.Generate(context.Background(), store, demo.Options{Stories: size.stories, Comments: size.comments, Users: size.users, Seed: 1, Now: time.Now()}, os.Stderr)
		check(b, store.Close())
		check(b, err)
		return addr
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "doleances-bench", fmt.Sprintf("%s-s%d-c%d-u%d", benchSchema, size.stories, size.comments, size.users))
	cached := filepath.Join(dir, "doleances.db")
	if _, err := os.Stat(cached); err != nil {
		b.Logf("seeding %s (once)", cached)
		tmp := dir + ".tmp"
		check(b, os.RemoveAll(tmp))
		check(b, os.MkdirAll(tmp, 0o750))
		store, err := models.Open(filepath.Join(tmp, "doleances.db"), models.Options{})
		check(b, err)
		err = demo.Generate(context.Background(), store, demo.Options{Stories: size.stories, Comments: size.comments, Users: size.users, Seed: 1, Now: time.Now()}, os.Stderr)
		check(b, store.Close())
		check(b, err)
		check(b, os.MkdirAll(dir, 0o750))
		check(b, os.Rename(filepath.Join(tmp, "doleances.db"), cached))
		os.RemoveAll(tmp)
	} else if pending, err := models.MigrationsPending(context.Background(), cached); err != nil || pending {
		// A file seeded by an older build takes the newer migration steps
		// here, once, and not on every copy: at a million stories a step
		// that indexes the comments takes minutes, which would be counted
		// in the start-up and paid by every run. Only then is the shared
		// file opened for writing: Open writes to it even with nothing to
		// migrate, under other runs reading it.
		check(b, err)
		store, err := models.Open(cached, models.Options{})
		check(b, err)
		check(b, store.Close())
	}
	// The benchmark writes (sessions, comments): it works on a copy.
	copyPath := filepath.Join(b.TempDir(), "doleances.db")
	src, err := os.Open(cached)
	check(b, err)
	defer src.Close()
	dst, err := os.Create(copyPath)
	check(b, err)
	check(b, cloneFile(dst, src))
	check(b, dst.Close())
	return copyPath
}

// benchData is the data folder of the site on the database at path.
func benchData(b *testing.B, path string) string {
	if strings.HasPrefix(path, "postgres") {
		return b.TempDir()
	}
	return filepath.Dir(path)
}

// benchURL is the -database-url of the database at path.
func benchURL(path string) string {
	if strings.HasPrefix(path, "postgres") {
		return path
	}
	return ""
}

// benchSite is the real server over a seeded database, on 127.0.0.1:0.
type benchSite struct {
	base   string
	store  *models.Store
	raw    *gorm.DB // the same file, for the benchmark's own look-ups
	client *http.Client
}

func startBenchSite(b *testing.B, path string) *benchSite {
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(b, err)
	base := "http://" + ln.Addr().String()
	start := time.Now()
	store, err := models.Open(path, models.Options{})
	check(b, err)
	// Rate limits raised for the run (0: none); everything else as in production.
	cfg := Config{Addr: ln.Addr().String(), BaseURL: base, Data: benchData(b, path), PostRate: 0}
	srv, err := newServer(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), store)
	check(b, err)
	b.Logf("start-up (open, migrate, build) on %s: %v", path, time.Since(start).Round(time.Millisecond))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	tr := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, DisableCompression: true}
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	b.Cleanup(func() {
		client.CloseIdleConnections()
		cancel()
		<-done
		srv.Close()
	})
	d := sqlite.Open(path + "?_busy_timeout=10000")
	if pgtest.URL() != "" {
		d = postgres.Open(path)
	}
	raw, err := gorm.Open(d, &gorm.Config{})
	check(b, err)
	b.Cleanup(func() {
		if db, err := raw.DB(); err == nil {
			db.Close()
		}
	})
	return &benchSite{base: base, store: store, raw: raw, client: client}
}

// get fetches u and returns its body, failing on any status but 200.
func get(b *testing.B, client *http.Client, u string, header ...string) []byte {
	body, err := fetch(client, u, header...)
	check(b, err)
	return body
}

// fetch GETs u with the header pairs and returns its body; any status but
// 200 is an error.
func fetch(client *http.Client, u string, header ...string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d", u, res.StatusCode)
	}
	return body, err
}

// latencies keeps the duration of every request of a run, per goroutine.
type latencies struct {
	mu  sync.Mutex
	all []time.Duration
	cpu time.Duration // the process's CPU time when the run started
}

func (l *latencies) add(d []time.Duration) { l.mu.Lock(); l.all = append(l.all, d...); l.mu.Unlock() }

// staticRef is baseline-static's figures in the same run: its rate and
// its CPU time per request in microseconds (zero: not measured yet).
type staticRef struct{ rate, cpu float64 }

// report sets req/s, the ratios to the static baseline (when known) and the
// 50th and 99th percentile latencies, the CPU time of the process (server
// and clients) per request, and the process's peak RSS; it returns the
// rate and CPU per request. On a shared machine the rate follows the CPU
// the others leave; the CPU per request does not, much: cpu-%-of-static,
// the static response's CPU per request over this one's, is the steadier
// ratio.
func (l *latencies) report(b *testing.B, elapsed time.Duration, unit string, static staticRef) staticRef {
	rate := float64(b.N) / elapsed.Seconds()
	b.ReportMetric(rate, unit)
	cpu := float64((cpuTime() - l.cpu).Microseconds()) / float64(b.N)
	b.ReportMetric(cpu, "cpu-µs/op")
	if static.rate > 0 {
		b.ReportMetric(100*rate/static.rate, "%-of-static")
		b.ReportMetric(100*static.cpu/cpu, "cpu-%-of-static")
	}
	if len(l.all) > 0 {
		sort.Slice(l.all, func(i, j int) bool { return l.all[i] < l.all[j] })
		b.ReportMetric(float64(l.all[len(l.all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(l.all[len(l.all)*99/100].Microseconds())/1000, "p99-ms")
	}
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(rss, "peak-RSS-MB")
	}
	return staticRef{rate, cpu}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// peakRSS is the process's peak resident memory in MB (Linux), 0 elsewhere.
func peakRSS() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// benchParallelism times GOMAXPROCS is the number of concurrent clients (64 on 2 cores).
const benchParallelism = 32

// drive fetches the URLs of next from parallel clients b.N times and reports the rates.
func drive(b *testing.B, client *http.Client, static staticRef, next func(i int64) (string, []string)) staticRef {
	var l latencies
	var n atomic.Int64
	var failed atomic.Value
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	start := time.Now()
	l.cpu = cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			u, header := next(n.Add(1))
			t := time.Now()
			if _, err := fetch(client, u, header...); err != nil {
				failed.Store(err)
			}
			mine = append(mine, time.Since(t))
		}
		l.add(mine)
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	return l.report(b, elapsed, "req/s", static)
}

// BenchmarkServe measures the pages of a seeded site served by the real
// server over HTTP, against a bare Fiber handler returning as many bytes.
// Size: DOLEANCES_BENCH_STORIES, _COMMENTS, _USERS (see docs/performance.md).
func BenchmarkServe(b *testing.B) {
	size := benchSizeFromEnv(b)
	path := benchDatabase(b, size)
	b.Run("startup", func(b *testing.B) {
		// New: open, migrate (no-ops once done), build the app; then close.
		cfg := Config{Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", Data: benchData(b, path), DatabaseURL: benchURL(path)}
		for b.Loop() {
			srv, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			check(b, err)
			check(b, srv.Close())
		}
	})
	s := startBenchSite(b, path)
	var story struct {
		ID           uint
		Slug         string
		CommentCount int
	}
	check(b, s.raw.Raw("SELECT id, slug, comment_count FROM stories WHERE status = 'published' ORDER BY abs(comment_count - 50), id LIMIT 1").Scan(&story).Error)
	b.Logf("%d stories, %d comments, %d users; story page: %s (%d comments)", size.stories, size.comments, size.users, story.Slug, story.CommentCount)
	storyURL := s.base + "/stories/" + story.Slug
	page := get(b, s.client, storyURL)
	commenting := newCommentBench(b, s)
	var static staticRef
	staticURL := startStatic(b, s.client, len(page))
	b.Run("baseline-static", func(b *testing.B) {
		static = drive(b, s.client, staticRef{}, func(int64) (string, []string) { return staticURL, nil })
	})
	for _, p := range []struct{ name, path string }{
		{"front", "/"}, {"story", "/stories/" + story.Slug}, {"category", "/category/telecom"}, {"feed", "/feed"},
		{"company", "/company/orange"}, {"companies", "/companies"},
	} {
		b.Run(p.name, func(b *testing.B) {
			drive(b, s.client, static, func(int64) (string, []string) { return s.base + p.path, nil })
		})
	}
	b.Run("story-signed-in", func(b *testing.B) {
		cookies := s.sessions(b, 64)
		drive(b, s.client, static, func(i int64) (string, []string) {
			return storyURL, []string{"Cookie", cookies[i%int64(len(cookies))]}
		})
	})
	b.Run("search", func(b *testing.B) {
		drive(b, s.client, static, func(i int64) (string, []string) {
			return s.base + "/search?q=" + url.QueryEscape(benchQueries[i%int64(len(benchQueries))]), nil
		})
	})
	b.Run("search-uncached", func(b *testing.B) {
		// An address never asked for before: the search runs every time.
		run := time.Now().UnixNano()
		drive(b, s.client, static, func(i int64) (string, []string) {
			q := url.QueryEscape(benchQueries[i%int64(len(benchQueries))])
			return s.base + "/search?q=" + q + "&run=" + strconv.FormatInt(run, 36) + "-" + strconv.FormatInt(i, 36), nil
		})
	})
	commenting.static = static
	b.Run("comment-post", commenting.run)
	b.Run("server-alone", func(b *testing.B) {
		serverAlone(b, s, path, "/stories/"+story.Slug, s.sessions(b, 64))
	})
	// Again at the end: how far the machine drifted during the run.
	b.Run("baseline-static-end", func(b *testing.B) {
		drive(b, s.client, static, func(int64) (string, []string) { return staticURL, nil })
	})
}

// serverAlone drives the real program, run over the same file as the site
// above, with every page of the benchmark in turn (a search in four never
// asked before), and reports that process's own peak RSS and CPU per
// request: the figures above count the benchmark's clients and its own
// database handle in the same process. Linux only (it reads /proc).
func serverAlone(b *testing.B, s *benchSite, path, storyPath string, cookies []string) {
	if strings.HasPrefix(path, "postgres") {
		b.Skip("the server alone runs over the SQLite file")
	}
	p := startBinary(b, filepath.Dir(path), "-search-rate", "0") // as the site above: no limit
	pages := []string{"/", storyPath, "/category/telecom", "/feed", "/company/orange", "/companies"}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	cpu0 := procCPU(b, p.cmd.Process.Pid)
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	var n atomic.Int64
	var failed atomic.Value
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			var header []string
			u := p.URL + pages[i%int64(len(pages))]
			switch i % 4 {
			case 1:
				u = p.URL + storyPath
				header = []string{"Cookie", cookies[i%int64(len(cookies))]}
			case 2:
				q := url.QueryEscape(benchQueries[i%int64(len(benchQueries))])
				u = p.URL + "/search?q=" + q
				if i%8 == 2 {
					u += "&run=" + run + "-" + strconv.FormatInt(i, 36)
				}
			}
			if _, err := fetch(s.client, u, header...); err != nil {
				failed.Store(err)
			}
		}
	})
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64((procCPU(b, p.cmd.Process.Pid)-cpu0).Microseconds())/float64(b.N), "server-cpu-µs/op")
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	check(b, err)
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			b.ReportMetric(float64(kb)/1024, "server-peak-RSS-MB")
		}
	}
	p.stop(syscall.SIGTERM)
}

// procCPU is the CPU time (user and system) the process pid has used.
func procCPU(b *testing.B, pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	check(b, err)
	// The fields after the command's name, which is between parentheses.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // clock ticks (USER_HZ = 100 on Linux)
}

// benchQueries are what people type into the search box.
var benchQueries = []string{"orange", "résiliation", "hotline", "refund deposit", `"registered letter"`, "ikea kitchen",
	"velib", "ombudsman", "prefecture titre de séjour", "lost parcel chronopost", "box internet", "overbilling"}

// startStatic is the baseline: a bare Fiber handler returning size bytes,
// served on 127.0.0.1:0 to be fetched like the pages. It returns its URL.
func startStatic(b *testing.B, client *http.Client, size int) string {
	body := []byte(strings.Repeat("x", size))
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(b, err)
	go app.Listener(ln)
	b.Cleanup(func() {
		client.CloseIdleConnections()
		app.ShutdownWithTimeout(time.Second)
	})
	return "http://" + ln.Addr().String() + "/"
}

// sessions signs in n readers and returns their Cookie headers.
func (s *benchSite) sessions(b *testing.B, n int) []string {
	var ids []uint
	check(b, s.raw.Raw("SELECT id FROM users WHERE role = 'reader' ORDER BY id LIMIT ?", n).Scan(&ids).Error)
	var out []string
	for _, id := range ids {
		token, err := s.store.CreateSession(context.Background(), id, benchSessionTTL)
		check(b, err)
		out = append(out, "doleances_session="+token)
	}
	return out
}
