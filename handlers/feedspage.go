package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// FeedsPage lists the site's feeds and explains how to follow them.
type FeedsPage struct {
	Layout
}

// feedList serves /feeds, the page for people who have never used RSS.
func (p *pages) feedList(c *fiber.Ctx) error {
	l, err := p.layout(c, tr(c, "Follow the stories by RSS or Atom"), "/feeds", "/feed")
	if err != nil {
		return err
	}
	l.Description = tr(c, "Every list of %s has a feed: follow new stories, a category, a company, an author, a tag or the comments in a feed reader.", p.site.Name)
	return p.render(c, fiber.StatusOK, "feeds", FeedsPage{Layout: l})
}
