package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MinStoriesForRates is how many published stories a company needs before
// its rates and medians are shown: below it, one story would make a rate
// of 0 % or 100 %.
const MinStoriesForRates = 5

// CompanyStats is a company's scorecard over its published stories, as
// company_stats keeps it.
type CompanyStats struct {
	CompanyID uint
	Stories   int
	Replied   int // stories with an official reply
	Resolved  int // stories their author marked resolved
	// ReplyDays and ResolveDays are the median days from publication to the
	// first reply, and to the resolution marked after publication; nil
	// without any such story.
	ReplyDays   *float64
	ResolveDays *float64
	MeToo       int
	CategoryID  *uint // the category most of its stories are in
	Months      string
}

// Rated says whether the company has enough stories for its rates to be shown.
func (cs CompanyStats) Rated() bool { return cs.Stories >= MinStoriesForRates }

// ReplyRate is the share of stories with an official reply, in percent.
func (cs CompanyStats) ReplyRate() float64 { return percent(cs.Replied, cs.Stories) }

// ResolveRate is the share of stories marked resolved, in percent.
func (cs CompanyStats) ResolveRate() float64 { return percent(cs.Resolved, cs.Stories) }

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// MonthStats is one month of a company's trend.
type MonthStats struct {
	Month                      time.Time // the first of the month, UTC
	Stories, Replied, Resolved int
}

// Trend returns the n months up to and including the month of now, oldest
// first, months without stories included with zeros.
func (cs CompanyStats) Trend(now time.Time, n int) []MonthStats {
	byMonth := map[string]MonthStats{}
	for _, e := range strings.Split(cs.Months, ",") {
		f := strings.Fields(e)
		if len(f) != 4 {
			continue
		}
		var m MonthStats
		m.Stories, _ = strconv.Atoi(f[1])
		m.Replied, _ = strconv.Atoi(f[2])
		m.Resolved, _ = strconv.Atoi(f[3])
		byMonth[f[0]] = m
	}
	now = now.UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1-n, 0)
	out := make([]MonthStats, n)
	for i := range out {
		t := first.AddDate(0, i, 0)
		m := byMonth[t.Format("2006-01")]
		m.Month = t
		out[i] = m
	}
	return out
}

// CompanyStats returns company id's scorecard: zeros for a company without
// published stories. One query.
func (s *Store) CompanyStats(ctx context.Context, id uint) (CompanyStats, error) {
	var rows []CompanyStats
	if err := s.r.WithContext(ctx).Raw("SELECT * FROM company_stats WHERE company_id = ?", id).Scan(&rows).Error; err != nil {
		return CompanyStats{}, fmt.Errorf("scorecard of company %d: %w", id, err)
	}
	if len(rows) == 0 {
		return CompanyStats{CompanyID: id}, nil
	}
	return rows[0], nil
}

// RankedCompany is a company with its scorecard, as /companies lists it.
type RankedCompany struct {
	Company
	Stats CompanyStats
}

// Orders of /companies: the key of ?sort= and what it sorts by. Rates and
// medians of companies below MinStoriesForRates come last.
var companyOrders = map[string]string{
	"stories":      "cs.stories DESC",
	"replied":      "rated DESC, 1.0 * cs.replied / cs.stories DESC, cs.stories DESC",
	"reply-days":   "rated DESC, cs.reply_days IS NULL, cs.reply_days, cs.stories DESC",
	"resolved":     "rated DESC, 1.0 * cs.resolved / cs.stories DESC, cs.stories DESC",
	"resolve-days": "rated DESC, cs.resolve_days IS NULL, cs.resolve_days, cs.stories DESC",
	"metoo":        "cs.me_too DESC, cs.stories DESC",
	"name":         "c.name COLLATE NOCASE",
}

// CompanyOrder returns the known order for key, or "stories".
func CompanyOrder(key string) string {
	if _, ok := companyOrders[key]; ok {
		return key
	}
	return "stories"
}

// CompaniesPageSize is the number of companies on a page of /companies.
const CompaniesPageSize = 50

// CompanyRanking is a page of /companies.
type CompanyRanking struct {
	Companies []RankedCompany
	Page      int
	Pages     int
	Total     int64
}

// RankedCompanies returns page n (from 1) of the companies with published
// stories, in the order named by sort (see CompanyOrder), those whose main
// category is categoryID when it is not 0. Two queries over company_stats,
// never over stories.
func (s *Store) RankedCompanies(ctx context.Context, sort string, categoryID uint, n int) (CompanyRanking, error) {
	where, args := "cs.stories > 0", []any{}
	if categoryID != 0 {
		where, args = where+" AND cs.category_id = ?", append(args, categoryID)
	}
	db := s.r.WithContext(ctx)
	var total int64
	if err := db.Raw("SELECT count(*) FROM company_stats cs WHERE "+where, args...).Scan(&total).Error; err != nil {
		return CompanyRanking{}, fmt.Errorf("count companies: %w", err)
	}
	pages := int((total + CompaniesPageSize - 1) / CompaniesPageSize)
	if n < 1 || n > max(pages, 1) {
		return CompanyRanking{}, ErrNotFound
	}
	var rows []struct {
		Company
		CompanyStats
	}
	q := `SELECT c.*, cs.*, cs.stories >= ? AS rated FROM company_stats cs JOIN companies c ON c.id = cs.company_id
		WHERE ` + where + ` ORDER BY ` + companyOrders[CompanyOrder(sort)] + `, c.id ` +
		fmt.Sprintf("LIMIT %d OFFSET %d", CompaniesPageSize, (n-1)*CompaniesPageSize)
	args = append([]any{MinStoriesForRates}, args...)
	if err := db.Raw(q, args...).Scan(&rows).Error; err != nil {
		return CompanyRanking{}, fmt.Errorf("rank companies: %w", err)
	}
	out := CompanyRanking{Page: n, Pages: pages, Total: total, Companies: make([]RankedCompany, len(rows))}
	for i, r := range rows {
		out.Companies[i] = RankedCompany{Company: r.Company, Stats: r.CompanyStats}
		out.Companies[i].Stats.CompanyID = r.Company.ID
	}
	return out, nil
}
