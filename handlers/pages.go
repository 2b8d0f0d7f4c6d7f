package handlers

import (
	"context"
	"fmt"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"doleances/handlers/i18n"
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
	Lang        string        // the language of the interface: "en", "fr"
	Here        string        // the page's path, for the language switch
	Languages   []*i18n.Locale
	Alternates  []Alternate // the page in each language, for hreflang links
	// Wide pages (the editor) take the whole width, without the sidebar.
	Wide bool
}

type sidebarStore interface {
	Sidebar(ctx context.Context) (models.Sidebar, error)
}

// renderedSidebars also give the sidebar rendered (sidebarMemo does).
type renderedSidebars interface {
	RenderedSidebar(ctx context.Context, lang string) (models.Sidebar, template.HTML, error)
}

// pages renders pages in the site's layout.
type pages struct {
	store sidebarStore
	views Renderer
	site  Site
	langs *i18n.Bundle
}

// layout starts the data of a page at path, with its feed (path + "/feed").
func (p *pages) layout(c *fiber.Ctx, title, path, feedPath string) (Layout, error) {
	var sb models.Sidebar
	var html template.HTML
	var err error
	loc := locale(c)
	if rs, ok := p.store.(renderedSidebars); ok {
		sb, html, err = rs.RenderedSidebar(c.UserContext(), loc.Code)
	} else {
		sb, err = p.store.Sidebar(c.UserContext())
	}
	if err != nil {
		return Layout{}, err
	}
	l := p.bareLayout(c, title, path)
	l.Sidebar, l.SidebarHTML = sb, html
	if feedPath != "" {
		name := p.site.Name
		if title != "" {
			name = loc.T("%[1]s » %[2]s", name, title)
		}
		l.Feeds = []Feed{
			{Title: loc.T("%s (RSS)", name), URL: feedPath, Type: "rss"},
			{Title: loc.T("%s (Atom)", name), URL: feedPath + "/atom", Type: "atom"},
		}
	}
	return l, nil
}

// bareLayout is the layout without the sidebar, for pages made when the
// store cannot be read (a request out of time, a database that is down):
// the visitor's language, session and CSRF token, which are already known.
func (p *pages) bareLayout(c *fiber.Ctx, title, path string) Layout {
	l := Layout{Site: p.site, Title: title, Canonical: p.site.BaseURL + path, Lang: locale(c).Code, Here: c.Path()}
	p.languages(c, &l)
	if sess := currentSession(c); sess != nil {
		l.User, l.CSRF = &sess.User, sess.CSRF
	}
	return l
}

// siteLang is the site's language, that of stories that do not say theirs.
func (p *pages) siteLang() string {
	if p.langs == nil {
		return "en"
	}
	return p.langs.Default().Code
}

// languages fills in the language switch and the page's hreflang
// alternates; a page asked in a language (?lang=fr) is its own canonical.
func (p *pages) languages(c *fiber.Ctx, l *Layout) {
	if p.langs == nil {
		return
	}
	l.Languages = p.langs.All()
	canon := l.Canonical
	for _, o := range l.Languages {
		l.Alternates = append(l.Alternates, Alternate{Lang: o.Code, URL: withLang(canon, o.Code)})
	}
	l.Alternates = append(l.Alternates, Alternate{Lang: "x-default", URL: canon})
	if q := c.Query("lang"); q != "" && p.langs.Known(q) {
		l.Canonical = withLang(canon, q)
	}
}

// render writes a page with status. A template error becomes an error page,
// never half a page.
func (p *pages) render(c *fiber.Ctx, status int, page string, data any) error {
	// Straight into the response's buffer (pooled by fasthttp: no buffer to
	// grow for each page), emptied again if the template fails half-way.
	res := c.Response()
	res.ResetBody()
	if err := p.views.Render(res.BodyWriter(), locale(c).Code, page, data); err != nil {
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
