package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

func TestMemoKeepsValuesUntilTheNextWrite(t *testing.T) {
	var gen atomic.Uint64
	m := newMemo[string, int](gen.Load, 2)
	loads := 0
	load := func(v int, err error) func() (int, error) {
		return func() (int, error) { loads++; return v, err }
	}
	get := func(k string, v int) int {
		got, err := m.get(k, load(v, nil))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if get("a", 1) != 1 || get("a", 2) != 1 || loads != 1 {
		t.Fatalf("a value was not kept: %d loads", loads)
	}
	gen.Add(1) // a write
	if get("a", 3) != 3 {
		t.Error("a value outlived a write")
	}
	if _, err := m.get("missing", load(0, errors.New("not found"))); err == nil {
		t.Fatal("the error was lost")
	}
	if _, ok := m.m["missing"]; ok {
		t.Error("an error was kept")
	}
	// A value made from data read before a write is not kept after it.
	old := gen.Load()
	gen.Add(1)
	get("b", 4)
	if v, _ := m.getAt(old, "b", load(5, nil)); v != 5 {
		t.Errorf("getAt an old generation gave %d, want its own load", v)
	}
	if get("b", 6) != 4 {
		t.Error("a value of an old generation replaced a current one")
	}
	get("c", 7)
	get("d", 8) // over the bound of 2: the memo starts again
	if len(m.m) > 2 || get("d", 9) != 8 {
		t.Errorf("%d values kept, bound 2, or the newest lost", len(m.m))
	}
}

// TestMemoLoadsOnceForConcurrentMisses: requests missing the same value at
// once share one load; a load that panics fails its waiters, not hangs them.
func TestMemoLoadsOnceForConcurrentMisses(t *testing.T) {
	var gen atomic.Uint64
	m := newMemo[string, int](gen.Load, 8)
	var loads atomic.Int64
	release := make(chan struct{})
	slow := func() (int, error) { loads.Add(1); <-release; return 42, nil }
	const n = 20
	results := make(chan int, n)
	for range n {
		go func() { v, _ := m.get("sidebar", slow); results <- v }()
	}
	for loads.Load() == 0 {
		runtime.Gosched()
	}
	time.Sleep(20 * time.Millisecond) // the others reach the wait
	close(release)
	for range n {
		if v := <-results; v != 42 {
			t.Fatalf("a waiter got %d", v)
		}
	}
	if loads.Load() != 1 {
		t.Errorf("%d loads for %d concurrent misses, want 1", loads.Load(), n)
	}

	started, unblock := make(chan struct{}), make(chan struct{})
	go func() {
		defer func() { recover() }()
		m.get("boom", func() (int, error) { close(started); <-unblock; panic("template broke") })
	}()
	<-started
	errc := make(chan error, 1)
	go func() { _, err := m.get("boom", func() (int, error) { return 1, nil }); errc <- err }()
	time.Sleep(20 * time.Millisecond)
	close(unblock)
	select {
	case err := <-errc:
		if err == nil {
			t.Error("a waiter of a load that panicked got no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiter of a load that panicked hangs")
	}
}

// TestMemoLoadOutlivesItsCaller: the request whose load the others wait
// for may time out or go away; the load goes on, with its own deadline,
// and the request waiting for it gets the value.
func TestMemoLoadOutlivesItsCaller(t *testing.T) {
	var gen atomic.Uint64
	m := newMemo[string, int](gen.Load, 8)
	started, release := make(chan struct{}), make(chan struct{})
	deadline := make(chan bool, 1)
	load := func(ctx context.Context) (int, error) {
		_, ok := ctx.Deadline()
		deadline <- ok
		close(started)
		select {
		case <-release:
			return 42, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	first, cancel := context.WithCancel(context.Background())
	go func() { _, _ = m.read(first, "sidebar", load) }()
	<-started
	waiter := make(chan error, 1)
	go func() {
		v, err := m.read(context.Background(), "sidebar", func(context.Context) (int, error) {
			return 0, errors.New("a second load for a value being loaded")
		})
		if err == nil && v != 42 {
			err = errors.New("a wrong value")
		}
		waiter <- err
	}()
	time.Sleep(20 * time.Millisecond) // the waiter reaches the wait
	cancel()                          // the first caller is gone
	time.Sleep(20 * time.Millisecond) // a load bound to it would have ended now
	close(release)
	select {
	case err := <-waiter:
		if err != nil {
			t.Errorf("the waiter got %v once the first caller was cancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter hangs")
	}
	if !<-deadline {
		t.Error("a shared load runs without a deadline of its own")
	}
}

// TestMemoLoadGetsTheSiteRequestTime: a shared load's own deadline is the
// one the site gives a request (requestContext's), not the default.
func TestMemoLoadGetsTheSiteRequestTime(t *testing.T) {
	for _, timeout := range []time.Duration{3 * time.Second, 30 * time.Second} {
		var gen atomic.Uint64
		m := newMemo[string, int](gen.Load, 8)
		var left time.Duration
		app := fiber.New()
		app.Use(requestContext(timeout))
		app.Get("/", func(c *fiber.Ctx) error {
			_, err := m.read(c.UserContext(), "sidebar", func(ctx context.Context) (int, error) {
				d, _ := ctx.Deadline()
				left = time.Until(d)
				return 1, nil
			})
			return err
		})
		res, err := app.Test(httptest.NewRequest(http.MethodGet, "/", nil), -1)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET /: %v %v", res, err)
		}
		if left > timeout || left < timeout-time.Second {
			t.Errorf("with requests given %v, a shared load was given %v", timeout, left)
		}
	}
}
