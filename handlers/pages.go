package handlers

import (
	"context"
	"fmt"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Feed is an alternate (RSS or Atom) link of a page.
type Feed struct {
	Title string
	URL   string
	Type  string // "rss" or "atom"
}

// Layout is what every page carries besides its own content.
type Layout struct {
	Site        Site
	Title       string // the <title>, without the site name
	Description string
	Canonical   string // absolute URL of the page
	Feeds       []Feed
	Sidebar     models.Sidebar
	SidebarHTML template.HTML // the sidebar rendered, when kept; empty: rendered from Sidebar
	User        *models.User  // the signed-in person; nil for visitors
	CSRF        string        // the session's CSRF token; empty for visitors
	AccountHTML template.HTML // the account menu rendered, when given; empty: rendered from User
	Query       string        // the text of the search box
	OpenGraph   *OpenGraph    // link-preview metadata of a story
	JSONLD      any           // structured data of the page, for search engines
	Refresh     int           // seconds after which the page reloads itself; 0: never
	// Wide pages (the editor) take the whole width, without the sidebar.
	Wide bool
}

type sidebarStore interface {
	Sidebar(ctx context.Context) (models.Sidebar, error)
}

// renderedSidebars also give the sidebar rendered (sidebarMemo does).
type renderedSidebars interface {
	RenderedSidebar(ctx context.Context) (models.Sidebar, template.HTML, error)
}

// pages renders pages in the site's layout.
type pages struct {
	store sidebarStore
	views Renderer
	site  Site
}

// layout starts the data of a page at path, with its feed (path + "/feed").
func (p *pages) layout(c *fiber.Ctx, title, path, feedPath string) (Layout, error) {
	var sb models.Sidebar
	var html template.HTML
	var err error
	if rs, ok := p.store.(renderedSidebars); ok {
		sb, html, err = rs.RenderedSidebar(c.UserContext())
	} else {
		sb, err = p.store.Sidebar(c.UserContext())
	}
	if err != nil {
		return Layout{}, err
	}
	l := Layout{Site: p.site, Title: title, Canonical: p.site.BaseURL + path, Sidebar: sb, SidebarHTML: html}
	if sess := currentSession(c); sess != nil {
		l.User, l.CSRF = &sess.User, sess.CSRF
	}
	if feedPath != "" {
		name := p.site.Name
		if title != "" {
			name += " » " + title
		}
		l.Feeds = []Feed{
			{Title: name + " (RSS)", URL: feedPath, Type: "rss"},
			{Title: name + " (Atom)", URL: feedPath + "/atom", Type: "atom"},
		}
	}
	return l, nil
}

// render writes a page with status. A template error becomes an error page,
// never half a page.
func (p *pages) render(c *fiber.Ctx, status int, page string, data any) error {
	// Straight into the response's buffer (pooled by fasthttp: no buffer to
	// grow for each page), emptied again if the template fails half-way.
	res := c.Response()
	res.ResetBody()
	if err := p.views.Render(res.BodyWriter(), page, data); err != nil {
		res.ResetBody()
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Type("html", "utf-8")
	c.Status(status)
	return nil
}

// Pager links the pages of a list.
type Pager struct {
	Page, Pages int
	Prev, Next  string
}

// newPager builds the links of page n of a list at base ("" for the front page).
func newPager(base string, n, pages int) Pager {
	url := func(i int) string {
		if i == 1 {
			if base == "" {
				return "/"
			}
			return base
		}
		return base + "/page/" + strconv.Itoa(i)
	}
	p := Pager{Page: n, Pages: pages}
	if n > 1 {
		p.Prev = url(n - 1)
	}
	if n < pages {
		p.Next = url(n + 1)
	}
	return p
}

// pageParam reads the :n parameter: absent is page 1; anything but a
// canonical positive number is not found. The first page has no /page/1 URL.
func pageParam(c *fiber.Ctx) (int, error) {
	s := c.Params("n")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 2 || strconv.Itoa(n) != s {
		return 0, fiber.ErrNotFound
	}
	return n, nil
}
