package handlers

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// ShareLinks are the plain links (no script, no tracker) that the author
// of a story just published sees under it.
type ShareLinks struct {
	URL, Title, Email, X, Facebook string
}

// shareLinks are the links to share st, whose address is base + its path.
func shareLinks(base string, st *models.Story) *ShareLinks {
	u := base + "/stories/" + st.Slug
	return &ShareLinks{URL: u, Title: st.Title,
		Email:    "mailto:?subject=" + mailEscape(st.Title) + "&body=" + mailEscape(st.Title+"\n\n"+u),
		X:        "https://x.com/intent/post?text=" + mailEscape(st.Title) + "&url=" + url.QueryEscape(u),
		Facebook: "https://www.facebook.com/sharer/sharer.php?" + url.Values{"u": {u}}.Encode()}
}

// mailEscape escapes s for a query, spaces as %20: mail programs show a
// "+" in a mailto: link as it is.
func mailEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// instanceRe is a Mastodon server's host name: letters, digits, dots and
// dashes, with at least one dot.
var instanceRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// shareMastodon is GET /stories/{slug}/share/mastodon?instance=host: the
// share form of the reader's own Mastodon server, filled with the story's
// title and address. Only a published story's own link is sent on, so the
// address cannot carry someone else's text to a server.
func (r *reading) shareMastodon(c *fiber.Ctx) error {
	st, err := r.store.PublishedStory(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	host := strings.ToLower(strings.TrimSpace(c.Query("instance")))
	host = strings.TrimPrefix(strings.TrimPrefix(host, "https://"), "@")
	if i := strings.LastIndex(host, "@"); i >= 0 { // "name@mastodon.social" names the server too
		host = host[i+1:]
	}
	host = strings.TrimSuffix(host, "/")
	if len(host) > 253 || !instanceRe.MatchString(host) {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusBadRequest).SendString(tr(c, "Please type the address of your Mastodon server, such as mastodon.social."))
	}
	text := st.Title + " " + r.site.BaseURL + "/stories/" + st.Slug
	return c.Redirect("https://"+host+"/share?"+url.Values{"text": {text}}.Encode(), fiber.StatusSeeOther)
}

// countRead is POST /stories/{slug}/read, which a reader's browser sends
// once the story is on screen (static/reads.js), without cookies: it
// counts the read once per address and day (see models.CountRead). The
// page itself stays the same for every visitor, and cached.
func (r *reading) countRead(c *fiber.Ctx) error {
	id, err := r.store.PublishedStoryID(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if _, err := r.store.CountRead(c.UserContext(), id, clientIP(c)); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendStatus(fiber.StatusNoContent)
}
