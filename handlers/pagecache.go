package handlers

import (
	"container/list"
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// PageCacheBytes is the default memory budget of the rendered-page cache:
// some 400 story pages. Kept pages are live heap, which the garbage collector
// lets grow to twice over, and the site must stay under 150 MB at 100,000
// stories.
const PageCacheBytes = 16 << 20

// entryOverhead is what an entry costs besides its body and key: the list
// element, the map slot, the headers.
const entryOverhead = 256

// The rendered-page cache keeps the pages of visitors without a session
// (the same for all of them), so that most page views cost a map look-up.
// Its one rule: an entry is good while the site generation it was rendered
// in is current (any committed write moves it, see models.Store.Generation)
// and, for a page with a comment form, until its stamp's step is over.
// Routes opt in with cached; a page is kept only when it is a 200 to a GET
// from a visitor without a session or guest cookie, and its response sets
// no cookie and no Cache-Control of its own. Memory is bounded by a byte
// budget, least recently used entries going first.

// pageCache is an LRU map from request URI to rendered page.
type pageCache struct {
	gen    func() uint64
	now    func() time.Time
	budget int

	mu    sync.Mutex
	items map[string]*list.Element // of *cachedPage
	lru   list.List                // front: most recently used
	size  int
	seen  map[uint64]struct{} // hashes of the popular-only keys asked for once; see cachedPopular
	seed  maphash.Seed
}

// maxSeen bounds the keys remembered as asked for once (8 bytes each):
// when full, the memory is started afresh.
const maxSeen = 8192

// cachedPage is a rendered page with its validators.
type cachedPage struct {
	key     string
	gen     uint64
	until   time.Time // zero: until the next write
	ctype   string
	body    []byte
	etag    string
	lastMod time.Time
	dated   bool // lastMod is sent
}

func newPageCache(gen func() uint64, now func() time.Time, budget int) *pageCache {
	return &pageCache{gen: gen, now: now, budget: budget, items: map[string]*list.Element{},
		seen: map[uint64]struct{}{}, seed: maphash.MakeSeed()}
}

func (p *cachedPage) cost() int { return len(p.body) + len(p.key) + entryOverhead }

// get returns the page kept for key if it is still good.
func (pc *pageCache) get(key string) *cachedPage {
	gen, now := pc.gen(), pc.now()
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el := pc.items[key]
	if el == nil {
		return nil
	}
	p := el.Value.(*cachedPage)
	if p.gen != gen || (!p.until.IsZero() && !now.Before(p.until)) {
		pc.remove(el)
		return nil
	}
	pc.lru.MoveToFront(el)
	return p
}

// put keeps p, rendered in generation p.gen, unless a write came since.
func (pc *pageCache) put(p *cachedPage) {
	if p.cost() > pc.budget/4 || p.gen != pc.gen() {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el := pc.items[p.key]; el != nil {
		pc.remove(el)
	}
	pc.items[p.key] = pc.lru.PushFront(p)
	pc.size += p.cost()
	for pc.size > pc.budget {
		pc.remove(pc.lru.Back())
	}
}

func (pc *pageCache) remove(el *list.Element) {
	p := pc.lru.Remove(el).(*cachedPage)
	delete(pc.items, p.key)
	pc.size -= p.cost()
}

// lookup returns the page to serve from the cache to this request, or nil.
// A HEAD is answered from the GET's entry (the same headers, no body).
func (pc *pageCache) lookup(c *fiber.Ctx) *cachedPage {
	if !anonymous(c) {
		return nil
	}
	return pc.get(cacheKey(c))
}

// cacheKey is the entry of a page: its language and its URI, so that each
// language keeps its own copy of a page.
func cacheKey(c *fiber.Ctx) string {
	return locale(c).Code + " " + c.OriginalURL()
}

// anonymous says whether the request comes from a visitor whose pages are
// the same as everyone's: no session cookie (valid or not: an expired one
// is cleared by rendering) and no guest cookie (their held comments).
func anonymous(c *fiber.Ctx) bool {
	return c.Cookies(sessionCookie) == "" && c.Cookies(guestCookie) == ""
}

const (
	cacheableLocal  = "pagecache.ok"
	cacheUntilLocal = "pagecache.until"
	popularLocal    = "pagecache.popular"
)

// cached marks the responses of h as fit for the page cache when the query
// string is empty or one of queries (an allowlist: any other query string
// is rendered every time, so random ones cannot fill the cache), either
// followed by lang= and a language of the site.
func cached(h fiber.Handler, queries ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q := string(c.Request().URI().QueryString())
		if rest, code, found := strings.Cut(q, "lang="); found && (rest == "" || strings.HasSuffix(rest, "&")) && code == locale(c).Code {
			q = strings.TrimSuffix(rest, "&")
		}
		ok := q == ""
		for _, allowed := range queries {
			ok = ok || q == allowed
		}
		c.Locals(cacheableLocal, ok)
		return h(c)
	}
}

// cachedPopular marks the responses of h as fit for the page cache whatever
// their query string, but keeps one only when the same address was asked
// for before (the search page: popular searches come from the cache, a
// search made once does not push other pages out).
func cachedPopular(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(cacheableLocal, true)
		c.Locals(popularLocal, true)
		return h(c)
	}
}

// askedBefore says whether key was asked for before (since the memory of
// such keys was last started afresh), and remembers it.
func (pc *pageCache) askedBefore(key string) bool {
	h := maphash.String(pc.seed, key)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if _, ok := pc.seen[h]; ok {
		return true
	}
	if len(pc.seen) >= maxSeen {
		clear(pc.seen)
	}
	pc.seen[h] = struct{}{}
	return false
}

// cacheUntil says that the page being rendered may be served from the cache
// only before t (its comment form's stamp must stay in the future).
func cacheUntil(c *fiber.Ctx, t time.Time) {
	if old, ok := c.Locals(cacheUntilLocal).(time.Time); !ok || t.Before(old) {
		c.Locals(cacheUntilLocal, t)
	}
}

// keep stores the response just rendered if it may be served to others.
func (pc *pageCache) keep(c *fiber.Ctx, p *cachedPage) {
	if ok, _ := c.Locals(cacheableLocal).(bool); !ok || c.Method() != fiber.MethodGet || !anonymous(c) {
		return
	}
	setsCookie := false
	c.Response().Header.VisitAllCookie(func(_, _ []byte) { setsCookie = true })
	if setsCookie {
		return
	}
	p.key = cacheKey(c)
	if popular, _ := c.Locals(popularLocal).(bool); popular && !pc.askedBefore(p.key) {
		return
	}
	p.until, _ = c.Locals(cacheUntilLocal).(time.Time)
	if !p.dated {
		// Last-Modified is left out in the second of a write; a page kept
		// without it would go without it until the next write.
		next := pc.now().Truncate(time.Second).Add(time.Second)
		if p.until.IsZero() || next.Before(p.until) {
			p.until = next
		}
	}
	p.ctype = string(c.Response().Header.ContentType())
	p.body = append([]byte(nil), c.Response().Body()...)
	pc.put(p)
}
