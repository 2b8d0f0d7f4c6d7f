package app

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// chromiumBrowser is the test binary's one headless Chromium, driven through the
// DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4 out,
// messages ending in NUL), so that a test can type, click and take
// screenshots without a driver library. Starting Chromium takes a second or
// more (several under -race on a loaded machine), so it starts once, on the
// first browser test, and every page gets a browser context of its own
// (Target.createBrowserContext: its own cookies, storage and cache, as a
// fresh profile has), closed with the page.
type chromiumBrowser struct {
	w       *os.File
	mu      sync.Mutex
	next    int
	waiting map[int]chan cdpReply
	exited  chan struct{} // closed when Chromium's end of the pipe closes
	cmd     *exec.Cmd
	profile string
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

var (
	browserOnce sync.Once
	theBrowser  *chromiumBrowser
	browserErr  error
)

// sharedBrowser starts Chromium on its first call and returns it.
func sharedBrowser(t *testing.T) *chromiumBrowser {
	t.Helper()
	bin := chromium(t)
	browserOnce.Do(func() { theBrowser, browserErr = startBrowser(bin) })
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	return theBrowser
}

func startBrowser(bin string) (*chromiumBrowser, error) {
	toBrowser, ourEnd, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	fromBrowser, theirEnd, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	// Chromium's helper processes may still write to the profile after the
	// browser exits, so it lives outside any t.TempDir, removed on a
	// best-effort basis.
	profile, err := os.MkdirTemp("", "doleances-chromium-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--hide-scrollbars",
		"--remote-debugging-pipe", "--user-data-dir="+profile, "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, theirEnd}
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(profile)
		return nil, fmt.Errorf("chromium: %w", err)
	}
	toBrowser.Close()
	theirEnd.Close()
	b := &chromiumBrowser{w: ourEnd, waiting: map[int]chan cdpReply{}, exited: make(chan struct{}), cmd: cmd, profile: profile}
	go b.read(fromBrowser)
	return b, nil
}

// closeBrowser ends the shared Chromium, if a test started it (TestMain).
func closeBrowser() {
	b := theBrowser
	if b == nil {
		return
	}
	b.w.Close() // a closed pipe makes Chromium quit
	done := make(chan struct{})
	go func() { _ = b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
		<-done
	}
	_ = os.RemoveAll(b.profile)
}

func (b *chromiumBrowser) read(r *os.File) {
	defer close(b.exited)
	defer r.Close()
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 1<<20), 64<<20)
	s.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		for i, c := range data {
			if c == 0 {
				return i + 1, data[:i], nil
			}
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	})
	for s.Scan() {
		var m struct {
			ID int `json:"id"`
			cdpReply
		}
		if json.Unmarshal(s.Bytes(), &m) != nil || m.ID == 0 {
			continue // an event
		}
		b.mu.Lock()
		ch := b.waiting[m.ID]
		delete(b.waiting, m.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply
		}
	}
}

// send sends a command, to the browser or (with a session) to a page, and
// decodes its result.
func (b *chromiumBrowser) send(session, method string, params, result any) error {
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan cdpReply, 1)
	b.waiting[id] = ch
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	m, _ := json.Marshal(msg)
	_, err := b.w.Write(append(m, 0)) // under the lock: one message at a time on the pipe
	b.mu.Unlock()
	if err != nil {
		return err
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			return errors.New(r.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(r.Result, result)
		}
		return nil
	case <-b.exited:
		return errors.New("Chromium has exited")
	case <-time.After(30 * time.Second):
		return errors.New("no answer from Chromium")
	}
}

// cdp is a page (a tab in a browser context of its own) of the shared
// browser, for one test.
type cdp struct {
	t       *testing.T
	b       *chromiumBrowser
	context string
	session string
	once    sync.Once
}

// chromiumPage opens a page of width×height pixels in a new browser
// context, closed at the end of the test.
func chromiumPage(t *testing.T, width, height int) *cdp {
	t.Helper()
	c := newPage(t)
	t.Cleanup(c.close)
	c.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
	return c
}

// newPage opens a blank page in a new browser context of the shared browser.
func newPage(t *testing.T) *cdp {
	t.Helper()
	c := &cdp{t: t, b: sharedBrowser(t)}
	var bc struct{ BrowserContextID string }
	c.call("Target.createBrowserContext", map[string]any{}, &bc)
	c.context = bc.BrowserContextID
	var target struct{ TargetID string }
	c.call("Target.createTarget", map[string]any{"url": "about:blank", "browserContextId": c.context}, &target)
	var att struct{ SessionID string }
	c.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	c.session = att.SessionID
	return c
}

// close disposes of the page's browser context: its tabs, cookies, storage
// and cache.
func (c *cdp) close() {
	c.once.Do(func() {
		if err := c.b.send("", "Target.disposeBrowserContext", map[string]any{"browserContextId": c.context}, nil); err != nil {
			c.t.Errorf("closing the browser context: %v", err)
		}
	})
}

// call sends a command (to the page once attached) and decodes its result.
func (c *cdp) call(method string, params any, result any) {
	c.t.Helper()
	if err := c.b.send(c.session, method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// eval runs a JavaScript expression in the page and returns its value as JSON.
func (c *cdp) eval(expr string) json.RawMessage {
	c.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails any `json:"exceptionDetails"`
	}
	c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r)
	if r.ExceptionDetails != nil {
		c.t.Fatalf("%s: %v", expr, r.ExceptionDetails)
	}
	return r.Result.Value
}

// waitFor polls a JavaScript condition until it is true.
func (c *cdp) waitFor(what, cond string) {
	c.t.Helper()
	c.waitUntil(what, cond, 15*time.Second)
}

func (c *cdp) waitUntil(what, cond string, d time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for string(c.eval("!!("+cond+")")) != "true" {
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// open navigates and waits for the page to load.
func (c *cdp) open(url string) {
	c.t.Helper()
	c.call("Page.navigate", map[string]any{"url": url}, nil)
	c.waitFor(url, `location.href === `+jsString(url)+` && document.readyState === "complete"`)
}

// screenshot saves the page as a PNG file.
func (c *cdp) screenshot(file string) { c.t.Helper(); c.capture(file, true) }

// screenshotViewport saves what the window shows as a PNG file.
func (c *cdp) screenshotViewport(file string) { c.t.Helper(); c.capture(file, false) }

func (c *cdp) capture(file string, whole bool) {
	c.t.Helper()
	var r struct{ Data string }
	c.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": whole}, &r)
	b, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
