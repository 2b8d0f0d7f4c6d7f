package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// TestClaimScreenshots renders, at desktop and phone widths in headless
// Chromium, a company page as a signed-in user whose verified address is at
// the company's domain sees it: the rule and the "Represent" button
// (DOLEANCES_SCREENSHOTS keeps the PNGs; docs/screenshots has them).
func TestClaimScreenshots(t *testing.T) {
	chromium(t)
	slow(t)
	s := newSite(t, listening(), withStories())
	ctx := context.Background()
	co, err := s.store.CompanyBySlug(ctx, "orange")
	check(t, err)
	admin := s.newUser("boss", "Boss", models.RoleAdmin)
	check(t, s.store.UpdateCompany(ctx, admin.ID, co.ID, models.CompanyInput{Name: "Orange", Website: "https://www.orange.fr",
		Description: "France's incumbent telecom operator.", Domains: "orange.fr\norange.com"}))
	sophie := &models.User{Handle: "sophie", Name: "Sophie Laurent", Email: "sophie.laurent@sav.orange.fr", EmailVerified: true}
	check(t, s.store.CreateUser(ctx, sophie))
	token, err := s.store.CreateSession(ctx, sophie.ID, time.Hour)
	check(t, err)
	dir := screenshotDir(t)
	for _, size := range []struct {
		label string
		w     int
	}{{"desktop", 1366}, {"phone", 390}} {
		c := chromiumPage(t, size.w, 900)
		c.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": size.w, "height": 900, "deviceScaleFactor": 1, "mobile": size.w < 500}, nil)
		c.call("Network.setCookie", map[string]any{"name": "doleances_session", "value": token, "url": s.URL}, nil)
		c.open(s.URL + "/company/orange")
		if got := string(c.eval(`document.querySelector('#claim form button') ? document.querySelector('#claim').innerText : ""`)); !strings.Contains(got, "Represent Orange") {
			t.Fatalf("%s: no claim button on the company page: %s", size.label, got)
		}
		c.eval(`document.getElementById("claim").scrollIntoView({block: "center"}); true`)
		file := filepath.Join(dir, "company-claim-"+size.label+".png")
		c.screenshotViewport(file)
		if w := checkPNG(t, file).Bounds().Dx(); w != size.w {
			t.Errorf("%s is %d pixels wide", file, w)
		}
	}
}
