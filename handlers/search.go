package handlers

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type searchStore interface {
	Search(ctx context.Context, q models.SearchQuery) (models.SearchResult, error)
	CategoryBySlug(ctx context.Context, slug string) (*models.Category, error)
	CompanyBySlug(ctx context.Context, slug string) (*models.Company, error)
}

// search serves /search and its feeds.
type search struct {
	*pages
	store searchStore
	feeds *feeds
	limit *ipLimiter // searches per minute per IP address
}

// SearchPage is a page of search results.
type SearchPage struct {
	Layout
	Query    string
	Category *models.Category
	Company  *models.Company
	Problem  string // what is wrong with the request, shown above the form
	Notice   string // what the search did with the request, shown above the results
	Result   models.SearchResult
	Pager    Pager
	Before   uint   // the search continues into stories older than this one
	Older    string // the search of the next, older stories, if any
	Newest   string // the search from the newest stories, on an older search
}

// quoted is the search's words between curly quotes for a heading or a
// title. Quotes the person typed around a phrase become curly ones, and
// then none are added around the whole: “"lettre recommandée"” read twice.
func quoted(q string) string {
	if !strings.Contains(q, `"`) {
		return "“" + q + "”"
	}
	var b strings.Builder
	open := true
	for _, r := range q {
		if r != '"' {
			b.WriteRune(r)
			continue
		}
		if open {
			b.WriteRune('“')
		} else {
			b.WriteRune('”')
		}
		open = !open
	}
	if !open { // an unclosed phrase reads closed
		b.WriteRune('”')
	}
	return b.String()
}

// Quoted is the searched words in quotes, for the heading.
func (sp SearchPage) Quoted() string { return quoted(sp.Query) }

// errBadSearch is a search request that cannot be answered as asked.
var errBadSearch = errors.New("bad search")

// parse reads q, category, company and page; a bad one gives errBadSearch
// with sp.Problem saying why.
func (s *search) parse(c *fiber.Ctx, sp *SearchPage) (models.SearchQuery, error) {
	ctx := c.UserContext()
	sp.Query = cleanText(c.Query("q"), false)
	if n := utf8.RuneCountInString(sp.Query); n > models.MaxQueryLen {
		sp.Notice = tr(c, "Your search is %d characters long: only its first %d were used.", n, models.MaxQueryLen)
	}
	q := models.SearchQuery{Text: sp.Query, Page: 1}
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100_000 {
			sp.Problem = tr(c, "The page number must be a whole number from 1.")
			return q, errBadSearch
		}
		q.Page = n
	}
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n < 1 {
			sp.Problem = tr(c, "The “before” part of this address must be a story number from 1: search again from the newest stories.")
			return q, errBadSearch
		}
		q.Before, sp.Before = uint(n), uint(n)
	}
	if v := c.Query("category"); v != "" {
		cat, err := s.store.CategoryBySlug(ctx, v)
		if errors.Is(err, models.ErrNotFound) {
			sp.Problem = "There is no category “" + v + "”; choose one from the list."
			return q, errBadSearch
		} else if err != nil {
			return q, err
		}
		sp.Category, q.CategoryID = cat, cat.ID
	}
	if v := c.Query("company"); v != "" {
		co, err := s.store.CompanyBySlug(ctx, v)
		if errors.Is(err, models.ErrNotFound) {
			sp.Problem = "There is no company “" + v + "”; choose one from the list."
			return q, errBadSearch
		} else if err != nil {
			return q, err
		}
		sp.Company, q.CompanyID = co, co.ID
	}
	return q, nil
}

// query is the query string of the search, from the newest stories and
// without page, for links and feeds.
func (sp *SearchPage) query() string {
	v := url.Values{}
	v.Set("q", sp.Query)
	if sp.Category != nil {
		v.Set("category", sp.Category.Slug)
	}
	if sp.Company != nil {
		v.Set("company", sp.Company.Slug)
	}
	return v.Encode()
}

// spanQuery is query with the stories searched, for links to other pages of
// these results.
func (sp *SearchPage) spanQuery() string { return sp.queryBefore(sp.Before) }

// queryBefore is query for the stories written before the story before (0:
// from the newest).
func (sp *SearchPage) queryBefore(before uint) string {
	if before == 0 {
		return sp.query()
	}
	return sp.query() + "&before=" + strconv.FormatUint(uint64(before), 10)
}

func (s *search) page(c *fiber.Ctx) error {
	var sp SearchPage
	status := fiber.StatusOK
	q, err := s.parse(c, &sp)
	switch {
	case errors.Is(err, errBadSearch):
		status = fiber.StatusBadRequest
	case err != nil:
		return err
	}
	if wait, err := s.limit.allow(c.UserContext(), clientIP(c)); err != nil {
		return err
	} else if wait > 0 {
		if wantsJSON(c) {
			return tooManyJSON(c, wait)
		}
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		c.Set(fiber.HeaderCacheControl, "no-store")
		status, sp.Problem = fiber.StatusTooManyRequests, tooManySearches(wait)
	}
	if status == fiber.StatusOK {
		sp.Result, err = s.store.Search(c.UserContext(), q)
		if errors.Is(err, models.ErrNotFound) {
			status, sp.Problem = fiber.StatusNotFound, tr(c, "There are not that many pages of results.")
			sp.Result = models.SearchResult{}
		} else if err != nil {
			return err
		}
	}
	title := tr(c, "Search")
	if sp.Query != "" {
		title = tr(c, "Search for %s", quoted(sp.Query))
	}
	if sp.Layout, err = s.layout(c, title, "/search?"+sp.query(), "/search/feed?"+sp.query()); err != nil {
		return err
	}
	if len(sp.Result.Terms) == 0 {
		sp.Feeds = nil // nothing to follow
	} else {
		sp.Feeds[1].URL = "/search/feed/atom?" + sp.query()
	}
	sp.Layout.Query = sp.Query
	sp.Description = tr(c, "Search the customer-service stories of %s.", s.site.Name)
	base := "/search?" + sp.spanQuery()
	if sp.Result.Older != 0 {
		sp.Older = "/search?" + sp.queryBefore(sp.Result.Older)
	}
	if sp.Before != 0 {
		sp.Newest = "/search?" + sp.query()
		sp.Canonical = s.site.BaseURL + base
	}
	sp.Pager = Pager{Page: sp.Result.Page, Pages: sp.Result.Pages}
	if sp.Result.Page > 1 {
		sp.Pager.Prev = base + "&page=" + strconv.Itoa(sp.Result.Page-1)
	}
	if sp.Result.Page < sp.Result.Pages {
		sp.Pager.Next = base + "&page=" + strconv.Itoa(sp.Result.Page+1)
	}
	if sp.Result.Page > 1 {
		sp.Canonical += "&page=" + strconv.Itoa(sp.Result.Page)
	}
	return s.render(c, status, "search", sp)
}

// feed is the feed of the first results of a search.
func (s *search) feed(c *fiber.Ctx) (*feed, error) {
	if wait, err := s.limit.allow(c.UserContext(), clientIP(c)); err != nil {
		return nil, err
	} else if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		return nil, &PageError{Status: fiber.StatusTooManyRequests, Heading: tr(c, "Too many searches"), Message: tooManySearches(wait)}
	}
	var sp SearchPage
	q, err := s.parse(c, &sp)
	if errors.Is(err, errBadSearch) {
		return nil, fiber.NewError(fiber.StatusBadRequest, sp.Problem)
	} else if err != nil {
		return nil, err
	}
	// A feed follows the newest stories, whatever span the page was on.
	q.Page, q.PerPage, q.Before = 1, models.FeedSize, 0
	res, err := s.store.Search(c.UserContext(), q)
	if err != nil {
		return nil, err
	}
	f := s.feeds.newFeed(c, tr(c, "Search for %s", quoted(sp.Query)), tr(c, "Stories matching %s.", quoted(sp.Query)), "/search")
	f.Link = s.site.BaseURL + "/search?" + sp.query()
	f.Path, f.Query = "/search/feed", sp.query()
	for i := range res.Hits {
		f.add(s.feeds.storyItem(&res.Hits[i].Story))
	}
	return f, nil
}

// tooManySearches says why a search was not run.
func tooManySearches(wait int) string {
	return "Too many searches came from your address in the last minute, so this one was not run. Please wait " +
		strconv.Itoa(wait) + " seconds and search again: your words are kept in the box."
}
