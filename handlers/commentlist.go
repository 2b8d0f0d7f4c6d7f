package handlers

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"doleances/models"
)

// keptComment is a comment's HTML as kept between writes: its head, and
// its actions as a visitor sees them and as a signed-in reader who did not
// write it sees them, cut around that reader's CSRF token.
type keptComment struct {
	head                  template.HTML
	visitor               string
	readerPre, readerPost string
}

// csrfStandIn takes the place of the viewer's CSRF token in the kept
// actions. Upper case: no slug or number rendered beside it can hold it.
const csrfStandIn = "CSRF-STAND-IN"

// CommentHead is the data of the head of a comment: the comment, and
// whether the story's author wrote it (a badge says so).
type CommentHead struct {
	*models.Comment
	ByAuthor bool
}

// keepComment renders what of n is the same for every viewer of a kind.
func (r *reading) keepComment(n *CommentNode) (keptComment, error) {
	var k keptComment
	var b strings.Builder
	head := CommentHead{Comment: &n.Comment, ByAuthor: n.UserID != nil && n.View.AuthorID != 0 && *n.UserID == n.View.AuthorID}
	if err := r.views.Partial(&b, n.View.Lang, "commenthead", head); err != nil {
		return k, fmt.Errorf("render comment %d: %w", n.ID, err)
	}
	k.head = template.HTML(b.String()) //nolint:gosec // an html/template partial's output
	slug := n.View.Slug
	for _, v := range []*CommentView{{Slug: slug, Lang: n.View.Lang}, {Slug: slug, CSRF: csrfStandIn, SignedIn: true, Lang: n.View.Lang}} {
		b.Reset()
		if err := r.views.Partial(&b, n.View.Lang, "commentactions", &CommentNode{Comment: n.Comment, View: v}); err != nil {
			return k, fmt.Errorf("render comment %d's actions: %w", n.ID, err)
		}
		if !v.SignedIn {
			k.visitor = b.String()
			continue
		}
		pre, post, found := strings.Cut(b.String(), csrfStandIn)
		if found && strings.Contains(post, csrfStandIn) {
			return k, fmt.Errorf("comment %d's actions hold the CSRF stand-in twice", n.ID)
		}
		k.readerPre, k.readerPost = pre, post
		if !found {
			k.readerPre, k.readerPost = b.String(), ""
		}
	}
	return k, nil
}

// writeComments writes the trees of comments as the viewer sees them: the
// kept parts, and the actions on the viewer's own comments rendered anew
// (whether they may still edit depends on the time).
func (r *reading) writeComments(b *strings.Builder, gen uint64, nodes []*CommentNode) error {
	for _, n := range nodes {
		k, err := r.heads.getAt(gen, commentKey{n.ID, n.View.Lang}, func() (keptComment, error) { return r.keepComment(n) })
		if err != nil {
			return err
		}
		b.WriteString(string(k.head))
		switch {
		case n.Own || n.View.SignedIn && n.View.CSRF == "":
			if err := r.views.Partial(b, n.View.Lang, "commentactions", n); err != nil {
				return fmt.Errorf("render comment %d's actions: %w", n.ID, err)
			}
		case n.View.SignedIn:
			b.WriteString(k.readerPre)
			if k.readerPost != "" {
				template.HTMLEscape(b, []byte(n.View.CSRF))
				b.WriteString(k.readerPost)
			}
		default:
			b.WriteString(k.visitor)
		}
		b.WriteString("\n  </article>\n  ")
		if len(n.Replies) > 0 {
			b.WriteString(`<ol class="replies">`)
			if err := r.writeComments(b, gen, n.Replies); err != nil {
				return err
			}
			b.WriteString("</ol>")
		}
		b.WriteString("\n</li>")
	}
	return nil
}

// readerComments returns the comments cs of st as a signed-in reader who
// wrote none of them sees them, in language lang, cut at that reader's CSRF
// token (nil when there are none): the same for every such reader, so kept
// per story as read and language, and written with each one's token.
func (r *reading) readerComments(gen uint64, st *models.Story, lang string, cs []models.Comment) ([]string, error) {
	return r.lists.getAt(gen, storyLang{st, lang}, func() ([]string, error) {
		mark := shellMarks[slotCSRF]
		view := &CommentView{Slug: st.Slug, CSRF: mark, SignedIn: true, AuthorID: st.AuthorID, Lang: lang}
		var b strings.Builder
		if err := r.writeComments(&b, gen, threads(cs, view, 0, time.Time{})); err != nil || b.Len() == 0 {
			return nil, err
		}
		return strings.Split(b.String(), mark), nil
	})
}

// wroteAny says whether user uid wrote one of cs (a held one included:
// the list is then theirs alone).
func wroteAny(cs []models.Comment, uid uint) bool {
	for i := range cs {
		if cs[i].UserID != nil && *cs[i].UserID == uid {
			return true
		}
	}
	return false
}

// writeCut writes parts with token, escaped, between each two.
func writeCut(w io.StringWriter, parts []string, token string) {
	tok := template.HTMLEscapeString(token)
	for i, p := range parts {
		if i > 0 {
			_, _ = w.WriteString(tok)
		}
		_, _ = w.WriteString(p)
	}
}
