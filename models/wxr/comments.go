package wxr

import (
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"doleances/models"
)

// comments returns a post's comments to import, parents before replies: a
// reply whose parent is skipped (or missing) answers the story itself.
// Approved comments stay approved and pending ones are held; spam, trash,
// post-trashed, pingbacks and trackbacks are skipped.
func (im *importer) comments(it *Item, posted time.Time) ([]models.ImportComment, error) {
	wp := slices.Clone(it.Comments)
	slices.SortStableFunc(wp, func(a, b Comment) int { return number(a.ID) - number(b.ID) })
	var out []models.ImportComment
	index := map[string]int{} // WordPress comment id -> index in out
	kept := make([]*models.ImportComment, len(wp))
	for i := range wp {
		c, ok, err := im.comment(&wp[i], posted)
		if err != nil {
			return nil, err
		}
		if ok {
			kept[i] = &c
		}
	}
	// Place comments whose parent is placed (or gone), until none moves:
	// files list replies after their parents, but need not.
	placed := make([]bool, len(wp))
	for moved := true; moved; {
		moved = false
		for i, c := range kept {
			if c == nil || placed[i] {
				continue
			}
			parent := strings.TrimSpace(wp[i].Parent)
			p, parentPlaced := index[parent]
			if parent != "0" && parent != "" && !parentPlaced && im.waits(wp, kept, placed, parent) {
				continue
			}
			c.Parent = -1
			if parentPlaced {
				c.Parent = p
			}
			index[strings.TrimSpace(wp[i].ID)] = len(out)
			out = append(out, *c)
			placed[i], moved = true, true
		}
	}
	return out, nil
}

// waits says whether the parent comment is kept and not placed yet.
func (im *importer) waits(wp []Comment, kept []*models.ImportComment, placed []bool, parent string) bool {
	for j := range wp {
		if strings.TrimSpace(wp[j].ID) == parent {
			return kept[j] != nil && !placed[j]
		}
	}
	return false
}

func number(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// comment converts one comment; ok is false when it is skipped. A comment
// without a date takes the post's.
func (im *importer) comment(c *Comment, posted time.Time) (models.ImportComment, bool, error) {
	switch strings.TrimSpace(c.Type) {
	case "", "comment":
	case "pingback", "trackback":
		im.sum.skip("pingbacks and trackbacks (links other blogs left, not comments)")
		return models.ImportComment{}, false, nil
	default:
		im.sum.skip("comments of type " + c.Type)
		return models.ImportComment{}, false, nil
	}
	var status string
	switch strings.TrimSpace(c.Approved) {
	case "1", "approve", "approved":
		status = models.CommentApproved
	case "0", "hold":
		status = models.CommentPending
	default: // spam, trash, post-trashed
		im.sum.skip("comments marked spam or in the trash")
		return models.ImportComment{}, false, nil
	}
	body := CommentMarkdown(c.Content)
	if msg := models.CheckCommentBody(body); msg != "" {
		im.sum.skip("comments that break this site's rules: " + msg)
		return models.ImportComment{}, false, nil
	}
	at := im.date(c.DateGMT, c.Date)
	if at.IsZero() {
		at = posted
	}
	out := models.ImportComment{Body: body, Status: status, CreatedAt: at, IP: truncate(strings.TrimSpace(c.AuthorIP), 45)}
	if login, ok := im.loginByID[strings.TrimSpace(c.UserID)]; ok && c.UserID != "0" {
		id, err := im.user(login)
		if err != nil {
			return out, false, err
		}
		if im.write {
			out.UserID = &id
		}
	}
	if out.UserID == nil {
		out.AuthorName, out.AuthorEmail, out.AuthorURL = models.GuestFields(html.UnescapeString(anyTag.ReplaceAllString(c.Author, "")), strings.TrimSpace(c.AuthorEmail), strings.TrimSpace(c.AuthorURL))
	}
	return out, true, nil
}
