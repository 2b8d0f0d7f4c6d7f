package models

import (
	"sync"
	"sync/atomic"
	"time"
)

// Every signed-in request looks its session up; most of them find what the
// one before found. The store keeps the sessions it read, by token hash, for
// at most externalPoll, so that a session ended on another instance sharing
// the database stops working everywhere within the same second as another
// instance's writes show on pages. On this instance an entry is good only
// while
//   - the site generation it was read in is current: deleting an account,
//     changing a role or anything else of a user writes users, which moves it;
//   - no session was ended here since (signing out one browser or
//     everywhere: endSessions), without moving the generation, which would
//     empty every page cache for something no page shows;
//   - the session has not expired on the clock, as the query checks.

// sessionCacheMax bounds the sessions kept: when full it starts again empty.
const sessionCacheMax = 4096

type sessionCache struct {
	ended atomic.Uint64 // sessions ended by this store: moves at each sign-out
	mu    sync.Mutex
	at    sessionEpoch
	m     map[string]keptSession
}

// sessionEpoch is what a kept session is good for: the site generation and
// the count of sign-outs when it was read.
type sessionEpoch struct{ gen, ended uint64 }

type keptSession struct {
	sess   Session
	readAt time.Time
}

// epoch is the current sessionEpoch; read it before reading a session, so
// that a sign-out during the read makes what it read old.
func (c *sessionCache) epoch(gen uint64) sessionEpoch {
	return sessionEpoch{gen: gen, ended: c.ended.Load()}
}

// get returns the session kept for hash in epoch e, if still good at now.
func (c *sessionCache) get(hash string, e sessionEpoch, now time.Time) (Session, bool) {
	c.mu.Lock()
	k, ok := c.m[hash]
	ok = ok && c.at == e
	c.mu.Unlock()
	return k.sess, ok && now.Sub(k.readAt) < externalPoll && k.sess.ExpiresAt.After(now)
}

// put keeps sess, read at readAt in epoch e, unless a write or a sign-out
// came since.
func (c *sessionCache) put(hash string, e sessionEpoch, sess Session, readAt time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || e.gen > c.at.gen || e.gen == c.at.gen && e.ended > c.at.ended {
		c.at, c.m = e, make(map[string]keptSession)
	}
	if e != c.at {
		return
	}
	if len(c.m) >= sessionCacheMax {
		clear(c.m)
	}
	sess.Renewed = false // a renewal is the request's, not the session's
	c.m[hash] = keptSession{sess: sess, readAt: readAt}
}
