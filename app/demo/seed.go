package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/schollz/progressbar/v3"

	"doleances/models"
)

// Options say how much the seed command makes.
type Options struct {
	Stories, Comments, Users int
	Seed                     uint64 // the same seed gives the same site
	Force                    bool   // add to a database that is not empty
	// Batched saves the stories batch by batch through Import even where
	// a bulk load could run (an empty SQLite site): the tests compare both.
	Batched bool
	Now     time.Time
}

// seedBatch is the number of stories imported per transaction.
const seedBatch = 200

// Generate fills store with opt's content, showing progress on out.
func Generate(ctx context.Context, store *models.Store, opt Options, out io.Writer) error {
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty && !opt.Force {
		return errors.New("seed: this database already has users or stories; add -force to add to them")
	}
	w, err := seedBase(ctx, store, opt)
	if err != nil {
		return err
	}
	bar := progressbar.NewOptions(opt.Stories, progressbar.OptionSetWriter(out), progressbar.OptionSetDescription("stories"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("stories"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(out) }))
	counts := commentCounts(rand.New(rand.NewPCG(opt.Seed, 2)), opt.Stories, opt.Comments)
	// Workers draw and render batches (the CPU work); this goroutine saves
	// them in order on the one writer connection.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := (opt.Stories + seedBatch - 1) / seedBatch
	futures := make(chan chan prepared, runtime.GOMAXPROCS(0)*2)
	go func() {
		defer close(futures)
		for i := 0; i < batches; i++ {
			f := make(chan prepared, 1)
			select {
			case futures <- f:
			case <-ctx.Done():
				return
			}
			go func(i int) { f <- w.prepare(opt, i, counts) }(i)
		}
	}()
	save, finish, err := saver(ctx, store, opt)
	if err != nil {
		return err
	}
	for f := range futures {
		p := <-f
		if p.err != nil {
			return p.err
		}
		if err := save(p.batch); err != nil {
			return err
		}
		n, _ := p.batch.Len()
		_ = bar.Add(n)
	}
	if err := bar.Finish(); err != nil {
		return err
	}
	if err := finish(); err != nil {
		return err
	}
	if err := store.RefreshStaleStats(ctx); err != nil {
		return err
	}
	return store.OptimizeSearch(ctx)
}

// saver returns how batches are saved and what ends the saving: a bulk
// load on an empty SQLite site, Import batch by batch elsewhere.
func saver(ctx context.Context, store *models.Store, opt Options) (save func(*models.ImportBatch) error, finish func() error, err error) {
	if !opt.Batched {
		bulk, err := store.BeginBulk(ctx)
		switch {
		case err == nil:
			return func(b *models.ImportBatch) error { return bulk.Add(ctx, b) }, func() error { return bulk.Finish(ctx) }, nil
		case !errors.Is(err, models.ErrBulkUnsupported):
			return nil, nil, err
		}
	}
	save = func(b *models.ImportBatch) error {
		b.DeferScorecards() // refreshed once, at the end
		return store.Import(ctx, b)
	}
	return save, func() error { return nil }, nil
}

type prepared struct {
	batch *models.ImportBatch
	err   error
}

// prepare draws and renders batch i; its randomness depends on the seed and
// i alone, so the site is the same whatever the order of the workers.
func (w *seedWorld) prepare(opt Options, i int, counts []int) prepared {
	g := seedText{rand.New(rand.NewPCG(opt.Seed, uint64(i)+100))}
	var stories []models.ImportStory
	for k := i * seedBatch; k < min((i+1)*seedBatch, opt.Stories); k++ {
		stories = append(stories, w.story(g, k, opt.Stories, counts[k]))
	}
	b, err := models.PrepareImport(stories)
	return prepared{b, err}
}

// commentCounts spreads total comments over n stories unevenly, as on a
// real site: most stories have a few, some have many.
func commentCounts(r *rand.Rand, n, total int) []int {
	counts := make([]int, n)
	if n == 0 {
		return counts
	}
	weights := make([]float64, n)
	sum := 0.0
	for i := range weights {
		weights[i] = r.ExpFloat64()
		sum += weights[i]
	}
	given := 0
	for i, w := range weights {
		counts[i] = int(float64(total) * w / sum)
		given += counts[i]
	}
	for i := 0; given < total; i = (i + 1) % n {
		counts[i]++
		given++
	}
	return counts
}

// seedBase makes the users, categories and companies stories refer to.
func seedBase(ctx context.Context, store *models.Store, opt Options) (*seedWorld, error) {
	g := seedText{rand.New(rand.NewPCG(opt.Seed, 1))}
	w := &seedWorld{now: opt.Now.UTC(), span: 3 * 365 * 24 * time.Hour}
	for from := 0; from < opt.Users; from += 1000 {
		var users []models.User
		for i := from; i < min(from+1000, opt.Users); i++ {
			name := g.name()
			u := models.User{Handle: models.Slugify(name), Name: name, Role: models.RoleReader,
				Email: fmt.Sprintf("reader%d@example.org", i+1)}
			switch {
			case i == 0:
				u.Role = models.RoleAdmin
			case i%20 == 1:
				u.Role = models.RoleAuthor
				u.Bio = "Writes about " + g.pick(seedThings) + "s and the people who sell them."
			}
			users = append(users, u)
		}
		if err := store.ImportUsers(ctx, users); err != nil {
			return nil, err
		}
		for _, u := range users {
			w.users = append(w.users, u.ID)
			if u.Role != models.RoleReader {
				w.authors = append(w.authors, u.ID)
			}
		}
	}
	existing, err := store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]uint{}
	for _, c := range existing {
		have[c.Name] = c.ID
	}
	for i, name := range seedCategories {
		if id, ok := have[name]; ok {
			w.categories = append(w.categories, id)
			continue
		}
		c := &models.Category{Name: name, Description: "Stories about " + name + ".", Position: i + 1}
		if err := store.CreateCategory(ctx, c); err != nil {
			return nil, fmt.Errorf("category %s: %w", name, err)
		}
		w.categories = append(w.categories, c.ID)
	}
	for _, spellings := range SeedCompanies {
		for _, name := range spellings {
			c, err := store.FindOrCreateCompany(ctx, name)
			if err != nil {
				return nil, err
			}
			w.companies, w.spellings = append(w.companies, c.ID), append(w.spellings, name)
		}
	}
	return w, nil
}
