package handlers

import (
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// StoryPage is a story with its comments, the comment form, its likes and
// "me too"s, and links to other stories.
type StoryPage struct {
	Layout
	Story      *models.Story
	Kept       KeptStory
	Prev, Next *models.StoryLink
	Related    []models.StoryLink
	Comments   []*CommentNode
	// CommentsHTML is Comments as the viewer sees them (see writeComments).
	CommentsHTML template.HTML
	// commentParts, when not nil, stands for CommentsHTML: the comments as
	// every signed-in reader who wrote none sees them, cut at the token.
	commentParts []string
	Form         CommentForm
	Reactions    models.Reactions
	CanModerate  bool   // the viewer may close comments and moderate them
	Flash        string // what the viewer's last action did
	// CanEdit shows the Edit link to the author and admins; visitors
	// without a session never see it, so their page stays the same for all.
	CanEdit bool
	// Company is the company's side of a story about a company; nil otherwise.
	Company *CompanySide
	Follow  FollowForm
	// Pending is the reaction ("like", "metoo") a guest pressed before
	// signing in, offered again, now signed in, as a form that posts it.
	Pending string
	// PendingAuto: this browser pressed it (pendingCookie), so the page's
	// script sends the form by itself.
	PendingAuto bool
	// Share is the confirmation with share links that the author sees
	// right after publishing (never in a page kept for visitors).
	Share *ShareLinks
}

// KeptStory is the HTML of a story's page that is the same for every
// viewer, kept between writes: the "storyhead" and "storytext" partials.
type KeptStory struct {
	Head, Text template.HTML
}

// keptStory renders st's KeptStory, or takes it from those kept since the
// last write. It is kept by the very *Story read (the memos hand out one
// per generation), so that parts made from a story read before a write
// never pass for the story read after it.
func (r *reading) keptStory(st *models.Story, lang string) (KeptStory, error) {
	return r.parts.get(storyLang{st, lang}, func() (KeptStory, error) {
		var k KeptStory
		for _, p := range []struct {
			name string
			out  *template.HTML
		}{{"storyhead", &k.Head}, {"storytext", &k.Text}} {
			var b strings.Builder
			if err := r.views.Partial(&b, lang, p.name, st); err != nil {
				return k, fmt.Errorf("render story %d: %w", st.ID, err)
			}
			*p.out = template.HTML(b.String()) //nolint:gosec // an html/template partial's output
		}
		return k, nil
	})
}

// CommentNode is a comment with its replies and what the viewer may do with it.
type CommentNode struct {
	models.Comment
	Replies []*CommentNode
	View    *CommentView
	// Editable: the viewer wrote it and may still edit (or delete) it.
	Editable bool
	// Own: the viewer wrote it (and may delete it).
	Own bool
}

// CommentView is what every comment of a page needs to know of the page.
type CommentView struct {
	Lang     string // the language of the page
	Slug     string
	CSRF     string
	SignedIn bool
	AuthorID uint // the story's author, whose comments carry a badge
}

func (r *reading) story(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st, err := r.store.PublishedStory(ctx, c.Params("slug"))
	if errors.Is(err, models.ErrNotFound) {
		// A former slug of a story whose title changed: send readers on.
		if slug, rerr := r.store.StoryRedirect(ctx, c.Params("slug")); rerr == nil {
			return c.Redirect("/stories/"+slug, fiber.StatusMovedPermanently)
		}
	}
	if err != nil {
		return err
	}
	var form CommentForm
	if id, err := strconv.ParseUint(c.Query("replyto"), 10, 32); err == nil {
		form.ParentID = uint(id)
	}
	var flash string
	switch {
	case c.Query("reported") != "":
		flash = tr(c, "Thank you: your report was sent to the moderators.")
	case c.Query("deleted") != "":
		flash = tr(c, "Your comment is deleted.")
	}
	return r.renderStory(c, fiber.StatusOK, st, form, flash)
}

// renderStory renders a story's page with the comment form as given (empty,
// or kept with its errors after a refused post).
func (r *reading) renderStory(c *fiber.Ctx, status int, st *models.Story, form CommentForm, flash string) error {
	ctx := c.UserContext()
	sp := StoryPage{Story: st, Flash: flash}
	var err error
	if sp.Prev, sp.Next, err = r.store.Neighbours(ctx, st); err != nil {
		return err
	}
	if sp.Related, err = r.store.Related(ctx, st, 4); err != nil {
		return err
	}
	if sp.Kept, err = r.keptStory(st, locale(c).Code); err != nil {
		return err
	}
	viewer, personal := viewerOf(c)
	gen := r.heads.gen() // before the comments are read: what is kept from them is kept under it
	comments, err := r.store.CommentsFor(ctx, st.ID, viewer)
	if err != nil {
		return err
	}
	var uid uint
	if viewer.UserID != nil {
		uid = *viewer.UserID
	}
	if sp.Reactions, err = r.store.ReactionsOf(ctx, st, uid); err != nil {
		return err
	}
	path := "/stories/" + st.Slug
	if sp.Layout, err = r.layout(c, st.Title, path, path+"/feed"); err != nil {
		return err
	}
	if err := r.comments(&sp, gen, comments, uid); err != nil {
		return err
	}
	sp.CanModerate = moderates(sp.User, st)
	sp.CanEdit = sp.CanModerate
	sp.Pending = pendingReaction(c.Query("react"), sp.User, sp.Reactions)
	if p := c.Cookies(pendingCookie); p != "" && sp.User != nil {
		sp.PendingAuto = sp.Pending != "" && p == sp.Pending+":"+st.Slug
		// Sent once at most: the cookie goes (with its path, or it stays).
		c.Cookie(&fiber.Cookie{Name: pendingCookie, Path: "/stories/", MaxAge: -1, Expires: time.Unix(0, 0), HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
	}
	if c.Query("published") != "" && sp.User != nil && sp.User.ID == st.AuthorID {
		sp.Share = shareLinks(sp.Site.BaseURL, st)
	}
	if err := r.companySide(c, &sp); err != nil {
		return err
	}
	perView := sp.User != nil || personal || status != fiber.StatusOK
	stamp, until := r.stamps.make(st.ID, perView)
	if status != fiber.StatusOK {
		stamp = r.stamps.resend(st.ID)
	}
	cacheUntil(c, until)
	form.fill(st, comments, stamp, sp.User != nil)
	form.NoAddress = sp.User != nil && !sp.User.EmailVerified
	form.CSRF = sp.CSRF
	sp.Form = form
	sp.Follow = FollowForm{Action: "/stories/" + st.Slug + "/follow", CSRF: sp.CSRF, What: "Follow the new comments by email"}
	sp.Feeds[0].Title = tr(c, "%s (RSS)", tr(c, "Comments on “%s”", st.Title))
	sp.Feeds[1].Title = tr(c, "%s (Atom)", tr(c, "Comments on “%s”", st.Title))
	sp.Description = st.Excerpt
	storyMeta(&sp.Layout, st, r.siteLang())
	if personal || status != fiber.StatusOK {
		// A guest's own held comments, or a refused form, are for them alone.
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
	if shellable(&sp, status) {
		return r.renderShell(c, gen, sp, "")
	}
	sp.joinComments()
	return r.render(c, status, "story", sp)
}

// comments sets the comments of sp as viewer uid (0: a visitor) sees them:
// kept for the signed-in readers who wrote none of them, else rendered
// from the kept parts of each.
func (r *reading) comments(sp *StoryPage, gen uint64, comments []models.Comment, uid uint) error {
	lang, st := sp.Lang, sp.Story
	if sp.User != nil && sp.CSRF != "" && !wroteAny(comments, uid) {
		var err error
		sp.commentParts, err = r.readerComments(gen, st, lang, comments)
		return err
	}
	view := &CommentView{Slug: st.Slug, CSRF: sp.CSRF, SignedIn: sp.User != nil, AuthorID: st.AuthorID, Lang: lang}
	sp.Comments = threads(comments, view, uid, r.stamps.now())
	var list strings.Builder
	list.Grow(2 << 10 * len(comments)) // a comment's head and actions: about 1–2 kB
	if err := r.writeComments(&list, gen, sp.Comments); err != nil {
		return err
	}
	sp.CommentsHTML = template.HTML(list.String()) //nolint:gosec // html/template partials' output and an escaped token
	return nil
}

// threads arranges comments, oldest first, into trees of replies. A reply
// whose parent is not shown (held, deleted) is shown at the top level.
func threads(cs []models.Comment, view *CommentView, viewerID uint, now time.Time) []*CommentNode {
	nodes := make(map[uint]*CommentNode, len(cs))
	var roots []*CommentNode
	for i := range cs {
		n := &CommentNode{Comment: cs[i], View: view}
		if viewerID != 0 && cs[i].UserID != nil && *cs[i].UserID == viewerID && !cs[i].Deleted {
			n.Own = true
			n.Editable = now.Sub(cs[i].CreatedAt) <= models.EditWindow
		}
		nodes[cs[i].ID] = n
	}
	for i := range cs {
		n := nodes[cs[i].ID]
		if p := cs[i].ParentID; p != nil && nodes[*p] != nil {
			nodes[*p].Replies = append(nodes[*p].Replies, n)
			continue
		}
		roots = append(roots, n)
	}
	return roots
}

// sortedPager keeps a list's sort order in its page links.
func sortedPager(p Pager, sort string) Pager {
	if p.Prev != "" {
		p.Prev += "?sort=" + sort
	}
	if p.Next != "" {
		p.Next += "?sort=" + sort
	}
	return p
}

// pendingReaction is the reaction a guest pressed before signing in (the
// react= of the address they come back to), if they are now signed in and
// have not made it yet; "" otherwise. It is only offered: the form posts it.
func pendingReaction(kind string, u *models.User, r models.Reactions) string {
	if u == nil || kind == "like" && r.Liked || kind == "metoo" && r.MeToo {
		return ""
	}
	if kind == "like" || kind == "metoo" {
		return kind
	}
	return ""
}
