package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"doleances/models"
)

// commentClients is the number of concurrent clients posting comments.
const commentClients = 64

// commentBench posts comments as distinct signed-in readers on the stories
// of the front pages, as the comment form does.
type commentBench struct {
	s       *benchSite
	stories []struct{ slug, stamp string }
	runs    int
	static  staticRef // baseline-static's figures in the same run
}

// newCommentBench reads the comment forms' stamps early, so that by the
// time comment-post runs they are older than models.MinFormTime, as when a
// person reads a story before answering.
func newCommentBench(b *testing.B, s *benchSite) *commentBench {
	var slugs []string
	check(b, s.raw.Raw("SELECT slug FROM stories WHERE status = 'published' AND NOT comments_closed ORDER BY published_at DESC LIMIT 100").Scan(&slugs).Error)
	cb := &commentBench{s: s}
	for _, slug := range slugs {
		m := stampRe.FindSubmatch(get(b, s.client, s.base+"/stories/"+slug))
		if m == nil {
			b.Fatalf("no comment form on %s", slug)
		}
		cb.stories = append(cb.stories, struct{ slug, stamp string }{slug, string(m[1])})
	}
	return cb
}

// benchSessionTTL is the server's session lifetime (handlers' default).
const benchSessionTTL = 30 * 24 * time.Hour

// benchPoster is a signed-in reader: their cookie and CSRF token.
type benchPoster struct{ cookie, csrf string }

// posters makes n new readers, each signed in.
func (cb *commentBench) posters(b *testing.B, n int) []benchPoster {
	ctx := context.Background()
	cb.runs++
	users := make([]models.User, n)
	for i := range users {
		users[i] = models.User{Handle: fmt.Sprintf("bench-%d-%d", cb.runs, i), Name: fmt.Sprintf("Bench Reader %d", i)}
	}
	check(b, cb.s.store.ImportUsers(ctx, users))
	out := make([]benchPoster, n)
	for i, u := range users {
		// As sign-in makes them: with the server's lifetime (30 days by
		// default), so that the post does not also renew the session, a
		// write that a session a day or more old would not make.
		token, err := cb.s.store.CreateSession(ctx, u.ID, benchSessionTTL)
		check(b, err)
		check(b, cb.s.raw.Raw("SELECT csrf FROM sessions WHERE hash = ?", models.HashToken(token)).Scan(&out[i].csrf).Error)
		out[i].cookie = "doleances_session=" + token
	}
	return out
}

// waitForStamps sleeps until the newest stamp is older than MinFormTime.
func (cb *commentBench) waitForStamps() {
	for _, st := range cb.stories {
		at, _, _ := strings.Cut(st.stamp, ".")
		sec, _ := strconv.ParseInt(at, 10, 64)
		if wait := time.Until(time.Unix(sec, 0).Add(models.MinFormTime + 100*time.Millisecond)); wait > 0 {
			time.Sleep(wait)
		}
	}
}

func (cb *commentBench) run(b *testing.B) {
	b.StopTimer()
	cb.waitForStamps()
	posters := cb.posters(b, b.N)
	var next, accepted atomic.Int64
	var refused atomic.Value
	var l latencies
	b.SetParallelism((commentClients + 1) / 2) // times GOMAXPROCS (2 here)
	b.StartTimer()
	start := time.Now()
	l.cpu = cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := next.Add(1) - 1
			p, st := posters[i], cb.stories[int(i)%len(cb.stories)]
			form := url.Values{"body": {fmt.Sprintf("Comment %d: the same happened to me, and *the hotline* never called back.", i)},
				"stamp": {st.stamp}, "csrf": {p.csrf}}
			req, _ := http.NewRequest(http.MethodPost, cb.s.base+"/stories/"+st.slug+"/comments", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", cb.s.base)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Cookie", p.cookie)
			t := time.Now()
			res, err := cb.s.client.Do(req)
			if err != nil {
				refused.Store(err.Error())
				continue
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			mine = append(mine, time.Since(t))
			if res.StatusCode == http.StatusSeeOther {
				accepted.Add(1)
			} else {
				refused.Store(fmt.Sprintf("%d %.300s", res.StatusCode, body))
			}
		}
		l.add(mine)
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if r := refused.Load(); r != nil || accepted.Load() != int64(b.N) {
		b.Fatalf("%d of %d comments accepted; last refusal: %v", accepted.Load(), b.N, r)
	}
	var saved int64
	check(b, cb.s.raw.Raw("SELECT count(*) FROM comments WHERE user_id IN (SELECT id FROM users WHERE handle LIKE ?)",
		fmt.Sprintf("bench-%d-%%", cb.runs)).Scan(&saved).Error)
	if saved != int64(b.N) {
		b.Fatalf("%d comments accepted, %d saved", b.N, saved)
	}
	l.report(b, elapsed, "comments/s", cb.static)
}
