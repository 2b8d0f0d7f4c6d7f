package models

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// PictureSizesAttr is the sizes attribute of a picture in a story: the
// full width of a phone, at most the story column (about 720 CSS pixels).
const PictureSizesAttr = "(max-width: 760px) 100vw, 720px"

// pictureRenderer renders images. This site's own pictures get their
// smaller sizes in srcset, their width and height (so that the page does
// not jump as they arrive) and loading="lazy"; other images get
// loading="lazy" alone. It replaces goldmark's image renderer.
type pictureRenderer struct{}

func (pictureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, renderPicture)
}

func renderPicture(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(n.Destination, true)))
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(altText(n, source))))
	_ = w.WriteByte('"')
	if ref, ok := ParseMediaURL(string(n.Destination)); ok {
		_, _ = w.WriteString(` srcset="` + ref.SrcSet() + `" sizes="` + PictureSizesAttr + `" width="` +
			strconv.Itoa(ref.W) + `" height="` + strconv.Itoa(ref.H) + `"`)
	}
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(n.Title))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(` loading="lazy" decoding="async">`)
	return ast.WalkSkipChildren, nil
}

// altText is the text of an image's description, without its Markdown.
func altText(n ast.Node, source []byte) string {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(util.UnescapePunctuations(c.Segment.Value(source)))
			case *ast.String:
				b.Write(c.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// MissingAlt returns a message when a picture in a story's Markdown has no
// description (the text between the brackets of ![...](...)): readers who
// cannot see it, and search engines, get nothing else.
func MissingAlt(body string) string {
	if utf8.RuneCountInString(body) > MaxBodyLen || CheckMarkdown(body) != "" {
		return "" // refused for its size or shape, before anything parses it (see StoryInput.Validate)
	}
	source := []byte(body)
	doc := storyMarkdown.Parser().Parse(text.NewReader(source))
	missing := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && altText(img, source) == "" {
			missing++
		}
		return ast.WalkContinue, nil
	})
	switch missing {
	case 0:
		return ""
	case 1:
		return "A picture in your story has no description: write what it shows between the brackets, ![like this](…), for readers who cannot see it."
	}
	return strconv.Itoa(missing) + " pictures in your story have no description: write what each shows between the brackets, ![like this](…), for readers who cannot see them."
}

// AltProblems are the messages, by editor field, of a story about to be
// shown to readers whose pictures or cover lack a description; nil when
// there is none.
func AltProblems(body, cover, coverAlt string) map[string]string {
	errs := map[string]string{}
	if msg := MissingAlt(body); msg != "" {
		errs["body"] = msg
	}
	if cover != "" && strings.TrimSpace(coverAlt) == "" {
		errs["cover"] = "Describe the cover picture for readers who cannot see it."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
