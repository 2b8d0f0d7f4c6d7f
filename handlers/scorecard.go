package handlers

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"doleances/handlers/i18n"
	"doleances/models"
)

// TrendMonths is how many months a company's trend shows.
const TrendMonths = 12

// Scorecard is a company's figures as its page shows them: the numbers,
// their charts (SVG drawn here, no script) and the same in a table.
type Scorecard struct {
	Stats models.CompanyStats
	// Rated: enough stories for rates and medians (models.MinStoriesForRates).
	Rated       bool
	MinStories  int
	ReplyRate   string // "58 %", or "—" below MinStories
	ResolveRate string
	ReplyDays   string // "2.5 days", "—"
	ResolveDays string
	Trend       []models.MonthStats
	TrendChart  template.HTML
	RatesChart  template.HTML // empty below MinStories
	loc         *i18n.Locale
}

// newScorecard formats cs at now, in the language of loc.
func newScorecard(cs models.CompanyStats, now time.Time, loc *i18n.Locale) *Scorecard {
	sc := &Scorecard{Stats: cs, Rated: cs.Rated(), MinStories: models.MinStoriesForRates,
		ReplyRate: "—", ResolveRate: "—", ReplyDays: "—", ResolveDays: "—", Trend: cs.Trend(now, TrendMonths)}
	if sc.Rated {
		sc.ReplyRate, sc.ResolveRate = fmtPercent(cs.ReplyRate()), fmtPercent(cs.ResolveRate())
		sc.ReplyDays, sc.ResolveDays = fmtDays(cs.ReplyDays, loc), fmtDays(cs.ResolveDays, loc)
		sc.RatesChart = ratesChart(cs, loc)
	}
	sc.TrendChart = trendChart(sc.Trend, loc)
	sc.loc = loc
	return sc
}

func fmtPercent(p float64) string { return fmt.Sprintf("%.0f %%", p) }

// fmtDays formats a median in days, to a tenth; "—" without one.
func fmtDays(d *float64, loc *i18n.Locale) string {
	if d == nil {
		return "—"
	}
	if *d == float64(int(*d)) {
		return loc.T("%d days", int(*d))
	}
	return loc.T("%s days", loc.Decimal(*d))
}

// Summary is the scorecard in one sentence, for feeds and descriptions.
func (sc *Scorecard) Summary() string {
	cs, loc := sc.Stats, sc.loc
	s := loc.T("%d published stories", cs.Stories)
	if !sc.Rated {
		return s + loc.T(" (rates are shown from %d stories); %d “me too”.", sc.MinStories, cs.MeToo)
	}
	return s + loc.T("; %s with an official reply (median %s to the first reply); %s resolved as confirmed by their authors (median %s); %d “me too”.",
		sc.ReplyRate, sc.ReplyDays, sc.ResolveRate, sc.ResolveDays, cs.MeToo)
}

// Sizes of the trend chart, in SVG units.
const (
	chartW, chartH = 640, 200
	chartTop       = 16
	chartBottom    = 28 // room for the month labels
	chartLeft      = 28
)

// trendChart draws the months' stories, replied and resolved as grouped
// bars. The SVG is a picture (role img) labelled by the table beside it.
func trendChart(months []models.MonthStats, loc *i18n.Locale) template.HTML {
	top := 1
	for _, m := range months {
		top = max(top, m.Stories)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart trend" viewBox="0 0 %d %d" role="img" aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">`, chartW, chartH)
	b.WriteString(`<title id="trend-title">` + html.EscapeString(loc.T("Stories, official replies and resolutions in the last 12 months; the table below gives the figures")) + `</title>`)
	plotH := float64(chartH - chartTop - chartBottom)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, chartLeft, chartH-chartBottom, chartW, chartH-chartBottom)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">%d</text>`, chartLeft-4, chartTop+4, top)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">0</text>`, chartLeft-4, chartH-chartBottom)
	slot := float64(chartW-chartLeft) / float64(len(months))
	barW := slot / 4
	for i, m := range months {
		x := float64(chartLeft) + float64(i)*slot + barW/2
		for j, v := range []struct {
			class string
			n     int
		}{{"stories", m.Stories}, {"replied", m.Replied}, {"resolved", m.Resolved}} {
			h := plotH * float64(v.n) / float64(top)
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`,
				v.class, x+float64(j)*barW, float64(chartH-chartBottom)-h, barW, h)
		}
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`,
			x+1.5*barW, chartH-chartBottom+16, html.EscapeString(loc.T(m.Month.Format("Jan"))))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and month names, escaped
}

// ratesChart draws the two rates as bars out of 100 %.
func ratesChart(cs models.CompanyStats, loc *i18n.Locale) template.HTML {
	var b strings.Builder
	const w, rowH = 640, 34
	fmt.Fprintf(&b, `<svg class="chart rates" viewBox="0 0 %d %d" role="img" aria-labelledby="rates-title" xmlns="http://www.w3.org/2000/svg">`, w, 2*rowH)
	b.WriteString(`<title id="rates-title">` + html.EscapeString(loc.T("Share of stories with an official reply, and share resolved as confirmed by their authors")) + `</title>`)
	for i, r := range []struct {
		class, label string
		p            float64
	}{{"replied", "Official reply", cs.ReplyRate()}, {"resolved", "Resolved", cs.ResolveRate()}} {
		y := i * rowH
		fmt.Fprintf(&b, `<text class="label" x="0" y="%d">%s</text>`, y+21, html.EscapeString(loc.T(r.label)))
		fmt.Fprintf(&b, `<rect class="track" x="150" y="%d" width="400" height="20"/>`, y+6)
		fmt.Fprintf(&b, `<rect class="%s" x="150" y="%d" width="%.1f" height="20"/>`, r.class, y+6, 4*r.p)
		fmt.Fprintf(&b, `<text class="value" x="%d" y="%d">%.0f %%</text>`, 560, y+21, r.p)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and fixed labels
}
