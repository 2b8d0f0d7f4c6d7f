package handlers

import "testing"

func TestCleanText(t *testing.T) {
	tests := []struct {
		in, line, text string
	}{
		{"plain", "plain", "plain"},
		{"Résilié à Vélib'", "Résilié à Vélib'", "Résilié à Vélib'"},
		{"a\r\nb\rc\nd", "a b c d", "a\nb\nc\nd"},
		{"tab\there", "tab here", "tab\there"},
		{"nul\x00 bell\x07 esc\x1b del\x7f", "nul bell esc del", "nul bell esc del"},
		{"c1\u0085\u009b end", "c1 end", "c1 end"},
		{"bad \xff\xfe utf8 \xc3", "bad \uFFFD utf8 \uFFFD", "bad \uFFFD utf8 \uFFFD"}, // one U+FFFD a run
		{"emoji 😤 and \u200d joiner", "emoji 😤 and \u200d joiner", "emoji 😤 and \u200d joiner"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, false); got != tt.line {
			t.Errorf("cleanText(%q, line) = %q, want %q", tt.in, got, tt.line)
		}
		if got := cleanText(tt.in, true); got != tt.text {
			t.Errorf("cleanText(%q, text) = %q, want %q", tt.in, got, tt.text)
		}
	}
}

func BenchmarkCleanTextClean(b *testing.B) {
	s := "Une histoire de box résiliée, trois mois d'attente.\n"
	for len(s) < 100_000 {
		s += s
	}
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		cleanText(s, true)
	}
}
