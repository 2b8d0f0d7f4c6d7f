package models

import (
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
	out["nested quotes and lists"] = shapeCase{fillTo(strings.Repeat("> - ", MaxNesting/2)+"x\n", n), false}
	return out
}

// atEmphasisLimit are texts just inside the emphasis limit: one paragraph
// of marks that never match, or many paragraphs whose squares add up to it,
// the rest of the story plain prose.
func atEmphasisLimit() map[string]string {
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
	}
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
	for name, src := range atEmphasisLimit() {
		if msg := CheckMarkdown(src); msg != "" {
			t.Errorf("%s: refused: %s", name, msg)
		}
	}
	over := strings.Repeat("*a_", 1500)
	if msg := CheckMarkdown(over); !strings.Contains(msg, "emphasis marks") {
		t.Errorf("one paragraph over the limit: %q", msg)
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
	cases := atEmphasisLimit()
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
