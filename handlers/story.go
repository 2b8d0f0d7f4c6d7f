package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// StoryPage is a story with its comments and links to other stories.
type StoryPage struct {
	Layout
	Story      *models.Story
	Prev, Next *models.StoryLink
	Related    []models.StoryLink
	Comments   []*CommentNode
	// CanEdit shows the Edit link to the author and admins; visitors
	// without a session never see it, so their page stays the same for all.
	CanEdit bool
}

// CommentNode is a comment with its replies.
type CommentNode struct {
	models.Comment
	Replies []*CommentNode
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
	sp := StoryPage{Story: st}
	if sess := currentSession(c); sess != nil {
		sp.CanEdit = sess.UserID == st.AuthorID || sess.User.Role == models.RoleAdmin
	}
	if sp.Prev, sp.Next, err = r.store.Neighbours(ctx, st); err != nil {
		return err
	}
	if sp.Related, err = r.store.Related(ctx, st, 4); err != nil {
		return err
	}
	comments, err := r.store.Comments(ctx, st.ID)
	if err != nil {
		return err
	}
	sp.Comments = threads(comments)
	path := "/stories/" + st.Slug
	if sp.Layout, err = r.layout(c, st.Title, path, path+"/feed"); err != nil {
		return err
	}
	sp.Feeds[0].Title = "Comments on “" + st.Title + "” (RSS)"
	sp.Feeds[1].Title = "Comments on “" + st.Title + "” (Atom)"
	sp.Description = st.Excerpt
	storyMeta(&sp.Layout, st)
	return r.render(c, fiber.StatusOK, "story", sp)
}

// threads arranges comments, oldest first, into trees of replies. A reply
// whose parent is not shown (held, deleted) is shown at the top level.
func threads(cs []models.Comment) []*CommentNode {
	nodes := make(map[uint]*CommentNode, len(cs))
	var roots []*CommentNode
	for i := range cs {
		nodes[cs[i].ID] = &CommentNode{Comment: cs[i]}
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
