package wxr

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"doleances/models"
)

// ExportStore is what an export reads from the site's store.
type ExportStore interface {
	ExportUsers(ctx context.Context) ([]models.User, error)
	Categories(ctx context.Context) ([]models.Category, error)
	ExportTags(ctx context.Context) ([]models.Tag, error)
	EachExportedStory(ctx context.Context, fn func(*models.ExportedStory) error) error
}

// ExportOptions describe the site being exported.
type ExportOptions struct {
	BaseURL  string         // the site's public URL, without a trailing slash
	Title    string         // the site's name
	Location *time.Location // for WordPress's local dates; nil means Europe/Paris
}

// ExportCounts says what an export wrote.
type ExportCounts struct {
	Authors, Categories, Tags, Stories, Comments int
}

// Export writes the site as a WXR 1.2 file that WordPress's importer
// (Tools → Import → WordPress) accepts: authors, categories, tags,
// published stories and drafts as HTML, comments with their threads and
// statuses. Stories are read and written a batch at a time.
func Export(ctx context.Context, st ExportStore, w io.Writer, opt ExportOptions) (ExportCounts, error) {
	var n ExportCounts
	if opt.Location == nil {
		loc, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			return n, fmt.Errorf("time zone: %w", err)
		}
		opt.Location = loc
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	e := &exporter{w: bw, opt: opt}
	e.head()
	users, err := st.ExportUsers(ctx)
	if err != nil {
		return n, err
	}
	e.handles = map[uint]string{}
	for _, u := range users {
		e.author(u)
		e.handles[u.ID] = u.Handle
	}
	cats, err := st.Categories(ctx)
	if err != nil {
		return n, err
	}
	for _, c := range cats {
		e.category(c)
	}
	tags, err := st.ExportTags(ctx)
	if err != nil {
		return n, err
	}
	for _, t := range tags {
		e.tag(t)
	}
	n = ExportCounts{Authors: len(users), Categories: len(cats), Tags: len(tags)}
	err = st.EachExportedStory(ctx, func(s *models.ExportedStory) error {
		e.item(s)
		n.Stories++
		n.Comments += len(s.Comments)
		return ctx.Err()
	})
	if err != nil {
		return n, err
	}
	e.printf("</channel>\n</rss>\n")
	if e.err != nil {
		return n, e.err
	}
	return n, bw.Flush()
}

type exporter struct {
	w       *bufio.Writer
	opt     ExportOptions
	handles map[uint]string
	// attachment counts the attachment items written, for their ids.
	attachment int
	err        error
}

func (e *exporter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// cdata wraps s in CDATA sections, splitting any "]]>" inside it.
func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

func (e *exporter) head() {
	e.printf(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="Doléances" created="%s" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>%s</title>
	<link>%s</link>
	<description></description>
	<language>en</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>%s</wp:base_site_url>
	<wp:base_blog_url>%s</wp:base_blog_url>
`, time.Now().UTC().Format("2006-01-02 15:04"), cdata(e.opt.Title), e.opt.BaseURL, e.opt.BaseURL, e.opt.BaseURL)
}

func (e *exporter) author(u models.User) {
	e.printf("\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login><wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>\n",
		u.ID, cdata(u.Handle), cdata(u.Email), cdata(u.Name))
}

func (e *exporter) category(c models.Category) {
	e.printf("\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename>%s</wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name>%s</wp:cat_name><wp:category_description>%s</wp:category_description></wp:category>\n",
		c.ID, cdata(c.Slug), cdata(escapeText(c.Name)), cdata(c.Description))
}

func (e *exporter) tag(t models.Tag) {
	e.printf("\t<wp:tag><wp:term_id>%d</wp:term_id><wp:tag_slug>%s</wp:tag_slug><wp:tag_name>%s</wp:tag_name></wp:tag>\n",
		1_000_000+t.ID, cdata(t.Slug), cdata(escapeText(t.Name)))
}

// escapeText stores a term name as WordPress does: HTML-escaped.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// item writes a story and its comments.
func (e *exporter) item(s *models.ExportedStory) {
	status, name, link := "draft", "", e.opt.BaseURL+"/?p="+strconv.FormatUint(uint64(s.ID), 10)
	at := s.CreatedAt
	if s.Status == models.StatusPublished && s.PublishedAt != nil {
		status, name, link, at = "publish", s.Slug, e.opt.BaseURL+"/stories/"+url.PathEscape(s.Slug), *s.PublishedAt
	}
	comments := "open"
	if s.CommentsClosed {
		comments = "closed"
	}
	e.printf("\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n\t\t<pubDate>%s</pubDate>\n\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"false\">%s</guid>\n\t\t<description></description>\n\t\t<content:encoded>%s</content:encoded>\n\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n",
		cdata(escapeText(s.Title)), link, at.UTC().Format(time.RFC1123Z), cdata(e.handles[s.AuthorID]),
		e.opt.BaseURL+"/?p="+strconv.FormatUint(uint64(s.ID), 10), cdata(e.absolutePictures(wordpressHTML(s.HTML))))
	e.printf("\t\t<wp:post_id>%d</wp:post_id>\n\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n\t\t<wp:post_modified>%s</wp:post_modified>\n\t\t<wp:post_modified_gmt>%s</wp:post_modified_gmt>\n\t\t<wp:comment_status>%s</wp:comment_status>\n\t\t<wp:ping_status><![CDATA[closed]]></wp:ping_status>\n\t\t<wp:post_name>%s</wp:post_name>\n\t\t<wp:status>%s</wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n\t\t<wp:is_sticky>0</wp:is_sticky>\n",
		s.ID, cdata(e.local(at)), cdata(at.UTC().Format(wpTime)), cdata(e.local(s.UpdatedAt)), cdata(s.UpdatedAt.UTC().Format(wpTime)), cdata(comments), cdata(name), cdata(status))
	for _, c := range s.Categories {
		e.printf("\t\t<category domain=\"category\" nicename=\"%s\">%s</category>\n", attr(c.Slug), cdata(escapeText(c.Name)))
	}
	for _, t := range s.Tags {
		e.printf("\t\t<category domain=\"post_tag\" nicename=\"%s\">%s</category>\n", attr(t.Slug), cdata(escapeText(t.Name)))
	}
	for _, c := range s.Comments {
		e.comment(c)
	}
	e.printf("\t</item>\n")
	e.attachments(s, at)
}

func (e *exporter) local(t time.Time) string { return t.In(e.opt.Location).Format(wpTime) }

// commentApproved is WordPress's comment_approved for each status.
var commentApproved = map[string]string{
	models.CommentApproved: "1", models.CommentPending: "0", models.CommentSpam: "spam", models.CommentTrash: "trash",
}

func (e *exporter) comment(c models.Comment) {
	var parent, user uint
	if c.ParentID != nil {
		parent = *c.ParentID
	}
	if c.UserID != nil {
		user = *c.UserID
	}
	e.printf("\t\t<wp:comment>\n\t\t\t<wp:comment_id>%d</wp:comment_id>\n\t\t\t<wp:comment_author>%s</wp:comment_author>\n\t\t\t<wp:comment_author_email>%s</wp:comment_author_email>\n\t\t\t<wp:comment_author_url>%s</wp:comment_author_url>\n\t\t\t<wp:comment_author_IP>%s</wp:comment_author_IP>\n\t\t\t<wp:comment_date>%s</wp:comment_date>\n\t\t\t<wp:comment_date_gmt>%s</wp:comment_date_gmt>\n\t\t\t<wp:comment_content>%s</wp:comment_content>\n\t\t\t<wp:comment_approved>%s</wp:comment_approved>\n\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n\t\t\t<wp:comment_user_id>%d</wp:comment_user_id>\n\t\t</wp:comment>\n",
		c.ID, cdata(c.AuthorName), cdata(c.AuthorEmail), cdata(c.AuthorURL), cdata(c.IP), cdata(e.local(c.CreatedAt)),
		cdata(c.CreatedAt.UTC().Format(wpTime)), cdata(wordpressHTML(c.HTML)), cdata(commentApproved[c.Status]), parent, user)
}

func attr(s string) string {
	return strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;").Replace(s)
}

var softBreak = regexp.MustCompile(`([^>\n])\n([^<\n])`)

// wordpressHTML prepares stored HTML for WordPress, which shows post
// content through wpautop: a line break inside a paragraph (a soft break
// of the Markdown) would become <br />, so it becomes a space; <pre>
// blocks are kept whole.
func wordpressHTML(h string) string { return outsidePre(h, joinLines) }

// joinLines turns line breaks between words into spaces (twice: the
// matches of one pass cannot overlap).
func joinLines(s string) string {
	return softBreak.ReplaceAllString(softBreak.ReplaceAllString(s, "$1 $2"), "$1 $2")
}
