package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"doleances/models"
)

// The doleances binary, built once for the tests that run it as a process.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	closeBrowser()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// slow skips the test under go test -short: the tests that build and run
// the real binary or drive Chromium, and the two exhaustive ones (the
// authorization table, the page cache under concurrent reads), take most of
// the suite's time. Call it first in such a test; doleancesBinary and
// chromium call it too, so that a new one that forgets still skips.
func slow(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("slow test (real binary or Chromium): skipped under -short")
	}
}

// doleancesBinary builds the real program (the build cache makes it quick).
func doleancesBinary(t testing.TB) string {
	t.Helper()
	slow(t)
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "doleances-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "doleances")
		if out, err := exec.Command("go", "build", "-o", binPath, "doleances").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// binaryEnv is the environment of the processes: no DOLEANCES_* setting
// from the machine, no per-IP post limit (every client is 127.0.0.1).
func binaryEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOLEANCES_") {
			env = append(env, kv)
		}
	}
	return append(env, "DOLEANCES_POST_RATE=0", "DOLEANCES_DEMO=false")
}

// proc is a running doleances process.
type proc struct {
	t    testing.TB
	cmd  *exec.Cmd
	URL  string
	out  *syncBuffer
	done chan struct{} // closed once the process has exited
}

var addrLine = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

// startBinary runs the server on data and 127.0.0.1:0, with flags, and returns once
// /healthz answers; the test's end kills it if it still runs.
func startBinary(t testing.TB, data string, flags ...string) *proc {
	t.Helper()
	p := &proc{t: t, out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(doleancesBinary(t), append([]string{"-addr", "127.0.0.1:0", "-data", data}, flags...)...)
	p.cmd.Env = binaryEnv()
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }() //nolint:errcheck // the exit code is read from ProcessState
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	deadline := time.Now().Add(20 * time.Second)
	for p.URL == "" {
		if m := addrLine.FindStringSubmatch(p.out.String()); m != nil {
			p.URL = "http://" + m[1]
			break
		}
		select {
		case <-p.done:
			t.Fatalf("the server exited at start:\n%s", p.out)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not say where it listens:\n%s", p.out)
		}
	}
	for {
		resp, err := http.Get(p.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz never answered: %v\n%s", err, p.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends sig and returns the exit code once the process has exited
// (-1 when a signal ended it).
func (p *proc) stop(sig syscall.Signal) int {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	return p.wait()
}

// wait returns the exit code once the process has exited.
func (p *proc) wait() int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.t.Fatalf("still running after 30 s:\n%s", p.out)
	}
	return p.cmd.ProcessState.ExitCode()
}

// runCommand runs doleances with args and returns its output and exit code.
func runCommand(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(doleancesBinary(t), args...)
	cmd.Env = binaryEnv()
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

// burstSite is a data folder with one published story and n readers, each
// signed in, written before the server starts.
type burstSite struct {
	data    string
	story   *models.Story
	readers []*visitor
}

func newBurstSite(t *testing.T, n int) *burstSite {
	t.Helper()
	ctx := context.Background()
	bs := &burstSite{data: t.TempDir()}
	store, err := models.Open(filepath.Join(bs.data, "doleances.db"), models.Options{})
	check(t, err)
	defer store.Close()
	author := &models.User{Handle: "margot", Name: "Margot Lefèvre", Role: models.RoleAuthor}
	check(t, store.CreateUser(ctx, author))
	cat := &models.Category{Name: "Telecom"}
	check(t, store.CreateCategory(ctx, cat))
	bs.story, err = store.CreateStory(ctx, models.StoryInput{Title: "Résilier chez Orange", Body: "Il était une fois une box.",
		AuthorID: author.ID, CategoryIDs: []uint{cat.ID}, Status: models.StatusPublished})
	check(t, err)
	for i := 0; i < n; i++ {
		u := &models.User{Handle: fmt.Sprintf("reader-%d", i), Name: fmt.Sprintf("Reader %d", i)}
		check(t, store.CreateUser(ctx, u))
		token, err := store.CreateSession(ctx, u.ID, 30*24*time.Hour)
		check(t, err)
		sess, err := store.SessionByToken(ctx, token, 30*24*time.Hour)
		check(t, err)
		bs.readers = append(bs.readers, &visitor{cookies: map[string]string{"doleances_session": token}, csrf: sess.CSRF})
	}
	return bs
}

// stamp reads the comment form's stamp from the story page and waits until
// a person could have posted it.
func (bs *burstSite) stamp(t *testing.T, p *proc) string {
	t.Helper()
	resp, err := http.Get(p.URL + "/stories/" + bs.story.Slug)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	check(t, err)
	m := stampRe.FindStringSubmatch(string(body))
	if m == nil {
		t.Fatalf("no comment form on the story page (status %d)", resp.StatusCode)
	}
	at, _, _ := strings.Cut(m[1], ".")
	sec, err := strconv.ParseInt(at, 10, 64)
	check(t, err)
	time.Sleep(time.Until(time.Unix(sec, 0).Add(models.MinFormTime + 200*time.Millisecond)))
	return m[1]
}

// poster sends comments to a running server without following redirects:
// a 303 is the server's acknowledgement that the comment is saved.
type poster struct {
	c     *http.Client
	url   string
	slug  string
	stamp string
}

func newPoster(p *proc, bs *burstSite, stamp string) *poster {
	return &poster{url: p.URL, slug: bs.story.Slug, stamp: stamp, c: &http.Client{
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// comment posts body as v and returns the status (0 when the connection failed).
func (ps *poster) comment(v *visitor, body string) int {
	form := url.Values{"stamp": {ps.stamp}, "csrf": {v.csrf}, "body": {body}}
	req, _ := http.NewRequest(http.MethodPost, ps.url+"/stories/"+ps.slug+"/comments", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "doleances_session", Value: v.cookies["doleances_session"]})
	resp, err := ps.c.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// savedComments opens the database at path (after its server stopped) and
// returns the bodies of the story's comments and the story's comment count.
func savedComments(t *testing.T, path string, story *models.Story) (map[string]bool, int) {
	t.Helper()
	ctx := context.Background()
	if _, err := models.InspectDatabase(ctx, path); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	store, err := models.Open(path, models.Options{})
	check(t, err)
	defer store.Close()
	rows, err := store.Comments(ctx, story.ID)
	check(t, err)
	bodies := map[string]bool{}
	for _, c := range rows {
		bodies[c.Body] = true
	}
	st, err := store.PublishedStory(ctx, story.Slug)
	check(t, err)
	return bodies, st.CommentCount
}

// readBody reads and closes a response's body.
func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	check(t, err)
	return string(b)
}
