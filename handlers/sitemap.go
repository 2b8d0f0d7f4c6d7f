package handlers

import (
	"context"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// SitemapLimit is the most URLs one sitemap file may hold (sitemaps.org).
const SitemapLimit = 50_000

type sitemapStore interface {
	Sitemap(ctx context.Context) ([]models.SitemapEntry, error)
}

// machines serves what crawlers read: the sitemap and robots.txt.
type machines struct {
	store sitemapStore
	site  Site
	limit int // URLs per sitemap file; past it /sitemap.xml is an index
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// urls lists the front page and every entry as absolute sitemap URLs.
func (m *machines) urls(c *fiber.Ctx) ([]sitemapURL, error) {
	entries, err := m.store.Sitemap(c.UserContext())
	if err != nil {
		return nil, err
	}
	out := make([]sitemapURL, 0, len(entries)+1)
	var newest time.Time
	for _, e := range entries {
		out = append(out, sitemapURL{Loc: m.site.BaseURL + e.Path, LastMod: w3cDate(e.LastMod)})
		if e.LastMod.After(newest) {
			newest = e.LastMod
		}
	}
	return append([]sitemapURL{{Loc: m.site.BaseURL + "/", LastMod: w3cDate(newest)}}, out...), nil
}

func w3cDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// sitemap serves /sitemap.xml: every URL, or past the limit an index of
// /sitemap-N.xml files.
func (m *machines) sitemap(c *fiber.Ctx) error {
	urls, err := m.urls(c)
	if err != nil {
		return err
	}
	if len(urls) <= m.limit {
		return sendXML(c, urlSet{URLs: urls})
	}
	var idx sitemapIndex
	for i := 0; i*m.limit < len(urls); i++ {
		last := ""
		for _, u := range urls[i*m.limit : min((i+1)*m.limit, len(urls))] {
			if u.LastMod > last { // RFC 3339 UTC dates sort as text
				last = u.LastMod
			}
		}
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: m.site.BaseURL + "/sitemap-" + strconv.Itoa(i+1) + ".xml", LastMod: last})
	}
	return sendXML(c, idx)
}

// part serves /sitemap-N.xml, the Nth file of the index.
func (m *machines) part(c *fiber.Ctx) error {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 || strconv.Itoa(n) != c.Params("n") {
		return fiber.ErrNotFound
	}
	urls, err := m.urls(c)
	if err != nil {
		return err
	}
	if len(urls) <= m.limit || (n-1)*m.limit >= len(urls) {
		return fiber.ErrNotFound
	}
	return sendXML(c, urlSet{URLs: urls[(n-1)*m.limit : min(n*m.limit, len(urls))]})
}

func sendXML(c *fiber.Ctx, v any) error {
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("sitemap: %w", err)
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), append(body, '\n')...))
}

// robots serves /robots.txt: everything may be crawled except the search
// results (endless combinations), and the sitemap is named.
func (m *machines) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	return c.SendString("User-agent: *\nDisallow: /search\n\nSitemap: " + m.site.BaseURL + "/sitemap.xml\n")
}
