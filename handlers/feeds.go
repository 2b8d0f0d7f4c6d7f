package handlers

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
	"doleances/models/media"
)

type feedStore interface {
	RecentStories(ctx context.Context, f models.StoryFilter, n int) ([]models.Story, error)
	LatestComments(ctx context.Context, storyID uint, n int) ([]models.Comment, error)
	PublishedStory(ctx context.Context, slug string) (*models.Story, error)
	CategoryBySlug(ctx context.Context, slug string) (*models.Category, error)
	TagBySlug(ctx context.Context, slug string) (*models.Tag, error)
	CompanyBySlug(ctx context.Context, slug string) (*models.Company, error)
	UserByHandle(ctx context.Context, handle string) (*models.User, error)
	CompanyStats(ctx context.Context, id uint) (models.CompanyStats, error)
}

// feeds serves the RSS and Atom feeds. Items carry the HTML stored at save
// time; no Markdown is rendered here.
type feeds struct {
	store    feedStore
	site     Site
	now      func() time.Time
	siteLang string // the language of stories that do not say theirs
}

// feedBuilder gathers a feed's items for a request.
type feedBuilder func(c *fiber.Ctx) (*feed, error)

// rss and atom serve the feed that build gathers in each format.
func (fd *feeds) rss(build feedBuilder) fiber.Handler {
	return fd.serve(build, writeRSS, "application/rss+xml; charset=utf-8")
}

func (fd *feeds) atom(build feedBuilder) fiber.Handler {
	return fd.serve(build, writeAtom, "application/atom+xml; charset=utf-8")
}

func (fd *feeds) serve(build feedBuilder, write func(*feed, string) ([]byte, error), ctype string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, err := build(c)
		if err != nil {
			return err
		}
		body, err := write(f, fd.site.BaseURL)
		if err != nil {
			return fmt.Errorf("write feed %s: %w", f.Path, err)
		}
		c.Set(fiber.HeaderContentType, ctype)
		return c.Send(body)
	}
}

// stories builds a feed of the stories matching filter.
func (fd *feeds) stories(c *fiber.Ctx, title, desc, page string, filter models.StoryFilter) (*feed, error) {
	sts, err := fd.store.RecentStories(c.UserContext(), filter, models.FeedSize)
	if err != nil {
		return nil, err
	}
	f := fd.newFeed(c, title, desc, page)
	for i := range sts {
		f.add(fd.storyItem(&sts[i]))
	}
	return f, nil
}

func (fd *feeds) newFeed(c *fiber.Ctx, title, desc, page string) *feed {
	name := fd.site.Name
	if title != "" {
		name = tr(c, "%[1]s » %[2]s", name, title)
	}
	if desc == "" {
		desc = tr(c, fd.site.Tagline)
	}
	path := page + "/feed"
	if page == "/" {
		path = "/feed"
	}
	return &feed{Title: name, Description: desc, Link: fd.site.BaseURL + page, Path: path, Updated: fd.now().UTC(), Lang: locale(c).Code}
}

// add appends an item, keeping Updated the newest item's date.
func (f *feed) add(it feedItem) {
	if len(f.Items) == 0 || it.Updated.After(f.Updated) {
		f.Updated = it.Updated
	}
	f.Items = append(f.Items, it)
}

func (fd *feeds) storyItem(st *models.Story) feedItem {
	link := fd.site.BaseURL + "/stories/" + st.Slug
	pub := st.CreatedAt
	if st.PublishedAt != nil {
		pub = *st.PublishedAt
	}
	it := feedItem{
		Title: st.Title, Link: link, ID: fd.tag(st.CreatedAt, "story", st.ID), Author: st.Author.Name,
		HTML: absolutize(st.HTML, link), Summary: st.Excerpt, Published: pub, Updated: pub, Lang: cmp.Or(st.Lang, fd.siteLang),
	}
	if st.UpdatedAt.After(pub) {
		it.Updated = st.UpdatedAt
	}
	// Dated updates follow the text, as on the page, and date the item:
	// a feed reader shows the story again when its author adds one.
	for _, u := range st.Updates {
		it.HTML += `<h3>Update, ` + html.EscapeString(u.CreatedAt.In(fd.site.zone()).Format("2 January 2006")) + `</h3>` + absolutize(u.HTML, link)
		if u.CreatedAt.After(it.Updated) {
			it.Updated = u.CreatedAt
		}
	}
	if ref, ok := models.ParseMediaURL(st.Cover); ok {
		src := fd.site.BaseURL + ref.URL()
		it.Image = &feedImage{URL: src, Type: media.TypeOf(ref.URL()), W: ref.W, H: ref.H}
		it.HTML = `<p><img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(st.CoverAlt) +
			`" width="` + strconv.Itoa(ref.W) + `" height="` + strconv.Itoa(ref.H) + `"></p>` + it.HTML
	}
	for _, cat := range st.Categories {
		it.Categories = append(it.Categories, feedCategory{Name: cat.Name, Term: cat.Slug, Scheme: fd.site.BaseURL + "/category/"})
	}
	for _, t := range st.Tags {
		it.Categories = append(it.Categories, feedCategory{Name: t.Name, Term: t.Slug, Scheme: fd.site.BaseURL + "/tag/"})
	}
	return it
}

// tag is a stable tag: URI (RFC 4151) for a story or comment: it does not
// change when the title or the slug does.
func (fd *feeds) tag(created time.Time, kind string, id uint) string {
	host := fd.site.BaseURL
	if u, err := url.Parse(host); err == nil {
		host = u.Hostname()
	}
	return "tag:" + host + "," + created.UTC().Format("2006-01-02") + ":" + kind + "/" + strconv.FormatUint(uint64(id), 10)
}

func (fd *feeds) commentItem(c *fiber.Ctx, cm *models.Comment) feedItem {
	link := fd.site.BaseURL + "/stories/" + cm.Story.Slug + "#comment-" + strconv.FormatUint(uint64(cm.ID), 10)
	name := cm.AuthorName
	if cm.User != nil {
		name = cm.User.Name
	}
	// The guest's email is never read here: only the name is shown.
	return feedItem{
		Title: tr(c, "Comment by %s on “%s”", name, cm.Story.Title), Link: link,
		ID: fd.tag(cm.CreatedAt, "comment", cm.ID), Author: name, HTML: absolutize(cm.HTML, link),
		Published: cm.CreatedAt, Updated: cm.CreatedAt,
	}
}

func (fd *feeds) comments(c *fiber.Ctx, title, desc, page string, storyID uint) (*feed, error) {
	cs, err := fd.store.LatestComments(c.UserContext(), storyID, models.FeedSize)
	if err != nil {
		return nil, err
	}
	f := fd.newFeed(c, title, desc, page)
	for i := range cs {
		f.add(fd.commentItem(c, &cs[i]))
	}
	return f, nil
}

func (fd *feeds) front(c *fiber.Ctx) (*feed, error) {
	return fd.stories(c, "", "", "/", models.StoryFilter{})
}

func (fd *feeds) category(c *fiber.Ctx) (*feed, error) {
	cat, err := fd.store.CategoryBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	return fd.stories(c, cat.Name, cat.Description, "/category/"+cat.Slug, models.StoryFilter{CategoryID: cat.ID})
}

func (fd *feeds) tagged(c *fiber.Ctx) (*feed, error) {
	t, err := fd.store.TagBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	return fd.stories(c, tr(c, "Tagged “%s”", t.Name), "", "/tag/"+t.Slug, models.StoryFilter{TagID: t.ID})
}

func (fd *feeds) author(c *fiber.Ctx) (*feed, error) {
	u, err := fd.store.UserByHandle(c.UserContext(), c.Params("handle"))
	if err != nil {
		return nil, err
	}
	return fd.stories(c, u.Name, u.Bio, "/author/"+u.Handle, models.StoryFilter{AuthorID: u.ID})
}

func (fd *feeds) company(c *fiber.Ctx) (*feed, error) {
	co, err := fd.store.CompanyBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	stats, err := fd.store.CompanyStats(c.UserContext(), co.ID)
	if err != nil {
		return nil, err
	}
	// The scorecard in words: what the page's charts say, for feed readers.
	desc := strings.TrimSpace(co.Description + " " + newScorecard(stats, fd.now(), locale(c)).Summary())
	return fd.stories(c, co.Name, desc, "/company/"+co.Slug, models.StoryFilter{CompanyID: co.ID})
}

func (fd *feeds) allComments(c *fiber.Ctx) (*feed, error) {
	f, err := fd.comments(c, tr(c, "Comments"), tr(c, "The latest comments on all stories."), "/comments", 0)
	if f != nil {
		f.Link = fd.site.BaseURL + "/" // there is no page of all comments; the sidebar lists the latest
	}
	return f, err
}

func (fd *feeds) storyComments(c *fiber.Ctx) (*feed, error) {
	st, err := fd.store.PublishedStory(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	f, err := fd.comments(c, tr(c, "Comments on “%s”", st.Title), tr(c, "The comments on “%s”.", st.Title), "/stories/"+st.Slug, st.ID)
	if err == nil && len(f.Items) == 0 && st.PublishedAt != nil {
		f.Updated = *st.PublishedAt // a stable date for a story without comments yet
	}
	return f, err
}
