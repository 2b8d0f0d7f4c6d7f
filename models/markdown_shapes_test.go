package models

import (
	"strings"
	"testing"
)

func TestCheckMarkdown(t *testing.T) {
	table := func(cols, rows int) string {
		return "|" + strings.Repeat("a|", cols) + "\n|" + strings.Repeat("-|", cols) + "\n" + strings.Repeat("|a\n", rows)
	}
	tests := []struct {
		name, src string
		refused   bool
	}{
		{"a story", "# Title\n\n> a quote\n> - in a list\n\n1. one\n2. [two](https://a.example)\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n", false},
		{"quotes 10,000 deep", strings.Repeat(">", 10_000) + " deep", true},
		{"quotes 32 deep", strings.Repeat("> ", MaxNesting) + "x", false},
		{"quotes 33 deep", strings.Repeat("> ", MaxNesting+1) + "x", true},
		{"lists 10,000 deep", strings.Repeat("- ", 10_000) + "x", true},
		{"ordered lists", strings.Repeat("1. ", MaxNesting+1) + "x", true},
		{"quotes in lists", strings.Repeat("> - ", 5_000) + "x", true},
		{"a quote per line", strings.Repeat(">\n", 50_000), false},
		{"unclosed links", strings.Repeat("[a](", MaxLinks+1), true},
		{"images", strings.Repeat("![a](", MaxLinks+1), true},
		{"links at the limit", strings.Repeat("[a](b) ", MaxLinks), false},
		{"a wide table", table(5_000, 1_000), true},
		{"a long table", table(10, 10_000), false},
		{"ascii art", strings.Repeat("+--+--+\n|  |  |\n", 3_000), false},
		{"dashes alone", strings.Repeat("---\n", 10_000), false},
	}
	for _, tt := range tests {
		if msg := CheckMarkdown(tt.src); (msg != "") != tt.refused {
			t.Errorf("%s: CheckMarkdown = %q, want refused %v", tt.name, msg, tt.refused)
		}
	}
}

// worstAccepted are 100,000-character texts just inside the limits of
// CheckMarkdown, in the shapes that are slow to render: rendering them is
// what BenchmarkRenderWorstAccepted measures.
func worstAccepted() map[string]string {
	fill := func(unit string) string { return strings.Repeat(unit, MaxBodyLen/len(unit)) }
	return map[string]string{
		"nesting": fill(strings.Repeat("> ", MaxNesting) + "x\n"),
		"links":   strings.Repeat("[a](", MaxLinks) + fill("a ")[:MaxBodyLen-4*MaxLinks],
		"table":   "|" + strings.Repeat("a|", 4) + "\n|" + strings.Repeat("-|", 4) + "\n" + fill("|a\n"),
		"quotes":  fill(">\n"),
	}
}

// Every text the check accepts renders; a refused one is never rendered.
func TestWorstAcceptedRender(t *testing.T) {
	for name, src := range worstAccepted() {
		if msg := CheckMarkdown(src); msg != "" {
			t.Fatalf("%s: refused: %s", name, msg)
		}
		if _, err := RenderStory(src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func BenchmarkRenderWorstAccepted(b *testing.B) {
	for name, src := range worstAccepted() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := RenderStory(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderRefused renders, for comparison, texts that CheckMarkdown
// refuses: what one POST cost before it (seconds each; run with -benchtime 1x).
func BenchmarkRenderRefused(b *testing.B) {
	for name, src := range map[string]string{
		"quotes": strings.Repeat(">", MaxBodyLen),
		"links":  strings.Repeat("[a](", MaxBodyLen/4),
		"nested": strings.Repeat("> - ", MaxBodyLen/4),
	} {
		b.Run(name, func(b *testing.B) {
			if CheckMarkdown(src) == "" {
				b.Fatal("accepted")
			}
			for b.Loop() {
				RenderStory(src)
			}
		})
	}
}

func BenchmarkCheckMarkdown(b *testing.B) {
	src := worstAccepted()["nesting"]
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		CheckMarkdown(src)
	}
}
