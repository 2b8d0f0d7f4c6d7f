package handlers

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Who may use a route is said where the route is registered (routes.go),
// never inside its handler: every route is added through a group that
// carries its requirement as middleware, and the handlers of signed-in
// groups receive the user. The router records each route with its Access,
// so that the authorization test refuses a route added without one.

// Access is who may use a route, as the route table records it.
type Access string

const (
	// Anyone may use the route; what a visitor sees is up to its handler.
	Anyone Access = "anyone"
	// SignedIn routes refuse visitors without a session, each group in
	// its own way (a sign-in page that brings them back, a 401, a 404).
	SignedIn Access = "signed-in"
	// StoryEditor routes act on the story of :slug: its author and admins
	// may; for everyone else the story does not exist (404).
	StoryEditor Access = "story-editor"
	// Admin routes do not exist for anyone but admins (404).
	Admin Access = "admin"
)

// Route is a registered route and who may use it.
type Route struct {
	Method, Path string
	Access       Access
}

// userHandler is the handler of a signed-in route: it gets the user.
type userHandler func(c *fiber.Ctx, u *models.User) error

// storyHandler is the handler of a StoryEditor route: it gets the user
// and the story they may change.
type storyHandler func(c *fiber.Ctx, u *models.User, st *models.Story) error

// router adds routes to app in groups, and records them.
type router struct {
	app    fiber.Router
	routes []Route
}

// group is routes under one requirement: its middleware runs before each
// of their handlers (and only theirs, unlike fiber's Group, whose
// middleware would apply to every later route under its prefix).
type group struct {
	r      *router
	access Access
	mw     []fiber.Handler
}

func (g group) add(method, path string, h fiber.Handler) {
	hs := append(slices.Clip(g.mw), h)
	if method == fiber.MethodGet {
		g.r.app.Get(path, hs...) // and HEAD, which Add alone leaves out
	} else {
		g.r.app.Add(method, path, hs...)
	}
	g.r.routes = append(g.r.routes, Route{Method: method, Path: path, Access: g.access})
}

// public is a group of routes anyone may use.
type public struct{ group }

func (r *router) anyone() public { return public{group{r: r, access: Anyone}} }

func (p public) get(path string, h fiber.Handler)  { p.add(fiber.MethodGet, path, h) }
func (p public) post(path string, h fiber.Handler) { p.add(fiber.MethodPost, path, h) }

// users is a group of routes for signed-in people (or only admins).
type users struct{ group }

// signedIn is the group of routes for signed-in people; visitors without a
// session get refuse.
func (r *router) signedIn(refuse fiber.Handler) users {
	return users{group{r: r, access: SignedIn, mw: []fiber.Handler{func(c *fiber.Ctx) error {
		if currentSession(c) == nil {
			return refuse(c)
		}
		return c.Next()
	}}}}
}

// admins is the group of the admin pages, which do not exist for anyone
// else: a 404, as for an address that was never there.
func (r *router) admins() users {
	return users{group{r: r, access: Admin, mw: []fiber.Handler{func(c *fiber.Ctx) error {
		if s := currentSession(c); s == nil || !isAdmin(&s.User) {
			return fiber.ErrNotFound
		}
		return c.Next()
	}}}}
}

func (u users) get(path string, h userHandler)  { u.add(fiber.MethodGet, path, withUser(h)) }
func (u users) post(path string, h userHandler) { u.add(fiber.MethodPost, path, withUser(h)) }

// withUser adapts h: the group's middleware made sure there is a session.
func withUser(h userHandler) fiber.Handler {
	return func(c *fiber.Ctx) error { return h(c, &currentSession(c).User) }
}

// storyFinder finds the story of slug if userID may change it (its author,
// or an admin), else models.ErrNotFound.
type storyFinder func(ctx context.Context, slug string, userID uint) (*models.Story, error)

// editors is a group of routes acting on the story of :slug.
type editors struct {
	users
	find storyFinder
}

// stories narrows the group to the routes on the story of :slug, loaded
// by find for the user: a draft's existence is never revealed to others.
func (u users) stories(find storyFinder) editors {
	u.access = StoryEditor
	return editors{users: u, find: find}
}

func (e editors) get(path string, h storyHandler)  { e.add(fiber.MethodGet, path, e.withStory(h)) }
func (e editors) post(path string, h storyHandler) { e.add(fiber.MethodPost, path, e.withStory(h)) }

func (e editors) withStory(h storyHandler) fiber.Handler {
	return withUser(func(c *fiber.Ctx, u *models.User) error {
		st, err := e.find(c.UserContext(), c.Params("slug"), u.ID)
		if err != nil {
			return err
		}
		return h(c, u, st)
	})
}

// isAdmin, moderates and publishes are the handlers' only rules about
// roles (the store applies its own to every write).
func isAdmin(u *models.User) bool { return u.Role == models.RoleAdmin }

// moderates says whether u may moderate the comments of st: its author, or an admin.
func moderates(u *models.User, st *models.Story) bool {
	return u != nil && (isAdmin(u) || u.ID == st.AuthorID)
}

// publishes says whether u's stories are published without a review.
func publishes(u *models.User) bool { return u != nil && u.Role != models.RoleReader }

// What visitors without a session get on the routes that need one.

// signIn sends the visitor to the sign-in page, which brings them back to
// the address back gives (or answers back's error: a 404 for an address
// that does not exist, even for visitors).
func signIn(back func(c *fiber.Ctx) (string, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		to, err := back(c)
		if err != nil {
			return err
		}
		return c.Redirect("/login?next="+nextEscaper.Replace(to), fiber.StatusSeeOther)
	}
}

// backTo is always path.
func backTo(path string) func(*fiber.Ctx) (string, error) {
	return func(*fiber.Ctx) (string, error) { return path, nil }
}

// backHere is the page asked for; backHereAsked keeps its query string too.
func backHere(c *fiber.Ctx) (string, error)      { return c.Path(), nil }
func backHereAsked(c *fiber.Ctx) (string, error) { return c.OriginalURL(), nil }

// backToComment is the address of a comment's page, if :id can be one.
func backToComment(c *fiber.Ctx) (string, error) {
	_, err := idParam(c)
	return c.Path(), err
}

// backToReported is the story of a reported comment, named by the form.
func backToReported(c *fiber.Ctx) (string, error) {
	_, err := idParam(c)
	return "/stories/" + url.PathEscape(formLine(c, "slug")), err
}

// backToReaction is the story of a like or "me too" a guest pressed, with
// the reaction named (react=), so that once signed in they are offered to
// make it with one press (a POST, with their session's token), or with
// none when the page's script sends it.
func (h *reactions) backToReaction(c *fiber.Ctx) (string, error) {
	to, err := h.backToStory(c)
	if err != nil || c.FormValue("on") == "0" {
		return to, err
	}
	kind := "like"
	if strings.HasSuffix(c.Path(), "/metoo") {
		kind = "metoo"
	}
	return to + "?react=" + kind + "#reactions", nil
}

// pendingCookie remembers, for half an hour, the reaction a guest pressed
// ("like:slug"): coming back signed in, the story's script sends it by
// itself. Only this browser's own press sets it (cross-site posts are
// refused before), so a link with react= in it merely offers the button.
const pendingCookie = "doleances_react"

// guestPressed answers a guest's like or "me too": sign in, then back to
// the story with the reaction offered (see backToReaction, pendingCookie).
func (h *reactions) guestPressed(c *fiber.Ctx) error {
	to, err := h.backToReaction(c)
	if err != nil {
		return err
	}
	if _, kind, ok := strings.Cut(to, "?react="); ok {
		kind = strings.TrimSuffix(kind, "#reactions")
		c.Cookie(&fiber.Cookie{Name: pendingCookie, Value: kind + ":" + c.Params("slug"), Path: "/stories/",
			MaxAge: 1800, HTTPOnly: true, Secure: h.secure, SameSite: fiber.CookieSameSiteLaxMode})
	}
	return c.Redirect("/login?next="+nextEscaper.Replace(to), fiber.StatusSeeOther)
}

// backToStory is the published story of :slug, at its current address.
func (h *reactions) backToStory(c *fiber.Ctx) (string, error) {
	st, err := h.store.PublishedStory(c.UserContext(), c.Params("slug"))
	if err != nil {
		return "", err
	}
	return "/stories/" + st.Slug, nil
}

// backToLink is /me, where linking starts, for a provider the site has.
func (a *auth) backToLink(c *fiber.Ctx) (string, error) {
	_, err := a.provider(c)
	return "/me", err
}

// pleaseSignIn is the 401 page of the account's forms.
func pleaseSignIn(*fiber.Ctx) error {
	return &PageError{Status: fiber.StatusUnauthorized, Heading: "Please sign in",
		Message: "This page belongs to a signed-in account.", LinkURL: "/login?next=/me", LinkText: "Sign in"}
}

func notFound(*fiber.Ctx) error     { return fiber.ErrNotFound }
func unauthorized(*fiber.Ctx) error { return fiber.ErrUnauthorized }

// signedOut gives the editor back, filled, to a person whose session ended
// before they sent it, with a way to sign in again: the text is never lost.
func (w *writing) signedOut(c *fiber.Ctx) error {
	return w.renderEditor(c, fiber.StatusUnauthorized, EditorPage{Action: c.Path(), Form: readForm(c), SignedOut: true})
}
