package handlers

import (
	"bytes"
	"encoding/xml"
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// feed is a feed before it is written as RSS or Atom.
type feed struct {
	Title       string
	Description string
	Link        string // the HTML page the feed follows, absolute
	Path        string // the RSS feed's path; Atom's is Path + "/atom"
	Query       string // the query string of both feeds' URLs, if any
	Lang        string // the language of its titles and descriptions
	Updated     time.Time
	Items       []feedItem
}

// feedItem is a story or a comment in a feed.
type feedItem struct {
	Title      string
	Link       string // absolute permalink
	ID         string // stable, never changes with the title or slug
	Author     string
	Categories []feedCategory
	HTML       string     // links and images absolute
	Image      *feedImage // the story's cover, if any
	Summary    string
	Published  time.Time
	Updated    time.Time
	Lang       string // the language the item is written in; empty: the feed's
}

// self is the absolute URL of the feed in the format whose suffix is given.
func (f *feed) self(base, suffix string) string {
	u := base + f.Path + suffix
	if f.Query != "" {
		u += "?" + f.Query
	}
	return u
}

// feedImage is a picture attached to a feed item.
type feedImage struct {
	URL, Type string // URL absolute
	W, H      int
}

type feedCategory struct {
	Name, Term, Scheme string
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Media   string     `xml:"xmlns:media,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Self          rssLink   `xml:"atom:link"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Items         []rssItem `xml:"item"`
}

type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Creator     string        `xml:"dc:creator"`
	Categories  []rssCategory `xml:"category"`
	Description string        `xml:"description"`
	Content     rssCDATA      `xml:"content:encoded"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
	Media       *mediaContent `xml:"media:content"`
	Language    string        `xml:"dc:language,omitempty"`
}

// rssEnclosure is RSS 2.0's attached file; the length of a picture is not
// known without reading it, and 0 is what readers take for "unknown".
type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int    `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// mediaContent is Media RSS's picture, with its size.
type mediaContent struct {
	URL    string `xml:"url,attr"`
	Medium string `xml:"medium,attr"`
	Type   string `xml:"type,attr"`
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type rssCDATA struct {
	Value string `xml:",cdata"`
}

// writeRSS writes f as RSS 2.0 with the content, dc and atom extensions.
func writeRSS(f *feed, base string) ([]byte, error) {
	ch := rssChannel{
		Title: f.Title, Link: f.Link, Description: f.Description, Language: f.Lang,
		Self:          rssLink{Href: f.self(base, ""), Rel: "self", Type: "application/rss+xml"},
		LastBuildDate: f.Updated.UTC().Format(time.RFC1123Z), Generator: "Doléances",
	}
	for _, it := range f.Items {
		ri := rssItem{
			Title: it.Title, Link: it.Link, GUID: rssGUID{IsPermaLink: "false", Value: it.ID},
			PubDate: it.Published.UTC().Format(time.RFC1123Z), Creator: it.Author,
			Description: it.Summary, Content: rssCDATA{Value: it.HTML}, Language: it.Lang,
		}
		for _, c := range it.Categories {
			ri.Categories = append(ri.Categories, rssCategory{Domain: c.Scheme, Value: c.Name})
		}
		if im := it.Image; im != nil {
			ri.Enclosure = &rssEnclosure{URL: im.URL, Type: im.Type}
			ri.Media = &mediaContent{URL: im.URL, Medium: "image", Type: im.Type, Width: im.W, Height: im.H}
		}
		ch.Items = append(ch.Items, ri)
	}
	return marshalFeed(rssDoc{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/",
		DC: "http://purl.org/dc/elements/1.1/", Atom: "http://www.w3.org/2005/Atom", Media: "http://search.yahoo.com/mrss/", Channel: ch})
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Lang       string         `xml:"xml:lang,attr,omitempty"`
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Link       []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     atomAuthor     `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// writeAtom writes f as Atom 1.0.
func writeAtom(f *feed, base string) ([]byte, error) {
	af := atomFeed{
		Lang: f.Lang, ID: f.self(base, "/atom"), Title: f.Title, Subtitle: f.Description,
		Updated: f.Updated.UTC().Format(time.RFC3339), Generator: "Doléances",
		Links: []atomLink{
			{Href: f.self(base, "/atom"), Rel: "self", Type: "application/atom+xml"},
			{Href: f.Link, Rel: "alternate", Type: "text/html"},
		},
	}
	for _, it := range f.Items {
		e := atomEntry{
			Lang: it.Lang, ID: it.ID, Title: it.Title, Link: []atomLink{{Href: it.Link, Rel: "alternate", Type: "text/html"}},
			Published: it.Published.UTC().Format(time.RFC3339), Updated: it.Updated.UTC().Format(time.RFC3339),
			Author:  atomAuthor{Name: it.Author},
			Summary: atomText{Type: "text", Value: it.Summary}, Content: atomText{Type: "html", Value: it.HTML},
		}
		for _, c := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c.Term, Scheme: c.Scheme, Label: c.Name})
		}
		if im := it.Image; im != nil {
			e.Link = append(e.Link, atomLink{Href: im.URL, Rel: "enclosure", Type: im.Type})
		}
		af.Entries = append(af.Entries, e)
	}
	return marshalFeed(af)
}

func marshalFeed(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// urlAttr finds the link and image addresses in HTML rendered by the models
// (goldmark always quotes attributes with " and escapes " inside them).
var urlAttr = regexp.MustCompile(`(\s(?:href|src)=")([^"]*)(")`)

// srcsetAttr matches a srcset attribute: URLs each followed by a width.
var srcsetAttr = regexp.MustCompile(`(\ssrcset=")([^"]*)(")`)

// absolutize makes every href and src in h absolute, resolved against page,
// so that feed readers (which have no base URL) follow links and show images.
func absolutize(h, page string) string {
	base, err := url.Parse(page)
	if err != nil {
		return h
	}
	resolve := func(s string) (string, bool) {
		u, err := url.Parse(html.UnescapeString(s))
		if err != nil {
			return s, false
		}
		return html.EscapeString(base.ResolveReference(u).String()), true
	}
	h = urlAttr.ReplaceAllStringFunc(h, func(m string) string {
		parts := urlAttr.FindStringSubmatch(m)
		if abs, ok := resolve(parts[2]); ok {
			return parts[1] + abs + parts[3]
		}
		return m
	})
	return srcsetAttr.ReplaceAllStringFunc(h, func(m string) string {
		parts := srcsetAttr.FindStringSubmatch(m)
		cands := strings.Split(parts[2], ", ")
		for i, c := range cands {
			u, w, _ := strings.Cut(strings.TrimSpace(c), " ")
			abs, _ := resolve(u)
			cands[i] = abs + " " + w
		}
		return parts[1] + strings.Join(cands, ", ") + parts[3]
	})
}
