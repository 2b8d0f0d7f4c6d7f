// Package wxr reads and writes WordPress eXtended RSS (WXR) exports: the
// import of a WordPress blog into a Doléances site and the export of a site
// for WordPress's importer. Files are streamed, one item at a time.
package wxr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxItemBytes bounds what one element of the channel (an item with all its
// comments) may take in the file, so that memory stays bounded whatever the
// file holds.
const MaxItemBytes = 32 << 20

// ErrNotWXR is returned for XML that is not a WordPress export.
var ErrNotWXR = errors.New("this is not a WordPress export (WXR): it has no wp:wxr_version; export it from WordPress with Tools → Export")

// ErrBadFile is matched by every error about the file's content (as opposed
// to an error reading it).
var ErrBadFile = errors.New("the file cannot be imported")

// Site is what the channel says about the exported blog.
type Site struct {
	Title, Link, Description string
	Version                  string // wp:wxr_version
	BaseSiteURL, BaseBlogURL string
}

// Author is a wp:author.
type Author struct {
	ID          string `xml:"author_id"`
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
	FirstName   string `xml:"author_first_name"`
	LastName    string `xml:"author_last_name"`
}

// Term is a category or a tag, from wp:category, wp:tag or wp:term.
type Term struct {
	ID          string
	Taxonomy    string // "category" or "post_tag"
	Slug        string
	Name        string
	Parent      string // the parent's slug, categories only
	Description string
}

// Meta is a wp:postmeta or wp:commentmeta.
type Meta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

// ItemTerm is an item's category or tag.
type ItemTerm struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

// Comment is a wp:comment.
type Comment struct {
	ID          string `xml:"comment_id"`
	Author      string `xml:"comment_author"`
	AuthorEmail string `xml:"comment_author_email"`
	AuthorURL   string `xml:"comment_author_url"`
	AuthorIP    string `xml:"comment_author_IP"`
	Date        string `xml:"comment_date"`
	DateGMT     string `xml:"comment_date_gmt"`
	Content     string `xml:"comment_content"`
	Approved    string `xml:"comment_approved"`
	Type        string `xml:"comment_type"`
	Parent      string `xml:"comment_parent"`
	UserID      string `xml:"comment_user_id"`
	Meta        []Meta `xml:"commentmeta"`
}

// Item is a post, a page, an attachment or any other post type.
type Item struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	Creator       string     `xml:"creator"`
	GUID          string     `xml:"guid"`
	Encoded       []encoded  `xml:"encoded"`
	ID            string     `xml:"post_id"`
	Date          string     `xml:"post_date"`
	DateGMT       string     `xml:"post_date_gmt"`
	Modified      string     `xml:"post_modified"`
	ModifiedGMT   string     `xml:"post_modified_gmt"`
	CommentStatus string     `xml:"comment_status"`
	Name          string     `xml:"post_name"`
	Status        string     `xml:"status"`
	Parent        string     `xml:"post_parent"`
	Type          string     `xml:"post_type"`
	Password      string     `xml:"post_password"`
	Sticky        string     `xml:"is_sticky"`
	AttachmentURL string     `xml:"attachment_url"`
	Terms         []ItemTerm `xml:"category"`
	Meta          []Meta     `xml:"postmeta"`
	Comments      []Comment  `xml:"comment"`
}

// encoded is content:encoded or excerpt:encoded: the same local name in two
// namespaces.
type encoded struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

// Content is the item's body (content:encoded).
func (it *Item) Content() string {
	for _, e := range it.Encoded {
		if !strings.Contains(e.XMLName.Space, "excerpt") {
			return e.Text
		}
	}
	return ""
}

// MetaValue returns the value of the item's post meta key, or "".
func (it *Item) MetaValue(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// Visitor receives what a file holds, in the file's order. Site is called
// once, before any of the others.
type Visitor struct {
	Site   func(Site) error
	Author func(Author) error
	Term   func(Term) error
	Item   func(*Item) error
}

// Scan reads a WXR file from r, one element at a time, calling v's functions.
// Only the five XML entities are known: a file that declares a DTD or uses
// another entity is refused, so no entity can expand. Each item may take at
// most MaxItemBytes of the file. Errors about the file's content match
// ErrBadFile and say where in the file they are.
func Scan(r io.Reader, v Visitor) error {
	br := &budgetReader{r: r, budget: -1}
	d := xml.NewDecoder(br)
	d.Strict = true
	s := &scanner{d: d, br: br, v: v}
	err := s.run()
	if err != nil && !errors.Is(err, ErrBadFile) && !errors.Is(err, br.readErr) {
		line, _ := d.InputPos()
		return fmt.Errorf("%w: line %d: %s", ErrBadFile, line, describe(err))
	}
	return err
}

// describe turns a decoder error into a sentence for the person importing.
func describe(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(msg, "unexpected EOF"):
		return "the file ends in the middle (was the export or the upload cut short?)"
	case strings.Contains(msg, "invalid UTF-8"):
		return "the file is not valid UTF-8 text"
	case strings.Contains(msg, "invalid character entity"):
		return msg + " (only the five XML entities are allowed)"
	case strings.Contains(msg, "CharsetReader"):
		return "the file is not in UTF-8 (WordPress exports are)"
	}
	return msg
}

type scanner struct {
	d      *xml.Decoder
	br     *budgetReader
	v      Visitor
	site   Site
	inChan bool
	sent   bool // Site was called
}

func (s *scanner) run() error {
	seenRSS := false
	for {
		// Text between elements is one token too: it is bounded like an item.
		s.br.budget = MaxItemBytes
		tok, err := s.d.Token()
		if errors.Is(err, errOverBudget) {
			return fmt.Errorf("%w: more than %d MiB of text between two elements", ErrBadFile, MaxItemBytes>>20)
		}
		if err == io.EOF {
			if !seenRSS || !s.sent {
				return fmt.Errorf("%w: %w", ErrBadFile, ErrNotWXR)
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return fmt.Errorf("%w: the file declares a DTD or entities (<!%s…>); WordPress exports have none, and entities could expand without bound", ErrBadFile, firstWord(t))
		case xml.StartElement:
			if !seenRSS {
				if t.Name.Local != "rss" {
					return fmt.Errorf("%w: %w", ErrBadFile, ErrNotWXR)
				}
				seenRSS = true
				continue
			}
			if err := s.element(t); err != nil {
				return err
			}
		case xml.EndElement:
			if t.Name.Local == "channel" && !s.sent {
				if err := s.sendSite(); err != nil {
					return err
				}
			}
		}
	}
}

func firstWord(d xml.Directive) string {
	f := strings.Fields(string(d))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// element handles a start tag below rss: channel's own fields are read as
// text, authors, terms and items decoded whole (within the budget).
func (s *scanner) element(t xml.StartElement) error {
	wp := strings.Contains(t.Name.Space, "wordpress.org/export")
	switch {
	case t.Name.Local == "channel":
		s.inChan = true
		return nil
	case wp && t.Name.Local == "author":
		var a Author
		if err := s.decode(&a, t); err != nil {
			return err
		}
		return s.call(func() error { return s.v.Author(a) })
	case wp && (t.Name.Local == "category" || t.Name.Local == "tag" || t.Name.Local == "term"):
		var raw rawTerm
		if err := s.decode(&raw, t); err != nil {
			return err
		}
		return s.call(func() error { return s.v.Term(raw.term(t.Name.Local)) })
	case t.Name.Local == "item":
		it := &Item{}
		if err := s.decode(it, t); err != nil {
			return err
		}
		return s.call(func() error { return s.v.Item(it) })
	}
	return s.header(t, wp)
}

// header reads a field of the channel itself.
func (s *scanner) header(t xml.StartElement, wp bool) error {
	var text string
	if err := s.decode(&text, t); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	switch {
	case wp && t.Name.Local == "wxr_version":
		s.site.Version = text
	case wp && t.Name.Local == "base_site_url":
		s.site.BaseSiteURL = text
	case wp && t.Name.Local == "base_blog_url":
		s.site.BaseBlogURL = text
	case t.Name.Space == "" && t.Name.Local == "title":
		s.site.Title = text
	case t.Name.Space == "" && t.Name.Local == "link":
		s.site.Link = text
	case t.Name.Space == "" && t.Name.Local == "description":
		s.site.Description = text
	}
	return nil
}

// decode reads the element t into v, refusing one past MaxItemBytes.
func (s *scanner) decode(v any, t xml.StartElement) error {
	s.br.budget = MaxItemBytes
	err := s.d.DecodeElement(v, &t)
	if errors.Is(err, errOverBudget) {
		return fmt.Errorf("%w: a <%s> element is larger than %d MiB", ErrBadFile, t.Name.Local, MaxItemBytes>>20)
	}
	return err
}

// call sends the site first if need be, then runs f.
func (s *scanner) call(f func() error) error {
	if !s.sent {
		if err := s.sendSite(); err != nil {
			return err
		}
	}
	return f()
}

func (s *scanner) sendSite() error {
	s.sent = true
	if s.site.Version == "" || !s.inChan {
		return fmt.Errorf("%w: %w", ErrBadFile, ErrNotWXR)
	}
	if s.site.BaseBlogURL == "" {
		s.site.BaseBlogURL = s.site.BaseSiteURL
	}
	return s.v.Site(s.site)
}

// rawTerm is any of the three term elements.
type rawTerm struct {
	ID          string `xml:"term_id"`
	Taxonomy    string `xml:"term_taxonomy"`
	Slug        string `xml:"term_slug"`
	Nicename    string `xml:"category_nicename"`
	TagSlug     string `xml:"tag_slug"`
	Name        string `xml:"term_name"`
	CatName     string `xml:"cat_name"`
	TagName     string `xml:"tag_name"`
	Parent      string `xml:"category_parent"`
	TermParent  string `xml:"term_parent"`
	Description string `xml:"term_description"`
	CatDesc     string `xml:"category_description"`
	TagDesc     string `xml:"tag_description"`
}

func (r rawTerm) term(element string) Term {
	t := Term{ID: strings.TrimSpace(r.ID), Parent: r.Parent + r.TermParent}
	switch element {
	case "category":
		t.Taxonomy, t.Slug, t.Name, t.Description = "category", r.Nicename, r.CatName, r.CatDesc
	case "tag":
		t.Taxonomy, t.Slug, t.Name, t.Description = "post_tag", r.TagSlug, r.TagName, r.TagDesc
	default:
		t.Taxonomy, t.Slug, t.Name, t.Description = r.Taxonomy, r.Slug, r.Name, r.Description
	}
	return t
}

var errOverBudget = errors.New("over budget")

// budgetReader reads r, failing once more than budget bytes (when not
// negative) have been read since it was set: the decoder reads ahead, so
// the bound is approximate, never more than a buffer over.
type budgetReader struct {
	r       io.Reader
	budget  int
	readErr error
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.budget == 0 {
		return 0, errOverBudget
	}
	if b.budget > 0 && len(p) > b.budget {
		p = p[:b.budget]
	}
	n, err := b.r.Read(p)
	if b.budget > 0 {
		b.budget -= n
	}
	if err != nil && err != io.EOF {
		b.readErr = err
	}
	return n, err
}
