package app

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"doleances/app/demo"
)

// startRun runs the whole program, as main does, on a free port and returns
// its base URL once /healthz answers, and a function that stops it and
// returns Run's error.
func startRun(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, append([]string{"doleances", "-addr", "127.0.0.1:0"}, args...), env(nil), pw)
		pw.Close()
	}()
	addrRE := regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)
	lines := bufio.NewScanner(pr)
	var base string
	for lines.Scan() {
		if m := addrRE.FindStringSubmatch(lines.Text()); m != nil {
			base = "http://" + m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck // keep the log flowing
	if base == "" {
		cancel()
		t.Fatalf("server did not start: %v", <-done)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("/healthz never answered: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return base, func() error { cancel(); return <-done }
}

func TestRunServesTheDemoSiteAndStopsCleanly(t *testing.T) {
	data := filepath.Join(t.TempDir(), "new", "folder")
	base, stop := startRun(t, "-data", data)
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), demo.Stories[0].Author[:5]) {
		t.Errorf("front page: %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Errorf("Run returned %v after the context ended", err)
	}
	if _, err := os.Stat(filepath.Join(data, "doleances.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
	// A second start on the same data keeps the site as it is: no second demo.
	base, stop = startRun(t, "-data", data)
	resp, err = http.Get(base + "/stories/" + "resilier-chez-orange-a-three-month-saga-2")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("demo seeded twice: %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Error(err)
	}
}

func TestRunWithoutDemoStartsEmpty(t *testing.T) {
	base, stop := startRun(t, "-data", t.TempDir(), "-demo=false")
	defer stop()
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "No stories here yet") {
		t.Error("-demo=false still seeded stories")
	}
}

// A stop asked before the server has begun to accept (SIGTERM right after
// the start) must still end Serve: fasthttp's Shutdown closes only a
// listener it has already taken.
func TestServeStopsWhenStoppedBeforeItAccepts(t *testing.T) {
	for i := range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		cfg := Config{Addr: ln.Addr().String(), BaseURL: "http://" + ln.Addr().String(), Data: dir, LogLevel: "error"}
		srv, err := New(context.Background(), cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx, ln) }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run %d: serve: %v", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("run %d: Serve still accepting 30 s after a stop asked at its start", i)
		}
		srv.Close()
	}
}
