package models

import (
	"fmt"
	"strings"
)

// Limits on brackets and footnotes, counted as goldmark works on them.
const (
	// MaxBracketWork bounds the work of closing square brackets: at each
	// "]", goldmark walks everything between it and the last "[" still
	// open in the paragraph, so a thousand "[" closed by a thousand "]"
	// across a long paragraph cost 3 s. The work is counted in characters
	// walked; link texts of ordinary length cost their length once.
	MaxBracketWork = 1_000_000
	// MaxFootnoteWork bounds footnote definitions times footnote
	// references: goldmark looks for each reference ("[^1]") through the
	// whole list of definitions ("[^1]: ..."), so 4,000 of each cost 0.4 s.
	MaxFootnoteWork = 1_000_000
)

// bracketWork counts, line by line outside code blocks, the characters
// goldmark walks when it closes square brackets, and the footnote
// definitions and references it matches.
type bracketWork struct {
	opens    []int // offsets of the "[" still open in the paragraph
	offset   int   // offset of the line in the text
	work     int   // characters walked at each "]", in the whole text
	notes    int   // footnote definitions
	noteRefs int   // "[^": footnote references (and definitions)
}

// add counts one line of text; code says it is inside a fenced code block.
func (b *bracketWork) add(line string, code bool) {
	start := b.offset
	b.offset += len(line)
	if code {
		return
	}
	if strings.TrimSpace(line) == "" {
		b.opens = b.opens[:0]
		return
	}
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // an escaped bracket is text
		case '[':
			b.opens = append(b.opens, start+i)
			if strings.HasPrefix(line[i+1:], "^") {
				b.noteRefs++
				if isNoteDefinition(line[i+2:]) {
					b.notes++
				}
			}
		case ']':
			if n := len(b.opens); n > 0 {
				b.work += start + i - b.opens[n-1]
				b.opens = b.opens[:n-1]
			}
		}
	}
}

// isNoteDefinition reports whether rest, what follows a "[^", is the
// label and colon of a footnote definition: "label]:".
func isNoteDefinition(rest string) bool {
	i := strings.IndexAny(rest, "[]")
	return i > 0 && i < 1000 && rest[i] == ']' && strings.HasPrefix(rest[i+1:], ":")
}

// check returns a message when the brackets or footnotes would take too
// long to match up.
func (b *bracketWork) check() string {
	if b.work > MaxBracketWork {
		return "This text has square brackets [ ] that close far from where they open, in long paragraphs: " +
			"they take too long to read. Please close each [ soon after it (link texts short), " +
			"remove unmatched [ or ], or split long paragraphs."
	}
	if b.notes*b.noteRefs > MaxFootnoteWork {
		return fmt.Sprintf("This text has %d footnotes and %d footnote references: they take too long to match up. "+
			"Please use fewer footnotes or fewer references to them (footnotes times references at most %d).",
			b.notes, b.noteRefs, MaxFootnoteWork)
	}
	return ""
}
