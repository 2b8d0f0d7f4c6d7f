package app

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// cdp drives a headless Chromium through the DevTools protocol over
// --remote-debugging-pipe (fd 3 in, fd 4 out, messages ending in NUL), so
// that a test can type, click and take screenshots without a driver library.
type cdp struct {
	t       *testing.T
	w       *os.File
	mu      sync.Mutex
	next    int
	waiting map[int]chan cdpReply
	session string
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// startChromium runs Chromium with the pipe and opens one page.
func startChromium(t *testing.T, bin string, width, height int) *cdp {
	t.Helper()
	toBrowser, ourEnd, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromBrowser, theirEnd, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// Chromium's helper processes may still write to the profile after the
	// browser exits, so it lives outside t.TempDir, removed on a best-effort basis.
	profile, err := os.MkdirTemp("", "doleances-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars", "--remote-debugging-pipe",
		fmt.Sprintf("--window-size=%d,%d", width, height), "--user-data-dir="+profile, "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, theirEnd}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	toBrowser.Close()
	theirEnd.Close()
	c := &cdp{t: t, w: ourEnd, waiting: map[int]chan cdpReply{}}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		ourEnd.Close() // a closed pipe makes Chromium quit
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cancel()
			<-exited
		}
		cancel()
		fromBrowser.Close()
		_ = os.RemoveAll(profile)
	})
	go c.read(fromBrowser)
	var target struct{ TargetID string }
	c.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	c.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	c.session = att.SessionID
	return c
}

func (c *cdp) read(r *os.File) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 1<<20), 64<<20)
	s.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		for i, b := range data {
			if b == 0 {
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
		c.mu.Lock()
		ch := c.waiting[m.ID]
		delete(c.waiting, m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply
		}
	}
}

// call sends a command (to the page once attached) and decodes its result.
func (c *cdp) call(method string, params any, result any) {
	c.t.Helper()
	c.mu.Lock()
	c.next++
	id := c.next
	ch := make(chan cdpReply, 1)
	c.waiting[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if c.session != "" {
		msg["sessionId"] = c.session
	}
	b, _ := json.Marshal(msg)
	if _, err := c.w.Write(append(b, 0)); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			c.t.Fatalf("%s: %s", method, r.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(r.Result, result); err != nil {
				c.t.Fatalf("%s: %v", method, err)
			}
		}
	case <-time.After(30 * time.Second):
		c.t.Fatalf("%s: no answer from Chromium", method)
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
	deadline := time.Now().Add(15 * time.Second)
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
