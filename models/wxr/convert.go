package wxr

import (
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/microcosm-cc/bluemonday"
)

// A WordPress body becomes the Markdown an author could have typed here:
//  1. block-editor comments (<!-- wp:... -->) are dropped; a body without
//     them is classic-editor HTML, which WordPress shows through wpautop;
//  2. [caption] becomes a picture followed by its caption in italics,
//     [embed] and a URL alone on its line (oEmbed) become links;
//  3. the HTML is sanitized (bluemonday's policy for user content: no
//     script, style, iframe, event handler or javascript: URL);
//  4. html-to-markdown writes it as Markdown, which the store then renders
//     and checks as it does typed text.

var (
	blockComment = regexp.MustCompile(`<!--\s*/?wp:[^>]*?-->`)
	captionCode  = regexp.MustCompile(`(?s)\[caption[^\]]*\](.*?)\[/caption\]`)
	imgTag       = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	embedCode    = regexp.MustCompile(`\[embed[^\]]*\]\s*(https?://[^\s\[<]+)\s*\[/embed\]`)
	urlLine      = regexp.MustCompile(`(?m)^[ \t]*(https?://[^\s<>"]+)[ \t]*$`)
	attrTitle    = regexp.MustCompile(`\stitle="[^"]*"`)
)

// policy is bluemonday's policy for user-generated content, built once
// (a policy is safe for concurrent use once built).
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	// UGCPolicy allows alt and title only in plain ASCII punctuation, which
	// drops “curly quotes” and accents: any text is safe there, escaped.
	p.AllowAttrs("alt", "title").OnElements("img")
	p.AllowAttrs("title").OnElements("a", "abbr")
	return p
})

// markdown converts sanitized HTML to the Markdown of this site (GFM:
// tables and strikethrough too). Two lists in a row are written without
// the "<!--THE END-->" comment that would keep them apart: an author here
// could not have typed it, and lists of two kinds stay apart anyway.
var markdown = sync.OnceValue(func() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(commonmark.WithListEndComment(false)),
		table.NewTablePlugin(),
		strikethrough.NewStrikethroughPlugin(),
	))
})

// blockSpace is white space beside block tags, which the converter would
// keep as blank lines (making "<li>two\n<ul>" a loose list).
var blockSpace = regexp.MustCompile(`(?i)\s*(</?(?:ul|ol|li|p|blockquote|h[1-6]|table|thead|tbody|tr|td|th|div|figure|figcaption|hr)\b[^>]*>)\s*`)

// BodyMarkdown turns a post's HTML into Markdown.
func BodyMarkdown(body string) string {
	return toMarkdown(prepare(body))
}

// CommentMarkdown turns a comment's HTML into Markdown: WordPress shows
// comments through wpautop too.
func CommentMarkdown(body string) string {
	return toMarkdown(Autop(body))
}

// prepare applies steps 1 and 2 to a post body.
func prepare(body string) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	blocks := blockComment.MatchString(body)
	body = blockComment.ReplaceAllString(body, "")
	body = captionCode.ReplaceAllStringFunc(body, caption)
	body = embedCode.ReplaceAllString(body, "\n$1\n")
	body = urlLine.ReplaceAllStringFunc(body, func(line string) string {
		u := strings.TrimSpace(line)
		return `<a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + `</a>`
	})
	if !blocks {
		body = Autop(body)
	}
	return body
}

// caption turns [caption]<a><img></a> text[/caption] into the image, with
// the caption as its title, and the caption in italics below it.
func caption(code string) string {
	inner := captionCode.FindStringSubmatch(code)[1]
	img := imgTag.FindString(inner)
	if img == "" {
		return inner
	}
	text := strings.TrimSpace(imgTag.ReplaceAllString(stripTags(inner), ""))
	if text == "" {
		return img
	}
	img = attrTitle.ReplaceAllString(img, "")
	titled := strings.Replace(img, "<img", `<img title="`+html.EscapeString(text)+`"`, 1)
	// Keep the link around the picture: stripTags removed it from the text.
	if open := strings.Index(inner, "<a"); open >= 0 && open < strings.Index(inner, "<img") {
		end := strings.Index(inner, "</a>")
		if end > 0 {
			titled = inner[open:strings.Index(inner, "<img")] + titled + "</a>"
		}
	}
	return "\n\n" + titled + "\n\n<em>" + html.EscapeString(text) + "</em>\n\n"
}

var anyTag = regexp.MustCompile(`(?s)<[^>]*>`)

// stripTags removes the tags of s but the <img> ones.
func stripTags(s string) string {
	return anyTag.ReplaceAllStringFunc(s, func(t string) string {
		if imgTag.MatchString(t) {
			return t
		}
		return ""
	})
}

// toMarkdown sanitizes h and converts it to Markdown.
func toMarkdown(h string) string {
	clean := policy().Sanitize(h)
	clean = outsidePre(clean, func(s string) string { return blockSpace.ReplaceAllString(s, "$1") })
	md, err := markdown().ConvertString(clean)
	if err != nil {
		// The converter fails only on broken HTML it cannot parse, which the
		// sanitizer does not produce; the text without tags is kept then.
		return strings.TrimSpace(html.UnescapeString(anyTag.ReplaceAllString(clean, "")))
	}
	return strings.TrimSpace(tightLists(md))
}

// nestedAfterBlank is a list item's line, a line of spaces, and a nested
// list's first item: the converter's way of writing "<li>two<ul>", which
// makes the whole list loose (each item a paragraph).
var nestedAfterBlank = regexp.MustCompile(`(?m)^([ \t]*(?:[-*+]|\d+[.)]) .*)\n[ \t]+\n([ \t]+(?:[-*+]|\d+[.)]) )`)

// tightLists takes out the line of spaces before a nested list.
func tightLists(md string) string {
	for range 3 { // matches cannot overlap: a few passes reach the nested ones
		md = nestedAfterBlank.ReplaceAllString(md, "$1\n$2")
	}
	return md
}

// outsidePre applies f to the parts of h outside <pre> blocks.
func outsidePre(h string, f func(string) string) string {
	var b strings.Builder
	for {
		loc := preBlock.FindStringIndex(h)
		if loc == nil {
			b.WriteString(f(h))
			return b.String()
		}
		b.WriteString(f(h[:loc[0]]))
		b.WriteString(h[loc[0]:loc[1]])
		h = h[loc[1]:]
	}
}
