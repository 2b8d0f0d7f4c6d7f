package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"doleances/models"

	"doleances/app/demo"
)

// startCompanySite runs the demo site on a clock the test moves, with Orange
// answering: a representative, eight more stories over six months, most of
// them replied to after a few days and some resolved by their authors; the
// demo's Orange story has a reply, a follow-up and its author's resolution.
// It returns the site's URL and that story's path.
func startCompanySite(t *testing.T) (string, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(t, err)
	base := "http://" + ln.Addr().String()
	// The demo dates its stories from the real clock: the site's starts there too.
	start := time.Now().UTC().Truncate(24 * time.Hour).Add(10 * time.Hour)
	clock := &testClock{t: start}
	cfg := Config{Addr: ln.Addr().String(), BaseURL: base, Data: t.TempDir(), Demo: true, now: clock.now}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	check(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	s := srv.store
	orange, err := s.CompanyBySlug(ctx, "orange")
	check(t, err)
	admin := &models.User{Handle: "admin", Name: "Admin", Role: models.RoleAdmin}
	check(t, s.CreateUser(ctx, admin))
	rep := &models.User{Handle: "orange-service", Name: "Service clients Orange"}
	check(t, s.CreateUser(ctx, rep))
	check(t, s.AddRepresentative(ctx, admin.ID, orange.ID, rep.Handle))
	check(t, s.UpdateCompany(ctx, admin.ID, orange.ID, models.CompanyInput{Name: "Orange", Website: "https://www.orange.fr",
		Description: "France's incumbent telecom operator: landlines, fibre boxes and mobile plans.", Domains: "orange.fr\norange.com"}))
	cats, err := s.Categories(ctx)
	check(t, err)
	// Eight stories, one every three weeks; replies after 1 to 9 days, two never.
	replyAfter := []int{2, 1, 6, -1, 3, 9, -1, 4}
	for i, d := range replyAfter {
		at := start.AddDate(0, 0, -21*(len(replyAfter)-i))
		st, err := s.CreateStory(ctx, models.StoryInput{Title: "Orange, story " + strconv.Itoa(i+1), Body: "The box stopped working.",
			AuthorID: admin.ID, CompanyID: &orange.ID, CategoryIDs: []uint{cats[0].ID}, Status: models.StatusPublished, PublishedAt: &at})
		check(t, err)
		if d < 0 {
			continue
		}
		replyAt(t, s, clock, at.AddDate(0, 0, d), st.ID, rep.ID, models.ReplyAct, "We are looking into it.")
		if i%2 == 0 {
			clock.set(at.AddDate(0, 0, d+5))
			check(t, s.SetResolution(ctx, st.ID, admin.ID, models.ResolutionResolved))
		}
	}
	slug := models.Slugify(demo.Stories[0].Title)
	st, err := s.PublishedStory(ctx, slug)
	check(t, err)
	replyAt(t, s, clock, st.PublishedAt.AddDate(0, 0, 3), st.ID, rep.ID, models.ReplyAct,
		"Hello Margot, we are sorry for the months this took. **Your contract is now closed** and the three months billed after your letter will be refunded within 10 days.")
	clock.set(st.PublishedAt.AddDate(0, 0, 6))
	_, err = s.AddCompanyFollowUp(ctx, st.ID, rep.ID, "The refund of €89.97 left today.")
	check(t, err)
	clock.set(st.PublishedAt.AddDate(0, 0, 11))
	check(t, s.SetResolution(ctx, st.ID, st.AuthorID, models.ResolutionOpen))
	check(t, s.SetResolution(ctx, st.ID, st.AuthorID, models.ResolutionResolved))
	clock.set(start)
	return base, "/stories/" + slug
}

// replyAt posts an official reply at a time of the site's clock.
func replyAt(t *testing.T, s *models.Store, clock *testClock, at time.Time, storyID, repID uint, kind, body string) {
	t.Helper()
	clock.set(at)
	_, err := s.PostCompanyReply(context.Background(), storyID, repID, kind, body)
	check(t, err)
}

// TestCompanyScreenshots renders a story with an official reply and its
// timeline, a company's scorecard and /companies at desktop and phone
// widths in headless Chromium (DOLEANCES_SCREENSHOTS keeps the PNGs; the
// ones in docs/screenshots come from it), and checks the DOM it built.
func TestCompanyScreenshots(t *testing.T) {
	chromium(t)
	base, story := startCompanySite(t)
	dir := screenshotDir(t)
	pages := []struct{ name, path, want string }{
		{"company-reply", story, `id="official-reply"`},
		{"company-scorecard", "/company/orange", `class="chart trend"`},
		{"companies", "/companies", `class="ranking"`},
	}
	for _, p := range pages {
		if dom := dumpDOM(t, base+p.path); !bytes.Contains(dom, []byte(p.want)) {
			t.Errorf("%s: the DOM lacks %s", p.name, p.want)
		}
		for _, size := range []struct {
			label string
			w, h  int
		}{{"desktop", 1366, 2600}, {"phone", 390, 4200}} {
			file := filepath.Join(dir, p.name+"-"+size.label+".png")
			screenshotAt(t, base+p.path, file, size.w, size.h)
			checkScreenshot(t, file, size.w, size.h)
		}
	}
}
