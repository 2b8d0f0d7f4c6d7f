package wxr

import (
	"regexp"
	"strconv"
	"strings"
)

// allBlocks are the block-level tags of WordPress's wpautop.
const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

var (
	blockOpen    = regexp.MustCompile(`(?i)(<` + allBlocks + `[\s/>])`)
	blockClose   = regexp.MustCompile(`(?i)(</` + allBlocks + `>)`)
	hrTag        = regexp.MustCompile(`(?i)(<hr\s*?/?>)`)
	blankLines   = regexp.MustCompile(`\n\s*\n`)
	emptyPara    = regexp.MustCompile(`<p>\s*</p>`)
	paraAround   = regexp.MustCompile(`(?i)<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	paraLi       = regexp.MustCompile(`(?is)<p>(<li.+?)</p>`)
	paraQuote    = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	paraBefore   = regexp.MustCompile(`(?i)<p>\s*(</?` + allBlocks + `[^>]*>)`)
	paraAfter    = regexp.MustCompile(`(?i)(</?` + allBlocks + `[^>]*>)\s*</p>`)
	brAfterBlock = regexp.MustCompile(`(?i)(</?` + allBlocks + `[^>]*>)\s*<br />`)
	brBeforeTag  = regexp.MustCompile(`(?i)<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	preBlock     = regexp.MustCompile(`(?is)<pre[\s>].*?</pre>`)
)

// Autop is WordPress's wpautop: text separated by blank lines becomes
// paragraphs, single line breaks become <br />, and block-level tags are
// left out of paragraphs. <pre> blocks are kept as they are.
func Autop(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if !strings.Contains(s, "<") {
		return plainAutop(s)
	}
	// Keep <pre> out of the rewriting, as WordPress does.
	var pres []string
	s = preBlock.ReplaceAllStringFunc(s, func(p string) string {
		pres = append(pres, p)
		return "<pre wp-pre-tag-" + strconv.Itoa(len(pres)-1) + "></pre>"
	})
	s += "\n"
	s = hrTag.ReplaceAllString(s, "\n$1\n\n")
	s = blockOpen.ReplaceAllString(s, "\n\n$1")
	s = blockClose.ReplaceAllString(s, "$1\n\n")
	var b strings.Builder
	for _, chunk := range blankLines.Split(s, -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		b.WriteString("<p>" + chunk + "</p>\n")
	}
	s = b.String()
	s = emptyPara.ReplaceAllString(s, "")
	s = paraAround.ReplaceAllString(s, "$1")
	s = paraLi.ReplaceAllString(s, "$1")
	s = paraQuote.ReplaceAllString(s, "<blockquote$1><p>")
	s = strings.ReplaceAll(s, "</blockquote></p>", "</p></blockquote>")
	s = paraBefore.ReplaceAllString(s, "$1")
	s = paraAfter.ReplaceAllString(s, "$1")
	s = lineBreaks(s)
	s = brAfterBlock.ReplaceAllString(s, "$1")
	s = brBeforeTag.ReplaceAllString(s, "$1")
	for i, p := range pres {
		s = strings.Replace(s, "<pre wp-pre-tag-"+strconv.Itoa(i)+"></pre>", p, 1)
	}
	return s
}

// lineBreaks turns every line break into <br />, as wpautop does before
// taking back those that follow or precede a block tag.
func lineBreaks(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines[:len(lines)-1] {
		l := strings.TrimRight(lines[i], " \t")
		if !strings.HasSuffix(l, "<br />") && !strings.HasSuffix(l, "<br>") {
			l += "<br />"
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n") + "\n"
}

// plainAutop is Autop for text without tags (most comments), without the
// dozen passes over it that tags need.
func plainAutop(s string) string {
	var b strings.Builder
	for _, chunk := range blankLines.Split(s, -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(chunk, "\n", "<br />\n") + "</p>\n")
	}
	return b.String()
}
