package models

import (
	"fmt"
	"strings"
	"testing"
)

// fillTo repeats unit up to n bytes.
func fillTo(unit string, n int) string {
	return strings.Repeat(unit, n/len(unit))
}

// shapeCase is a text and whether CheckMarkdown must refuse it.
type shapeCase struct {
	src     string
	refused bool
}

// pathological are texts of the story limit's size, each made of one
// construct that makes a Markdown parser work hard: emphasis and
// strikethrough runs that never match, link and image brackets, backtick
// runs, autolinks, entities, footnotes, nesting, tables. refused says
// whether CheckMarkdown must refuse it (else it must render, fast: see
// BenchmarkRenderWorstCase).
func pathological() map[string]shapeCase {
	n := MaxBodyLen
	var ticks strings.Builder
	for i := 1; ticks.Len() < n-500; i++ {
		ticks.WriteString(strings.Repeat("`", i%200+1) + "a")
	}
	out := map[string]shapeCase{}
	for _, u := range []string{"*a_", "_a*", "~a_", "_a~", "*a~", "~a*"} {
		out["emphasis "+u] = shapeCase{fillTo(u, n), true}
	}
	for _, u := range []string{"**a", "*a ", "a* ", "_*", "~a", "a~", "*a* ", "_a_ ", "[*a", "![*_", "[", "[a", "![", "]", "[a][", "[^a]", "`a", "<", "<a", "<http://a ", "&#", "&amp;", "&a",
		"www.a ", "http://a ", "a@b.c ", "a\\", "a\n", "a ", "|a", "\n|a|\n|-|\n"} {
		out["other "+u] = shapeCase{fillTo(u, n), false}
	}
	out["backtick runs"] = shapeCase{ticks.String(), false}
	out["brackets closed far away"] = shapeCase{brackets(990, fillTo("a\n", n-1980)), true}
	out["brackets around emphasis"] = shapeCase{brackets(990, fillTo("*a ", n-1980)), true}
	out["footnotes times references"] = shapeCase{footnotes(3_000, "[^zz] ", 8_000), true}
	out["nested quotes and lists"] = shapeCase{fillTo(strings.Repeat("> - ", MaxNesting/2)+"x\n", n), false}
	return out
}

// brackets is k "[", then inner, then k "]": every "]" walks inner.
func brackets(k int, inner string) string {
	return strings.Repeat("[", k) + inner + strings.Repeat("]", k)
}

// footnotes is k footnote definitions, then ref repeated refs times.
func footnotes(k int, ref string, refs int) string {
	var b strings.Builder
	for i := range k {
		fmt.Fprintf(&b, "[^%d]: A note.\n", i)
	}
	b.WriteString("\n")
	b.WriteString(strings.Repeat(ref, refs))
	return b.String()
}

// atShapeLimits are texts just inside the limits on emphasis, brackets
// and footnotes, the rest of the story plain prose, and long stories
// written as people write: many links, footnotes and italics.
func atShapeLimits() map[string]string {
	prose := "The call centre put me on hold again, and *again*, for an hour.\n\n"
	one := strings.Repeat("~a_", 1300) + "\n\n"
	var many strings.Builder
	for range 100 {
		many.WriteString(strings.Repeat("*a_", 130) + "\n\n")
	}
	return map[string]string{
		"one paragraph":   one + fillTo(prose, MaxBodyLen-len(one)),
		"many paragraphs": many.String() + fillTo(prose, MaxBodyLen-many.Len()),
		"italic prose":    fillTo("Then *she* said the _refund_ was **on its way**, ~~again~~.\n", MaxBodyLen),
		// 10 "[" each walking the whole rest: MaxBracketWork.
		"brackets at the limit": brackets(10, fillTo("*a ", MaxBracketWork/10-20)),
		// 100 definitions times 100 + 9,900 "[^": MaxFootnoteWork.
		"footnotes at the limit": footnotes(100, "[^99]", 9_900),
		"many links":             fillTo("See [the complaint form](https://example.com/form?id=1), then [call them](tel:+33123) again, and again.\n", MaxBodyLen),
		"a linked paragraph":     fillTo("[Their whole answer, "+strings.Repeat("word ", 400)+"was a template](https://example.com).\n", MaxBodyLen),
		"many footnotes":         notedStory(300),
	}
}

// notedStory is a story of prose citing n footnotes twice each, with
// their definitions at the end, up to the story limit.
func notedStory(n int) string {
	var text, notes strings.Builder
	for i := range n {
		fmt.Fprintf(&text, "They promised a refund[^%d], twice[^%d], and a [callback][cb].\n\n", i, i)
		fmt.Fprintf(&notes, "[^%d]: Letter of %d March, see [the scan](https://example.com/%d).\n", i, i%28+1, i)
	}
	notes.WriteString("\n[cb]: https://example.com/callback\n")
	return fillTo("A long wait.\n\n", MaxBodyLen-text.Len()-notes.Len()) + text.String() + notes.String()
}

// Each pathological text is refused by the shape check or renders; the
// marks of ordinary writing, even a whole story of them, are not refused.
func TestPathologicalMarkdownIsRefusedOrRenders(t *testing.T) {
	for name, tc := range pathological() {
		msg := CheckMarkdown(tc.src)
		if (msg != "") != tc.refused {
			t.Errorf("%s: CheckMarkdown = %q, want refused %v", name, msg, tc.refused)
		}
		if msg != "" {
			continue
		}
		if _, err := RenderStory(tc.src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, src := range atShapeLimits() {
		if msg := CheckMarkdown(src); msg != "" {
			t.Errorf("%s: refused: %s", name, msg)
		}
	}
	over := strings.Repeat("*a_", 1500)
	if msg := CheckMarkdown(over); !strings.Contains(msg, "emphasis marks") {
		t.Errorf("one paragraph over the limit: %q", msg)
	}
	if msg := CheckMarkdown(brackets(11, fillTo("a ", MaxBracketWork/10))); !strings.Contains(msg, "square brackets") {
		t.Errorf("brackets over the limit: %q", msg)
	}
	if msg := CheckMarkdown(footnotes(101, "[^1]", 9_900)); !strings.Contains(msg, "101 footnotes") {
		t.Errorf("footnotes over the limit: %q", msg)
	}
	code := "```\n" + fillTo("p_a_b_c *x* ~y~\n", MaxBodyLen-8) + "```\n"
	if msg := CheckMarkdown(code); msg != "" {
		t.Errorf("marks in a fenced code block are counted: %s", msg)
	}
}

// BenchmarkRenderWorstCase renders every text of pathological that the
// check accepts, and the texts at the emphasis limit, beside plain prose
// ("other a "): none may cost much more than prose of the same length, the
// target being ~100 ms for 100,000 characters.
func BenchmarkRenderWorstCase(b *testing.B) {
	cases := atShapeLimits()
	for name, tc := range pathological() {
		if !tc.refused {
			cases[name] = tc.src
		}
	}
	for name, src := range cases {
		b.Run(name, func(b *testing.B) {
			if msg := CheckMarkdown(src); msg != "" {
				b.Fatal(msg)
			}
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := RenderStory(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
