package handlers

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

type readingStore interface {
	PublishedStories(ctx context.Context, f models.StoryFilter, n int) (models.StoryPage, error)
	PublishedStory(ctx context.Context, slug string) (*models.Story, error)
	StoryRedirect(ctx context.Context, oldSlug string) (string, error)
	Neighbours(ctx context.Context, st *models.Story) (prev, next *models.StoryLink, err error)
	Related(ctx context.Context, st *models.Story, n int) ([]models.StoryLink, error)
	CommentsFor(ctx context.Context, storyID uint, v models.Viewer) ([]models.Comment, error)
	HasHeldComments(ctx context.Context, storyID uint, v models.Viewer) (bool, error)
	CompanyStoriesByMeToo(ctx context.Context, companyID uint, n int) (models.StoryPage, error)
	ReactionsOf(ctx context.Context, st *models.Story, viewerID uint) (models.Reactions, error)
	OwnReactions(ctx context.Context, storyID, viewerID uint) (liked, meToo bool, err error)
	ReactorsOf(ctx context.Context, storyID uint) (models.Reactors, error)
	HeldPostersOf(ctx context.Context, storyID uint) (models.HeldPosters, error)
	CategoryBySlug(ctx context.Context, slug string) (*models.Category, error)
	TagBySlug(ctx context.Context, slug string) (*models.Tag, error)
	CompanyBySlug(ctx context.Context, slug string) (*models.Company, error)
	CompanyRedirect(ctx context.Context, oldSlug string) (string, error)
	UserByHandle(ctx context.Context, handle string) (*models.User, error)
	Represents(ctx context.Context, userID, companyID uint) (bool, error)
	CompanyStats(ctx context.Context, id uint) (models.CompanyStats, error)
	Representatives(ctx context.Context, companyID uint) ([]models.User, error)
	PublishedStoryID(ctx context.Context, slug string) (uint, error)
	CountRead(ctx context.Context, storyID uint, ip string) (bool, error)
	CompanyDomains(ctx context.Context, id uint) ([]string, error)
	CanClaim(ctx context.Context, userID, companyID uint) error
}

// reading serves the pages readers browse: lists of stories and stories.
type reading struct {
	*pages
	store  readingStore
	stamps *stamper                       // signs the comment form's "rendered at" time
	heads  *memo[commentKey, keptComment] // comments' HTML shown to every viewer of a kind, by comment id and language
	parts  *memo[storyLang, KeptStory]    // stories' HTML shown to every viewer, by the story as read and language
	shells *memo[shellKey, *storyShell]   // signed-in readers' story pages, by story, variant, kind and language
	lists  *memo[storyLang, []string]     // comments as a signed-in reader who wrote none sees them, cut at the token
	menus  *memo[menuKey, []string]       // account menus, by user as read and language, cut at the token
}

// ListPage is a page of stories: the front page, a category, a tag, an
// author, a company or a month.
type ListPage struct {
	Layout
	Kind    string // "front", "category", "tag", "author", "company", "archive"
	Heading string
	Intro   string
	Author  *models.User
	Company *models.Company
	Stories []models.Story
	Total   int64
	Pager   Pager
	Sort    string // a company's stories: "" (latest first) or "metoo" (most "me too" first)
	// Scorecard and Representatives are a company's, on its page.
	Scorecard       *Scorecard
	Representatives []models.User
	Follow          *FollowForm
	// Claim is who may claim to represent a company, and whether the
	// signed-in user may.
	Claim *ClaimBox
}

// ClaimBox is the "represent this company" part of a company page: its
// email domains, and for a signed-in user whether they may claim it
// (CanClaim) or why not (Refusal).
type ClaimBox struct {
	Domains  []string
	CanClaim bool
	Refusal  string
}

// FollowForm is the "follow by email" form of a list or a story.
type FollowForm struct {
	Action, CSRF, What string
}

// list renders page :n of the stories matching f, at base.
func (r *reading) list(c *fiber.Ctx, base string, lp ListPage, f models.StoryFilter) error {
	if c.Params("n") == "1" {
		return c.Redirect(firstPage(base), fiber.StatusMovedPermanently)
	}
	n, err := pageParam(c)
	if err != nil {
		return err
	}
	sp, err := r.store.PublishedStories(c.UserContext(), f, n)
	if lp.Sort == "metoo" {
		sp, err = r.store.CompanyStoriesByMeToo(c.UserContext(), f.CompanyID, n)
	}
	if err != nil {
		return err
	}
	if sp.Total == 0 && lp.Kind == "archive" {
		return fiber.ErrNotFound // a month without stories is unknown, not an empty list
	}
	path := firstPage(base)
	if n > 1 {
		path = base + "/page/" + strconv.Itoa(n)
	}
	feed := base + "/feed"
	if lp.Kind == "archive" {
		feed = "/feed"
	}
	title := lp.Heading
	if n > 1 {
		title = tr(c, "%s – page %d", lp.Heading, n)
		if lp.Kind == "front" {
			title = tr(c, "Page %d", n)
		}
	}
	if lp.Layout, err = r.layout(c, title, path, feed); err != nil {
		return err
	}
	lp.Description = lp.Intro
	if lp.Scorecard != nil {
		companyMeta(&lp.Layout, lp.Company, lp.Scorecard)
	}
	if lp.Kind != "archive" {
		lp.Follow = &FollowForm{Action: base + "/follow", CSRF: lp.CSRF, What: "Follow these stories by email"}
	}
	lp.Stories, lp.Total, lp.Pager = sp.Stories, sp.Total, newPager(base, n, sp.Pages)
	if lp.Sort != "" {
		lp.Canonical += "?sort=" + lp.Sort
		lp.Pager = sortedPager(lp.Pager, lp.Sort)
	}
	return r.render(c, fiber.StatusOK, "list", lp)
}

func firstPage(base string) string {
	if base == "" {
		return "/"
	}
	return base
}

func (r *reading) front(c *fiber.Ctx) error {
	return r.list(c, "", ListPage{Kind: "front"}, models.StoryFilter{})
}

func (r *reading) category(c *fiber.Ctx) error {
	cat, err := r.store.CategoryBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	lp := ListPage{Kind: "category", Heading: cat.Name, Intro: cat.Description}
	return r.list(c, "/category/"+cat.Slug, lp, models.StoryFilter{CategoryID: cat.ID})
}

func (r *reading) tag(c *fiber.Ctx) error {
	t, err := r.store.TagBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	lp := ListPage{Kind: "tag", Heading: tr(c, "Tagged “%s”", t.Name),
		Intro: "Stories tagged “" + t.Name + "”, newest first."}
	return r.list(c, "/tag/"+t.Slug, lp, models.StoryFilter{TagID: t.ID})
}

func (r *reading) author(c *fiber.Ctx) error {
	u, err := r.store.UserByHandle(c.UserContext(), c.Params("handle"))
	if err != nil {
		return err
	}
	lp := ListPage{Kind: "author", Heading: u.Name, Intro: u.Bio, Author: u}
	return r.list(c, "/author/"+u.Handle, lp, models.StoryFilter{AuthorID: u.ID})
}

func (r *reading) company(c *fiber.Ctx) error {
	co, err := r.store.CompanyBySlug(c.UserContext(), c.Params("slug"))
	if errors.Is(err, models.ErrNotFound) {
		// A company merged into another: send readers to the one it joined.
		if slug, rerr := r.store.CompanyRedirect(c.UserContext(), c.Params("slug")); rerr == nil {
			return c.Redirect("/company/"+slug, fiber.StatusMovedPermanently)
		}
	}
	if err != nil {
		return err
	}
	lp := ListPage{Kind: "company", Heading: co.Name, Intro: co.Description, Company: co}
	if c.Query("sort") == "metoo" { // an allowlist of one: anything else is the default order
		lp.Sort = "metoo"
	}
	stats, err := r.store.CompanyStats(c.UserContext(), co.ID)
	if err != nil {
		return err
	}
	now := r.stamps.now()
	lp.Scorecard = newScorecard(stats, now, locale(c))
	// The trend ends with the current month: a cached copy must not outlive it.
	cacheUntil(c, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0))
	if lp.Representatives, err = r.store.Representatives(c.UserContext(), co.ID); err != nil {
		return err
	}
	if lp.Claim, err = r.claimBox(c, co.ID); err != nil {
		return err
	}
	return r.list(c, "/company/"+co.Slug, lp, models.StoryFilter{CompanyID: co.ID})
}

// claimBox says who may claim company id, and whether the signed-in user
// may (visitors see the rule only; their page is the cached one).
func (r *reading) claimBox(c *fiber.Ctx, id uint) (*ClaimBox, error) {
	ds, err := r.store.CompanyDomains(c.UserContext(), id)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	box := &ClaimBox{Domains: ds}
	if sess := currentSession(c); sess != nil {
		err := r.store.CanClaim(c.UserContext(), sess.UserID, id)
		if box.Refusal = claimRefusal(err); box.Refusal == "" && err != nil {
			return nil, err
		}
		box.CanClaim = err == nil
	}
	return box, nil
}

// archive lists a month's stories; a month without any is not found.
func (r *reading) archive(c *fiber.Ctx) error {
	y, m := c.Params("year"), c.Params("month")
	from, err := time.Parse("2006/01", y+"/"+m)
	if err != nil || len(y) != 4 || len(m) != 2 {
		return fiber.ErrNotFound
	}
	f := models.StoryFilter{From: from, To: from.AddDate(0, 1, 0)}
	lp := ListPage{Kind: "archive", Heading: locale(c).Month(from.Year(), from.Month()),
		Intro: tr(c, "Stories published in %s.", locale(c).Month(from.Year(), from.Month()))}
	return r.list(c, "/archive/"+y+"/"+m, lp, f)
}

// commentKey and storyLang key what is kept of a comment or a story in
// one language.
type (
	commentKey struct {
		id   uint
		lang string
	}
	storyLang struct {
		st   *models.Story
		lang string
	}
)
