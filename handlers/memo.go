package handlers

import (
	"context"
	"sync"

	"doleances/models"
)

// memoEntries bounds each memo: past it, new values are not kept until the
// next write empties it.
const memoEntries = 512

// memo keeps values read from the store under the page cache's rule: good
// while the generation they were read in is current. Pages rendered for
// each request (signed-in ones) use it for what is the same for everyone.
type memo[K comparable, V any] struct {
	gen func() uint64
	mu  sync.Mutex
	at  uint64
	m   map[K]V
}

func newMemo[K comparable, V any](gen func() uint64) *memo[K, V] {
	return &memo[K, V]{gen: gen}
}

// get returns the value kept for k, or loads and keeps it. Errors are not
// kept, so unknown keys do not fill the memo.
func (m *memo[K, V]) get(k K, load func() (V, error)) (V, error) {
	gen := m.gen() // before loading: a write during the load makes the value old
	m.mu.Lock()
	v, ok := m.m[k]
	ok = ok && m.at == gen
	m.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || gen > m.at {
		m.at, m.m = gen, map[K]V{}
	}
	if gen == m.at && len(m.m) < memoEntries {
		m.m[k] = v
	}
	return v, nil
}

// sidebarMemo keeps the sidebar (five queries).
type sidebarMemo struct {
	store sidebarStore
	kept  *memo[struct{}, models.Sidebar]
}

func newSidebarMemo(s sidebarStore, gen func() uint64) *sidebarMemo {
	return &sidebarMemo{store: s, kept: newMemo[struct{}, models.Sidebar](gen)}
}

func (s *sidebarMemo) Sidebar(ctx context.Context) (models.Sidebar, error) {
	return s.kept.get(struct{}{}, func() (models.Sidebar, error) { return s.store.Sidebar(ctx) })
}

// readingMemo keeps what the pages readers browse show to everyone: pages
// of stories, and the story (eight queries with its author, categories,
// tags, company and updates) with its neighbours and related stories.
// Comments and reactions, which depend on the viewer, are read every time.
// What it returns is shared: read only.
type readingMemo struct {
	readingStore
	lists     *memo[listKey, models.StoryPage]
	stories   *memo[string, *models.Story]
	neighbors *memo[uint, [2]*models.StoryLink]
	related   *memo[[2]uint, []models.StoryLink]
}

func newReadingMemo(s readingStore, gen func() uint64) *readingMemo {
	return &readingMemo{readingStore: s, lists: newMemo[listKey, models.StoryPage](gen), stories: newMemo[string, *models.Story](gen),
		neighbors: newMemo[uint, [2]*models.StoryLink](gen), related: newMemo[[2]uint, []models.StoryLink](gen)}
}

func (r *readingMemo) PublishedStory(ctx context.Context, slug string) (*models.Story, error) {
	return r.stories.get(slug, func() (*models.Story, error) { return r.readingStore.PublishedStory(ctx, slug) })
}

func (r *readingMemo) Neighbours(ctx context.Context, st *models.Story) (prev, next *models.StoryLink, err error) {
	both, err := r.neighbors.get(st.ID, func() ([2]*models.StoryLink, error) {
		p, n, err := r.readingStore.Neighbours(ctx, st)
		return [2]*models.StoryLink{p, n}, err
	})
	return both[0], both[1], err
}

func (r *readingMemo) Related(ctx context.Context, st *models.Story, n int) ([]models.StoryLink, error) {
	return r.related.get([2]uint{st.ID, uint(n)}, func() ([]models.StoryLink, error) { return r.readingStore.Related(ctx, st, n) })
}

type listKey struct {
	f     models.StoryFilter
	n     int
	metoo bool
}

func (r *readingMemo) PublishedStories(ctx context.Context, f models.StoryFilter, n int) (models.StoryPage, error) {
	return r.lists.get(listKey{f: f, n: n}, func() (models.StoryPage, error) { return r.readingStore.PublishedStories(ctx, f, n) })
}

func (r *readingMemo) CompanyStoriesByMeToo(ctx context.Context, companyID uint, n int) (models.StoryPage, error) {
	return r.lists.get(listKey{f: models.StoryFilter{CompanyID: companyID}, n: n, metoo: true}, func() (models.StoryPage, error) {
		return r.readingStore.CompanyStoriesByMeToo(ctx, companyID, n)
	})
}
