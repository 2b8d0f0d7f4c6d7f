package models

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"doleances/models/pii"
)

// excerptLen is the length, in characters, of a story's excerpt.
const excerptLen = 280

// storyMarkdown renders stories: GFM, footnotes, heading ids, raw HTML
// dropped (goldmark's default, never WithUnsafe), unsafe URLs removed.
var storyMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote, typographer),
	goldmark.WithParserOptions(
		parser.WithAutoHeadingID(),
		parser.WithASTTransformers(util.Prioritized(urlGuard{}, 100)),
	),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(pictureRenderer{}, 100))),
)

// typographer writes curly quotes and apostrophes, dashes and ellipses
// (goldmark's Typographer) as the characters themselves, not as entities:
// the excerpts and the search index read the same text as the page.
var typographer = extension.NewTypographer(extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation]string{
	extension.LeftSingleQuote: "‘", extension.RightSingleQuote: "’", extension.LeftDoubleQuote: "“",
	extension.RightDoubleQuote: "”", extension.EnDash: "–", extension.EmDash: "—", extension.Ellipsis: "…",
	extension.LeftAngleQuote: "«", extension.RightAngleQuote: "»", extension.Apostrophe: "’",
}))

// frenchSpaces holds French quotes to their words: the spaces inside « »
// become no-break spaces, so that a line never ends on « nor starts on ».
var frenchSpaces = regexp.MustCompile(`«[ \t]+|[ \t]+»`)

// typeset prepares a Markdown source for rendering (see frenchSpaces).
func typeset(source []byte) []byte {
	if !bytes.Contains(source, []byte("«")) && !bytes.Contains(source, []byte("»")) {
		return source
	}
	return frenchSpaces.ReplaceAllFunc(source, func(m []byte) []byte {
		if m[0] == ' ' || m[0] == '\t' {
			return []byte("\u00a0»")
		}
		return []byte("«\u00a0")
	})
}

// Rendered is Markdown turned into stored HTML plus a plain-text excerpt.
type Rendered struct {
	HTML    string
	Excerpt string
	Text    string // all the text, for the search index
}

// RenderStory renders a story's Markdown body once, at save time, with
// every piece of personal data in it masked (see models/pii).
func RenderStory(src string) (Rendered, error) { return RenderStoryShowing(src, nil) }

// RenderStoryShowing is RenderStory leaving unmasked the texts in shown
// that may be shown (never an IBAN or a card number).
func RenderStoryShowing(src string, shown []string) (Rendered, error) {
	return renderMarkdown([]byte(pii.Mask(src, pii.Showing(shown))))
}

// RenderPage renders the admins' own pages (the legal pages), where
// contact details are meant to be published: nothing is masked.
func RenderPage(src string) (Rendered, error) { return renderMarkdown([]byte(src)) }

func renderMarkdown(source []byte) (Rendered, error) {
	source = typeset(source)
	doc := storyMarkdown.Parser().Parse(text.NewReader(source))
	var buf bytes.Buffer
	if err := storyMarkdown.Renderer().Render(&buf, source, doc); err != nil {
		return Rendered{}, err
	}
	return Rendered{HTML: buf.String(), Excerpt: excerpt(doc, source, excerptLen), Text: plainText(doc, source)}, nil
}

// urlGuard blanks every link and image destination whose scheme is not on
// the allowlist (javascript:, vbscript:, data:, file: and any other), and turns
// such autolinks into plain text.
type urlGuard struct{}

func (urlGuard) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var bad []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !safeDestination(n.Destination) {
				n.Destination = nil
			}
		case *ast.Image:
			if !safeDestination(n.Destination) {
				n.Destination = nil
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && !SafeURL(string(n.URL(reader.Source()))) {
				bad = append(bad, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		label := n.(*ast.AutoLink).Label(reader.Source())
		n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(label))
	}
}

// safeDestination checks a link destination as the browser will see it:
// after backslash escapes and character references are resolved.
func safeDestination(d []byte) bool {
	resolved := util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(d)))
	return SafeURL(string(d)) && SafeURL(string(resolved))
}

// SafeURL reports whether u may be used as a link or image address: a
// relative URL, or an absolute one with the http, https, mailto or tel scheme.
// Whitespace and control characters are ignored the way browsers ignore them.
func SafeURL(u string) bool {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || unicode.IsSpace(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, u)
	i := strings.IndexAny(clean, ":/?#")
	if i < 0 || clean[i] != ':' {
		return true // no scheme: relative
	}
	switch strings.ToLower(clean[:i]) {
	case "http", "https", "mailto", "tel":
		return true
	}
	return false
}

// excerpt collects the text of the document's paragraphs, up to n characters,
// cut at a word boundary.
func excerpt(doc ast.Node, source []byte, n int) string {
	var b strings.Builder
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if b.Len() > n*4 {
			return ast.WalkStop, nil
		}
		switch node.Kind() {
		case ast.KindHeading, ast.KindFencedCodeBlock, ast.KindCodeBlock, extast.KindFootnoteList, extast.KindTable, ast.KindImage, extast.KindFootnoteLink:
			return ast.WalkSkipChildren, nil
		case ast.KindParagraph, ast.KindTextBlock, ast.KindListItem:
			if !entering && b.Len() > 0 {
				b.WriteByte(' ')
			}
		case ast.KindText:
			if entering {
				t := node.(*ast.Text)
				b.Write(t.Segment.Value(source))
				if t.SoftLineBreak() || t.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case ast.KindString:
			if entering {
				b.Write(node.(*ast.String).Value)
			}
		case ast.KindAutoLink:
			if entering {
				b.Write(node.(*ast.AutoLink).Label(source))
			}
		}
		return ast.WalkContinue, nil
	})
	return truncate(strings.Join(strings.Fields(b.String()), " "), n)
}

// truncate cuts s to at most n characters at a word boundary, adding "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-–—") + "…"
}

// SafeURLAbsolute reports whether u is an absolute http or https URL, as a
// guest's website must be.
func SafeURLAbsolute(u string) bool {
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && SafeURL(u) &&
		!strings.ContainsAny(u, " \t\r\n\"'<>")
}
