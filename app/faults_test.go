package app

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests in this file run the real binary and send it traffic on
// 127.0.0.1 only, in loops that end by themselves.

// Three hundred signed-in readers comment at the same moment: every comment
// lands and the story's count equals its rows.
func TestBinaryConcurrentCommentsFromDistinctUsers(t *testing.T) {
	slow(t)
	t.Parallel()
	const n = 300
	bs := newBurstSite(t, n)
	p := startBinary(t, bs.data)
	ps := newPoster(p, bs, bs.stamp(t, p))
	statuses := make([]int, n)
	start := time.Now()
	var wg sync.WaitGroup
	for i, v := range bs.readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = ps.comment(v, fmt.Sprintf("Same here, reader %d.", i))
		}()
	}
	wg.Wait()
	took := time.Since(start)
	for i, s := range statuses {
		if s != http.StatusSeeOther {
			t.Errorf("reader %d: status %d", i, s)
		}
	}
	// Ctrl-C stops the server as SIGTERM does.
	start = time.Now()
	if code := p.stop(syscall.SIGINT); code != 0 {
		t.Fatalf("exit code %d after SIGINT:\n%s", code, p.out)
	}
	t.Logf("%d simultaneous comments answered in %v; stopped in %v", n, took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	bodies, count := savedComments(t, filepath.Join(bs.data, "doleances.db"), bs.story)
	if len(bodies) != n || count != n {
		t.Errorf("%d comments saved, comment_count %d, want %d", len(bodies), count, n)
	}
}

// burst has workers post one comment per reader, in order, until stopped
// or out of readers, recording the bodies the server acknowledged.
type burst struct {
	mu    sync.Mutex
	acked []string
	wg    sync.WaitGroup
	stop  chan struct{}
}

func startBurst(ps *poster, bs *burstSite, workers int) *burst {
	b := &burst{stop: make(chan struct{})}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range bs.readers {
			select {
			case next <- i:
			case <-b.stop:
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			for i := range next {
				body := fmt.Sprintf("Burst comment from reader %d.", i)
				if ps.comment(bs.readers[i], body) == http.StatusSeeOther {
					b.mu.Lock()
					b.acked = append(b.acked, body)
					b.mu.Unlock()
				}
			}
		}()
	}
	return b
}

// ackedSoFar copies the bodies acknowledged until now.
func (b *burst) ackedSoFar() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.acked...)
}

// waitFor waits until n comments are acknowledged.
func (b *burst) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for len(b.ackedSoFar()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d comments acknowledged in 60 s", len(b.ackedSoFar()))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// end stops handing out readers and waits for the requests under way.
func (b *burst) end() []string {
	close(b.stop)
	b.wg.Wait()
	return b.ackedSoFar()
}

// The server is killed outright in the middle of a burst: after a restart,
// every acknowledged comment is there and the database is sound.
func TestBinaryKillDuringBurstLosesNothingAcknowledged(t *testing.T) {
	slow(t)
	t.Parallel()
	bs := newBurstSite(t, 400)
	p := startBinary(t, bs.data)
	ps := newPoster(p, bs, bs.stamp(t, p))
	b := startBurst(ps, bs, 16)
	b.waitFor(t, 100)
	if code := p.stop(syscall.SIGKILL); code != -1 {
		t.Fatalf("exit code %d, want the kill's -1", code)
	}
	acked := b.end()
	// A restart on the same folder works: the dead process left no stale lock.
	p = startBinary(t, bs.data)
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Fatalf("exit code %d after the restart:\n%s", code, p.out)
	}
	bodies, count := savedComments(t, filepath.Join(bs.data, "doleances.db"), bs.story)
	for _, a := range acked {
		if !bodies[a] {
			t.Errorf("acknowledged but lost: %q", a)
		}
	}
	if count != len(bodies) {
		t.Errorf("comment_count %d, rows %d", count, len(bodies))
	}
	t.Logf("%d acknowledged before the kill, %d saved", len(acked), len(bodies))
}

// A backup taken during a burst holds every comment acknowledged before it
// started; restored on the stopped site, it is what the site serves.
func TestBinaryBackupDuringBurstThenRestore(t *testing.T) {
	slow(t)
	t.Parallel()
	bs := newBurstSite(t, 400)
	db := filepath.Join(bs.data, "doleances.db")
	backup := filepath.Join(t.TempDir(), "backup.db")
	p := startBinary(t, bs.data)
	ps := newPoster(p, bs, bs.stamp(t, p))
	b := startBurst(ps, bs, 16)
	b.waitFor(t, 100)
	before := b.ackedSoFar()
	out, code := runCommand(t, "backup", "-data", bs.data, backup)
	if code != 0 {
		t.Fatalf("backup: exit %d\n%s", code, out)
	}
	all := b.end()
	if len(all) <= len(before) {
		t.Errorf("the burst did not go on during the backup (%d then %d acknowledged)", len(before), len(all))
	}
	// A second backup to the same file is refused, and the first is intact.
	if out, code := runCommand(t, "backup", "-data", bs.data, backup); code == 0 || !strings.Contains(out, "already exists") {
		t.Errorf("backup over an existing file: exit %d\n%s", code, out)
	}
	saved, count := savedComments(t, backup, bs.story)
	t.Logf("%d acknowledged before the backup, %d in it, %d by the end of the burst", len(before), len(saved), len(all))
	for _, a := range before {
		if !saved[a] {
			t.Errorf("acknowledged before the backup, missing from it: %q", a)
		}
	}
	if count != len(saved) {
		t.Errorf("backup: comment_count %d, rows %d", count, len(saved))
	}
	// The running site is not restored over.
	if out, code := runCommand(t, "restore", "-data", bs.data, backup); code == 0 || !strings.Contains(out, "stop the site") {
		t.Errorf("restore while the site runs: exit %d\n%s", code, out)
	}
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Fatalf("exit code %d after SIGTERM:\n%s", code, p.out)
	}
	out, code = runCommand(t, "restore", "-data", bs.data, backup)
	if code != 0 {
		t.Fatalf("restore: exit %d\n%s", code, out)
	}
	aside, _ := filepath.Glob(db + ".before-restore-*")
	if len(aside) != 1 {
		t.Fatalf("the replaced database was not kept aside: %v\n%s", aside, out)
	}
	if kept, _ := savedComments(t, aside[0], bs.story); len(kept) != len(all) {
		t.Errorf("the database kept aside has %d comments, want %d", len(kept), len(all))
	}
	p = startBinary(t, bs.data)
	resp, err := http.Get(p.URL + "/stories/" + bs.story.Slug)
	check(t, err)
	page := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, fmt.Sprintf("%d comments", len(saved))) {
		t.Errorf("the restored site: status %d, want the backup's %d comments", resp.StatusCode, len(saved))
	}
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// Restore refuses what is not a sound Doléances database, and changes nothing.
func TestBinaryRestoreRefusesBadFiles(t *testing.T) {
	slow(t)
	t.Parallel()
	bs := newBurstSite(t, 1)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	check(t, os.WriteFile(text, []byte("not a database at all, but long enough to look like one"), 0o600))
	other := filepath.Join(dir, "other.db")
	check(t, os.WriteFile(other, nil, 0o600))
	for _, tc := range []struct{ file, want string }{
		{filepath.Join(dir, "missing.db"), "no file"},
		{text, "not a Doléances database"},
		{other, "not a Doléances database"},
		{filepath.Join(bs.data, "doleances.db"), "is the site's database"},
	} {
		out, code := runCommand(t, "restore", "-data", bs.data, tc.file)
		if code == 0 || !strings.Contains(out, tc.want) {
			t.Errorf("restore %s: exit %d, want %q\n%s", filepath.Base(tc.file), code, tc.want, out)
		}
	}
	if aside, _ := filepath.Glob(filepath.Join(bs.data, "*before-restore*")); len(aside) != 0 {
		t.Errorf("a refused restore moved the database: %v", aside)
	}
}

// SIGTERM while requests are still arriving: the server stops accepting,
// lets them finish, closes the database with its log folded in, exits 0.
func TestBinarySIGTERMLetsSlowRequestsFinish(t *testing.T) {
	slow(t)
	t.Parallel()
	const n = 5
	bs := newBurstSite(t, n)
	p := startBinary(t, bs.data)
	stamp := bs.stamp(t, p)
	host := strings.TrimPrefix(p.URL, "http://")
	conns := make([]net.Conn, n)
	bodies := make([]string, n)
	for i, v := range bs.readers {
		form := url.Values{"stamp": {stamp}, "csrf": {v.csrf}, "body": {fmt.Sprintf("Slow comment %d.", i)}}
		bodies[i] = form.Encode()
		c, err := net.Dial("tcp", host)
		check(t, err)
		defer c.Close()
		// The headers and half the body now; the rest after the signal.
		fmt.Fprintf(c, "POST /stories/%s/comments HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
			"Cookie: doleances_session=%s\r\nContent-Length: %d\r\n\r\n%s", bs.story.Slug, host, v.cookies["doleances_session"], len(bodies[i]), bodies[i][:len(bodies[i])/2])
		conns[i] = c
	}
	// A connection opened ahead of time that never sends a request (browsers
	// preconnect) must not hold the stop until its read timeout.
	silent, err := net.Dial("tcp", host)
	check(t, err)
	defer silent.Close()
	time.Sleep(200 * time.Millisecond) // the server has read what was sent
	check(t, p.cmd.Process.Signal(syscall.SIGTERM))
	refused := false
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", host, time.Second); err != nil {
			refused = true
			break
		} else {
			c.Close()
		}
	}
	if !refused {
		t.Error("the server still accepted connections 5 s after SIGTERM")
	}
	for i, c := range conns {
		time.Sleep(200 * time.Millisecond)
		fmt.Fprint(c, bodies[i][len(bodies[i])/2:])
	}
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Errorf("slow request %d: %v", i, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("slow request %d: status %d", i, resp.StatusCode)
		}
	}
	if code := p.wait(); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, p.out)
	}
	if !strings.Contains(p.out.String(), "the database is closed") {
		t.Errorf("no closing line in the log:\n%s", p.out)
	}
	db := filepath.Join(bs.data, "doleances.db")
	if st, err := os.Stat(db + "-wal"); err == nil && st.Size() > 0 {
		t.Errorf("the write-ahead log still holds %d bytes after a clean stop", st.Size())
	}
	saved, count := savedComments(t, db, bs.story)
	if len(saved) != n || count != n {
		t.Errorf("%d comments saved, comment_count %d, want %d", len(saved), count, n)
	}
}
