package app

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// silentCloser is a listener that remembers its connections, so that a
// stop can close those that never sent a byte.
//
// fasthttp marks a new connection active before reading from it, so its
// Shutdown waits for connections opened ahead of time and never used
// (browsers preconnect; Go's client keeps the spare dials of a burst) until
// the read timeout, past the stop's own timeout. Closing them loses nothing:
// no request has begun on them.
type silentCloser struct {
	net.Listener
	mu    sync.Mutex
	conns map[*watchedConn]struct{}
}

func newSilentCloser(ln net.Listener) *silentCloser {
	return &silentCloser{Listener: ln, conns: map[*watchedConn]struct{}{}}
}

// Accept returns the next connection, watched.
func (l *silentCloser) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	wc := &watchedConn{Conn: c, l: l, at: time.Now()}
	l.mu.Lock()
	l.conns[wc] = struct{}{}
	l.mu.Unlock()
	return wc, nil
}

// closeSilentUntil closes, every tenth of a second until done is closed,
// the connections over a second old that never sent a byte.
func (l *silentCloser) closeSilentUntil(done <-chan struct{}) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			l.closeSilent(time.Second)
		}
	}
}

// closeSilent closes the connections older than age that never sent a byte.
func (l *silentCloser) closeSilent(age time.Duration) {
	l.mu.Lock()
	var silent []*watchedConn
	for c := range l.conns {
		if !c.spoke.Load() && time.Since(c.at) >= age {
			silent = append(silent, c)
		}
	}
	l.mu.Unlock()
	for _, c := range silent {
		c.Close()
	}
}

// watchedConn notes whether its peer ever sent anything.
type watchedConn struct {
	net.Conn
	l     *silentCloser
	at    time.Time
	spoke atomic.Bool
	once  sync.Once
}

func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.spoke.Store(true)
	}
	return n, err
}

func (c *watchedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
