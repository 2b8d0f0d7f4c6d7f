package wxr

import (
	"html"
	"regexp"
	"strings"
	"sync"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
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
	md, err := htmltomarkdown.ConvertString(clean)
	if err != nil {
		// The converter fails only on broken HTML it cannot parse, which the
		// sanitizer does not produce; the text without tags is kept then.
		return strings.TrimSpace(html.UnescapeString(anyTag.ReplaceAllString(clean, "")))
	}
	return strings.TrimSpace(md)
}
