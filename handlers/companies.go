package handlers

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type rankingStore interface {
	RankedCompanies(ctx context.Context, sort string, categoryID uint, n int) (models.CompanyRanking, error)
	CategoryBySlug(ctx context.Context, slug string) (*models.Category, error)
}

// companies serves /companies: every company's scorecard, ranked.
type companies struct {
	*pages
	store rankingStore
	now   func() time.Time
}

// CompanyOrders are the orders of /companies, as ?sort= names them, in the
// order of the table's columns.
var CompanyOrders = []SortLink{
	{Key: "name", Label: "Company"},
	{Key: "stories", Label: "Stories"},
	{Key: "replied", Label: "With an official reply"},
	{Key: "reply-days", Label: "Median days to the first reply"},
	{Key: "resolved", Label: "Resolved (by their authors)"},
	{Key: "resolve-days", Label: "Median days to resolution"},
	{Key: "metoo", Label: "“Me too”"},
}

// SortLink is a column of /companies and the address that sorts by it.
type SortLink struct {
	Key, Label, URL string
	Current         bool
}

// CompaniesPage is /companies.
type CompaniesPage struct {
	Layout
	Sort       string
	Columns    []SortLink
	Category   *models.Category
	Rows       []CompanyRow
	Total      int64
	Pager      Pager
	MinStories int
}

// CompanyRow is a company and its scorecard, formatted.
type CompanyRow struct {
	Company models.Company
	Card    *Scorecard
}

// companiesURL is the address of /companies in an order, a category and a page.
func companiesURL(sort, category string, page int) string {
	q := url.Values{}
	if sort != "" && sort != "stories" {
		q.Set("sort", sort)
	}
	if category != "" {
		q.Set("category", category)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return "/companies"
	}
	return "/companies?" + q.Encode()
}

// list is GET /companies: ?sort= (see models.CompanyOrder), ?category=
// (a category's slug: the companies most of whose stories are in it) and ?page=.
func (h *companies) list(c *fiber.Ctx) error {
	ctx := c.UserContext()
	sort := models.CompanyOrder(c.Query("sort"))
	cp := CompaniesPage{Sort: sort, MinStories: models.MinStoriesForRates}
	var catID uint
	catSlug := c.Query("category")
	if catSlug != "" {
		cat, err := h.store.CategoryBySlug(ctx, catSlug)
		if err != nil {
			return err
		}
		cp.Category, catID = cat, cat.ID
	}
	n := 1
	if p := c.Query("page"); p != "" {
		var err error
		if n, err = strconv.Atoi(p); err != nil || n < 1 {
			return fiber.ErrNotFound
		}
	}
	ranking, err := h.store.RankedCompanies(ctx, sort, catID, n)
	if err != nil {
		return err
	}
	title := tr(c, "Companies compared")
	if cp.Category != nil {
		title = tr(c, "Companies compared: %s", cp.Category.Name)
	}
	if cp.Layout, err = h.layout(c, title, companiesURL(sort, catSlug, n), ""); err != nil {
		return err
	}
	cp.Description = tr(c, "Which companies answer the stories told about them, how fast, and how often their authors say the problem was resolved.")
	now := h.now()
	for _, rc := range ranking.Companies {
		cp.Rows = append(cp.Rows, CompanyRow{Company: rc.Company, Card: newScorecard(rc.Stats, now, locale(c))})
	}
	cp.Total = ranking.Total
	for _, col := range CompanyOrders {
		col.URL, col.Current = companiesURL(col.Key, catSlug, 1), col.Key == sort
		cp.Columns = append(cp.Columns, col)
	}
	cp.Pager = Pager{Page: n, Pages: ranking.Pages}
	if n > 1 {
		cp.Pager.Prev = companiesURL(sort, catSlug, n-1)
	}
	if n < ranking.Pages {
		cp.Pager.Next = companiesURL(sort, catSlug, n+1)
	}
	return h.render(c, fiber.StatusOK, "companies", cp)
}

// companySorts are the query strings of /companies kept in the page cache:
// each order, without a category or a page (those are rendered each time).
func companySorts() []string {
	out := make([]string, len(CompanyOrders))
	for i, o := range CompanyOrders {
		out[i] = "sort=" + o.Key
	}
	return out
}
