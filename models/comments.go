package models

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"gorm.io/gorm"

	"doleances/models/pii"
)

// Limits on comments.
const (
	MaxCommentLen = 10_000
	MaxDepth      = 5
)

// commentMarkdown renders comments: like stories, but images become their
// alt text, headings become paragraphs and links get rel="nofollow ugc noopener".
var commentMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.Strikethrough, extension.Linkify, typographer),
	goldmark.WithParserOptions(parser.WithASTTransformers(
		util.Prioritized(urlGuard{}, 100),
		util.Prioritized(commentGuard{}, 200),
	)),
)

// commentText is the text a comment's Markdown shows, without its marks
// (a search snippet reads "lettre recommandée", not "*lettre recommandée*").
func commentText(src string) string {
	source := []byte(src)
	return plainText(commentMarkdown.Parser().Parse(text.NewReader(source)), source)
}

// RenderComment renders a comment's Markdown once, at save time, with
// personal data masked (as in stories; the text as typed stays in Body, for
// its writer). Company replies and follow-ups are rendered by it too.
func RenderComment(src string) (string, error) {
	return renderMasked(pii.Mask(src, nil))
}

// renderWriters are the buffered writers comments render through: given
// a plain bytes.Buffer, goldmark wraps it in a 4 kB bufio.Writer of its own
// at every render, the largest allocation of a comment's post.
var renderWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// renderMasked renders Markdown whose personal data is already masked.
func renderMasked(masked string) (string, error) {
	var buf bytes.Buffer
	w := renderWriters.Get().(*bufio.Writer)
	w.Reset(&buf)
	defer func() {
		w.Reset(nil) // let the pool hold no text
		renderWriters.Put(w)
	}()
	if err := commentMarkdown.Convert(typeset([]byte(masked)), w); err != nil {
		return "", err
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// published is a comment's text as readers get it, made once per save.
type published struct {
	HTML string
	// Masked is the Markdown with its personal data masked, which the
	// search index holds; nil when the body holds none (the index then
	// holds the body, and most rows carry no second copy).
	Masked *string
}

// publish renders body (a comment's text as typed) for readers.
func publish(body string) (published, error) {
	masked := pii.Mask(body, nil)
	html, err := renderMasked(masked)
	if err != nil {
		return published{}, fmt.Errorf("render comment: %w", err)
	}
	p := published{HTML: html}
	if masked != body {
		p.Masked = &masked
	}
	return p, nil
}

// set gives c the published text of body.
func (p published) set(c *Comment, body string) {
	c.Body, c.HTML, c.MaskedBody = body, p.HTML, p.Masked
}

type commentGuard struct{}

func (commentGuard) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var swap []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image, *ast.Heading:
			swap = append(swap, n)
		case *ast.Link:
			n.SetAttributeString("rel", []byte("nofollow ugc noopener"))
		case *ast.AutoLink:
			n.SetAttributeString("rel", []byte("nofollow ugc noopener"))
		}
		return ast.WalkContinue, nil
	})
	for _, n := range swap {
		var repl ast.Node
		if _, ok := n.(*ast.Image); ok {
			repl = ast.NewString(n.(*ast.Image).Text(reader.Source()))
		} else {
			p := ast.NewParagraph()
			p.SetLines(n.Lines())
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				p.AppendChild(p, c)
				c = next
			}
			repl = p
		}
		n.Parent().ReplaceChild(n.Parent(), n, repl)
	}
}

// CommentInput is a new comment. Status is decided by the caller's rules
// (moderation); the store only keeps the story's count in step.
type CommentInput struct {
	StoryID     uint
	ParentID    *uint
	UserID      *uint
	AuthorName  string
	AuthorEmail string
	AuthorURL   string
	Body        string
	Status      string
	CreatedAt   time.Time // zero: now
}

// AddComment saves a comment, attaching replies deeper than MaxDepth to the
// deepest allowed level, and counts it on the story if it is approved.
func (s *Store) AddComment(ctx context.Context, in CommentInput) (*Comment, error) {
	body := strings.TrimSpace(in.Body)
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return nil, &ValidationError{Fields: map[string]string{"body": "The comment is empty."}}
	case n > MaxCommentLen:
		return nil, &ValidationError{Fields: map[string]string{"body": tooLong("The comment is", n, MaxCommentLen)}}
	}
	pub, err := publish(body)
	if err != nil {
		return nil, err
	}
	if Blank(pub.HTML) {
		return nil, &ValidationError{Fields: map[string]string{"body": "The comment is empty."}}
	}
	c := &Comment{
		StoryID: in.StoryID, UserID: in.UserID, AuthorName: strings.TrimSpace(in.AuthorName),
		AuthorEmail: in.AuthorEmail, AuthorURL: in.AuthorURL, Status: in.Status, CreatedAt: in.CreatedAt.UTC(),
	}
	pub.set(c, body)
	if c.Status == "" {
		c.Status = CommentPending
	}
	if in.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var parent *Comment
		if in.ParentID != nil {
			p, err := loadParent(tx, in.StoryID, *in.ParentID)
			if err != nil {
				return err
			}
			parent = p
		}
		return insertComment(tx, c, parent)
	})
	if err != nil {
		return nil, fmt.Errorf("add comment to story %d: %w", in.StoryID, err)
	}
	return c, nil
}

// loadParent returns the comment id of story storyID, or ErrNotFound.
func loadParent(tx *gorm.DB, storyID, id uint) (*Comment, error) {
	var parent Comment
	if err := tx.Where("id = ? AND story_id = ?", id, storyID).Take(&parent).Error; err != nil {
		return nil, fmt.Errorf("parent comment %d: %w", id, notFound(err))
	}
	return &parent, nil
}

// insertComment saves c as a reply to parent (nil: top level), attaching
// replies deeper than MaxDepth to the deepest allowed level, and counts it on
// the story if it is approved.
func insertComment(tx *gorm.DB, c *Comment, parent *Comment) error {
	c.placeUnder(parent)
	if err := tx.Create(c).Error; err != nil || c.Status != CommentApproved {
		return err
	}
	return addCommentCount(tx, 1, c.StoryID)
}

// placeUnder makes c a reply to parent (nil: top level), or to parent's
// own parent when parent is at the deepest level allowed.
func (c *Comment) placeUnder(parent *Comment) {
	if parent == nil {
		return
	}
	if parent.Depth >= MaxDepth-1 {
		c.ParentID, c.Depth = parent.ParentID, parent.Depth
	} else {
		c.ParentID, c.Depth = &parent.ID, parent.Depth+1
	}
}

// addCommentCount adds n approved comments to the count of each story ids.
func addCommentCount(tx *gorm.DB, n int, ids ...uint) error {
	return tx.Model(&Story{}).Where("id IN ?", ids).
		UpdateColumn("comment_count", gorm.Expr("comment_count + ?", n)).Error
}

// recountComments sets the comment count of each story to its approved,
// not deleted comments: exact whatever moved in or out.
func recountComments(tx *gorm.DB, storyIDs ...uint) error {
	if len(storyIDs) == 0 {
		return nil
	}
	return tx.Model(&Story{}).Where("id IN ?", storyIDs).UpdateColumn("comment_count",
		gorm.Expr("(SELECT COUNT(*) FROM comments WHERE comments.story_id = stories.id AND status = ? AND deleted = ?)", CommentApproved, false)).Error
}

// Comments returns the approved comments of a story, oldest first, with
// their signed-in authors.
func (s *Store) Comments(ctx context.Context, storyID uint) ([]Comment, error) {
	var cs []Comment
	err := s.r.WithContext(ctx).Preload("User").
		Where("story_id = ? AND status = ?", storyID, CommentApproved).
		Order("created_at, id").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("comments of story %d: %w", storyID, err)
	}
	return cs, nil
}
