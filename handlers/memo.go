package handlers

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"doleances/models"
)

// Bounds of the memos, in values: when one is full it starts again empty.
// Stories and lists of stories hold texts (tens of kB each); the rest is small.
const (
	memoEntries = 512
	memoTexts   = 64
)

// memo keeps values read from the store under the page cache's rule: good
// while the generation they were read in is current. Pages rendered for
// each request (signed-in ones) use it for what is the same for everyone.
// Requests that miss the same value at once wait for one load of it,
// instead of all running the same queries (the sidebar's take a second at
// 100,000 stories).
type memo[K comparable, V any] struct {
	gen     func() uint64
	max     int
	mu      sync.Mutex
	at      uint64
	m       map[K]V
	loading map[flightKey[K]]*flight[V]
}

// flightKey is a value being loaded, for requests that read generation gen.
type flightKey[K comparable] struct {
	k   K
	gen uint64
}

type flight[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// errLoadPanicked is what the requests waiting for a load that panicked get.
var errLoadPanicked = errors.New("loading a kept value failed")

func newMemo[K comparable, V any](gen func() uint64, max int) *memo[K, V] {
	return &memo[K, V]{gen: gen, max: max, loading: map[flightKey[K]]*flight[V]{}}
}

// get returns the value kept for k, or loads and keeps it. Errors are not
// kept, so unknown keys do not fill the memo.
func (m *memo[K, V]) get(k K, load func() (V, error)) (V, error) {
	return m.getAt(m.gen(), k, load) // read before loading: a write during the load makes the value old
}

// read is get for a value read from the store. The load is shared by every
// request missing k at once, so it runs detached from the cancellation of
// the one whose ctx it got (a request that timed out, a client gone), which
// would otherwise fail them all; it has its own deadline instead, as long
// as the site gives a request.
func (m *memo[K, V]) read(ctx context.Context, k K, load func(ctx context.Context) (V, error)) (V, error) {
	return m.get(k, func() (V, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		return load(ctx)
	})
}

// getAt is get for a value made from data read after the generation was gen.
func (m *memo[K, V]) getAt(gen uint64, k K, load func() (V, error)) (V, error) {
	m.mu.Lock()
	if v, ok := m.m[k]; ok && m.at == gen {
		m.mu.Unlock()
		return v, nil
	}
	fk := flightKey[K]{k: k, gen: gen}
	if f := m.loading[fk]; f != nil {
		m.mu.Unlock()
		<-f.done
		return f.v, f.err
	}
	f := &flight[V]{done: make(chan struct{}), err: errLoadPanicked}
	m.loading[fk] = f
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.loading, fk)
		if f.err == nil {
			m.keep(gen, k, f.v)
		}
		m.mu.Unlock()
		close(f.done)
	}()
	f.v, f.err = load()
	return f.v, f.err
}

// keep stores v, loaded in generation gen, unless a write came since.
func (m *memo[K, V]) keep(gen uint64, k K, v V) {
	if m.m == nil || gen > m.at {
		m.at, m.m = gen, map[K]V{}
	}
	if gen == m.at {
		if len(m.m) >= m.max {
			clear(m.m) // full: start again, so that hot keys get back in
		}
		m.m[k] = v
	}
}

// sidebarMemo keeps the sidebar (five queries), and its HTML: it is the
// same on every page, and rendering it is a good part of a page's.
type sidebarMemo struct {
	store sidebarStore
	views Renderer
	kept  *memo[string, keptSidebar] // by language
}

type keptSidebar struct {
	sb   models.Sidebar
	html template.HTML
}

func newSidebarMemo(s sidebarStore, views Renderer, gen func() uint64) *sidebarMemo {
	return &sidebarMemo{store: s, views: views, kept: newMemo[string, keptSidebar](gen, 4)}
}

func (s *sidebarMemo) Sidebar(ctx context.Context) (models.Sidebar, error) {
	sb, _, err := s.RenderedSidebar(ctx, "")
	return sb, err
}

// RenderedSidebar returns the sidebar and its HTML (the "sidebar" partial)
// in language lang.
func (s *sidebarMemo) RenderedSidebar(ctx context.Context, lang string) (models.Sidebar, template.HTML, error) {
	k, err := s.kept.read(ctx, lang, func(ctx context.Context) (keptSidebar, error) {
		sb, err := s.store.Sidebar(ctx)
		if err != nil {
			return keptSidebar{}, err
		}
		var b strings.Builder
		if err := s.views.Partial(&b, lang, "sidebar", sb); err != nil {
			return keptSidebar{}, fmt.Errorf("render the sidebar: %w", err)
		}
		return keptSidebar{sb: sb, html: template.HTML(b.String())}, nil //nolint:gosec // an html/template partial's output
	})
	return k.sb, k.html, err
}

// readingMemo keeps what the pages readers browse show to everyone: pages
// of stories, and the story (eight queries with its author, categories,
// tags, company and updates) with its neighbours and related stories, and
// its comments as everyone sees them, which is what a viewer without held
// comments sees too. Reactions, which depend on the viewer, are read every
// time. What it returns is shared: read only.
type readingMemo struct {
	readingStore
	lists     *memo[listKey, models.StoryPage]
	stories   *memo[string, *models.Story]
	comments  *memo[uint, []models.Comment]
	neighbors *memo[storyKey, [2]*models.StoryLink]
	related   *memo[storyKey, []models.StoryLink]
	reactions *memo[storyKey, models.Reactions]
	// Who has held comments on a story and who reacted to it, which
	// answer for each viewer without a query.
	held     *memo[uint, models.HeldPosters]
	reactors *memo[uint, models.Reactors]
	// A company's scorecard and representatives, and who represents which.
	stats      *memo[uint, models.CompanyStats]
	reps       *memo[uint, []models.User]
	represents *memo[[2]uint, bool]
	// A company's email domains, and why a viewer may not claim it (nil: they may).
	domains *memo[uint, []string]
	claims  *memo[[2]uint, claimState]
}

// claimState is what CanClaim said: nil, or why the viewer may not claim.
type claimState struct{ refusal error }

func newReadingMemo(s readingStore, gen func() uint64) *readingMemo {
	return &readingMemo{readingStore: s,
		lists:      newMemo[listKey, models.StoryPage](gen, memoTexts),
		stories:    newMemo[string, *models.Story](gen, memoTexts),
		comments:   newMemo[uint, []models.Comment](gen, memoTexts),
		neighbors:  newMemo[storyKey, [2]*models.StoryLink](gen, memoEntries),
		related:    newMemo[storyKey, []models.StoryLink](gen, memoEntries),
		reactions:  newMemo[storyKey, models.Reactions](gen, memoEntries),
		held:       newMemo[uint, models.HeldPosters](gen, memoEntries),
		reactors:   newMemo[uint, models.Reactors](gen, memoTexts),
		stats:      newMemo[uint, models.CompanyStats](gen, memoEntries),
		reps:       newMemo[uint, []models.User](gen, memoEntries),
		represents: newMemo[[2]uint, bool](gen, memoEntries),
		domains:    newMemo[uint, []string](gen, memoEntries),
		claims:     newMemo[[2]uint, claimState](gen, memoEntries),
	}
}

func (r *readingMemo) CompanyDomains(ctx context.Context, id uint) ([]string, error) {
	return r.domains.read(ctx, id, func(ctx context.Context) ([]string, error) { return r.readingStore.CompanyDomains(ctx, id) })
}

// CanClaim is kept per viewer and company: its refusal is the value kept
// (a failure to read is not).
func (r *readingMemo) CanClaim(ctx context.Context, userID, companyID uint) error {
	st, err := r.claims.read(ctx, [2]uint{userID, companyID}, func(ctx context.Context) (claimState, error) {
		err := r.readingStore.CanClaim(ctx, userID, companyID)
		if err == nil || claimRefusal(err) != "" {
			return claimState{refusal: err}, nil
		}
		return claimState{}, err
	})
	if err != nil {
		return err
	}
	return st.refusal
}

func (r *readingMemo) CompanyStats(ctx context.Context, id uint) (models.CompanyStats, error) {
	return r.stats.read(ctx, id, func(ctx context.Context) (models.CompanyStats, error) { return r.readingStore.CompanyStats(ctx, id) })
}

func (r *readingMemo) Representatives(ctx context.Context, companyID uint) ([]models.User, error) {
	return r.reps.read(ctx, companyID, func(ctx context.Context) ([]models.User, error) {
		return r.readingStore.Representatives(ctx, companyID)
	})
}

// Represents is kept per viewer and company: a signed-in viewer of a story
// about a company asks it on every view.
func (r *readingMemo) Represents(ctx context.Context, userID, companyID uint) (bool, error) {
	return r.represents.read(ctx, [2]uint{userID, companyID}, func(ctx context.Context) (bool, error) {
		return r.readingStore.Represents(ctx, userID, companyID)
	})
}

func (r *readingMemo) PublishedStory(ctx context.Context, slug string) (*models.Story, error) {
	return r.stories.read(ctx, slug, func(ctx context.Context) (*models.Story, error) { return r.readingStore.PublishedStory(ctx, slug) })
}

// storyKey names what is read about a story as it was: a story read before
// a write has an older UpdatedAt than one read after, so what is read from
// it never passes for what the new one would give.
type storyKey struct {
	id      uint
	updated int64
	n       int
}

func (r *readingMemo) Neighbours(ctx context.Context, st *models.Story) (prev, next *models.StoryLink, err error) {
	both, err := r.neighbors.read(ctx, storyKey{id: st.ID, updated: st.UpdatedAt.UnixNano()}, func(ctx context.Context) ([2]*models.StoryLink, error) {
		p, n, err := r.readingStore.Neighbours(ctx, st)
		return [2]*models.StoryLink{p, n}, err
	})
	return both[0], both[1], err
}

func (r *readingMemo) Related(ctx context.Context, st *models.Story, n int) ([]models.StoryLink, error) {
	return r.related.read(ctx, storyKey{id: st.ID, updated: st.UpdatedAt.UnixNano(), n: n}, func(ctx context.Context) ([]models.StoryLink, error) { return r.readingStore.Related(ctx, st, n) })
}

// ReactionsOf keeps the counts and the likers shown to everyone, and whether
// the viewer likes the story and said "me too" is told by its reactors.
func (r *readingMemo) ReactionsOf(ctx context.Context, st *models.Story, viewerID uint) (models.Reactions, error) {
	out, err := r.reactions.read(ctx, storyKey{id: st.ID, updated: st.UpdatedAt.UnixNano()}, func(ctx context.Context) (models.Reactions, error) {
		return r.readingStore.ReactionsOf(ctx, st, 0)
	})
	if err != nil || viewerID == 0 {
		return out, err
	}
	// out is a copy; its Likers are shared and only read.
	who, err := r.reactors.read(ctx, st.ID, func(ctx context.Context) (models.Reactors, error) {
		return r.readingStore.ReactorsOf(ctx, st.ID)
	})
	if err != nil {
		return out, err
	}
	var known bool
	if out.Liked, out.MeToo, known = who.Of(viewerID); !known {
		out.Liked, out.MeToo, err = r.readingStore.OwnReactions(ctx, st.ID, viewerID)
	}
	return out, err
}

type listKey struct {
	f     models.StoryFilter
	n     int
	metoo bool
}

func (r *readingMemo) PublishedStories(ctx context.Context, f models.StoryFilter, n int) (models.StoryPage, error) {
	return r.lists.read(ctx, listKey{f: f, n: n}, func(ctx context.Context) (models.StoryPage, error) { return r.readingStore.PublishedStories(ctx, f, n) })
}

func (r *readingMemo) CompanyStoriesByMeToo(ctx context.Context, companyID uint, n int) (models.StoryPage, error) {
	return r.lists.read(ctx, listKey{f: models.StoryFilter{CompanyID: companyID}, n: n, metoo: true}, func(ctx context.Context) (models.StoryPage, error) {
		return r.readingStore.CompanyStoriesByMeToo(ctx, companyID, n)
	})
}

func (r *readingMemo) CommentsFor(ctx context.Context, storyID uint, v models.Viewer) ([]models.Comment, error) {
	if v.UserID != nil || v.GuestToken != "" {
		held, err := r.hasHeld(ctx, storyID, v)
		if err != nil {
			return nil, err
		}
		if held { // the viewer sees their own comments awaiting moderation
			return r.readingStore.CommentsFor(ctx, storyID, v)
		}
	}
	return r.comments.read(ctx, storyID, func(ctx context.Context) ([]models.Comment, error) {
		return r.readingStore.CommentsFor(ctx, storyID, models.Viewer{})
	})
}

// hasHeld says whether v has held comments on story storyID, from the
// story's held posters.
func (r *readingMemo) hasHeld(ctx context.Context, storyID uint, v models.Viewer) (bool, error) {
	posters, err := r.held.read(ctx, storyID, func(ctx context.Context) (models.HeldPosters, error) {
		return r.readingStore.HeldPostersOf(ctx, storyID)
	})
	if err != nil {
		return false, err
	}
	if held, known := posters.Holds(v); known {
		return held, nil
	}
	return r.readingStore.HasHeldComments(ctx, storyID, v)
}
