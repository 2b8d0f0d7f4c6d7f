package models

import (
	"fmt"
	"strings"
)

// Limits on the shape of Markdown. Goldmark takes time that grows with the
// square of some nestings (quotes or lists thousands deep, thousands of
// unclosed link destinations, tables of thousands of columns padded over
// thousands of rows): 100,000 characters of them take seconds to render.
// No story needs more than these; texts past them are refused with a
// message, before anything is rendered.
const (
	MaxNesting    = 32      // quote and list markers at the start of one line
	MaxLinks      = 2_000   // "](" in one text: links and images
	MaxTableCells = 200_000 // a table's columns times the text's lines
	// MaxEmphasisWork bounds the work of matching the runs of "*", "_" and
	// "~" (outside fenced code): goldmark looks for the opening run of each
	// closing one back through every run left open before it, so marks that
	// never pair up ("*a_*a_...") cost the square of their number: 5 s for
	// 33,000 in one paragraph. The work is counted as goldmark does it, one
	// step per open run passed, over the whole text; marks that pair up, as
	// in writing, cost one step each.
	MaxEmphasisWork = 1_000_000
)

// CheckMarkdown returns a message when src has a shape that would take too
// long to render; "" when it is fine.
func CheckMarkdown(src string) string {
	if n := strings.Count(src, "]("); n > MaxLinks {
		return fmt.Sprintf("This text has %d links or images; the limit is %d.", n, MaxLinks)
	}
	lines, cols := strings.Count(src, "\n")+1, 0
	var marks emphasisMarks
	var brackets bracketWork
	for line := range strings.Lines(src) {
		if d := nesting(line); d > MaxNesting {
			return fmt.Sprintf("A line nests quotes or lists %d deep; the limit is %d.", d, MaxNesting)
		}
		if n := delimiterCells(line); n > cols {
			cols = n
		}
		brackets.add(line, marks.fence != "")
		marks.add(line)
	}
	if cols*lines > MaxTableCells {
		return fmt.Sprintf("A table has %d columns in a text of %d lines: that is more than %d cells. Please make it smaller.", cols, lines, MaxTableCells)
	}
	if msg := brackets.check(); msg != "" {
		return msg
	}
	return marks.check()
}

// emphasisMarks estimates, as the lines of a text go by, the steps
// goldmark takes to pair its emphasis runs, paragraph by paragraph.
type emphasisMarks struct {
	fence string       // the fence of the code block the lines are in, or ""
	open  map[byte]int // runs of each mark left open in the paragraph
	total int          // all runs left open in the paragraph
	most  int          // the most runs left open in one paragraph
	work  int          // steps so far, in the whole text
}

// add counts line's runs, a blank line or a fence ending the paragraph.
func (m *emphasisMarks) add(line string) {
	trimmed := strings.TrimSpace(line)
	switch {
	case m.fence != "":
		if strings.HasPrefix(trimmed, m.fence) {
			m.fence = ""
		}
		return
	case strings.HasPrefix(trimmed, "```"), strings.HasPrefix(trimmed, "~~~"):
		m.fence = trimmed[:3]
		m.end()
		return
	case trimmed == "":
		m.end()
		return
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c != '*' && c != '_' && c != '~' {
			continue
		}
		start := i
		for i+1 < len(line) && line[i+1] == c {
			i++
		}
		var before, after byte = ' ', ' '
		if start > 0 {
			before = line[start-1]
		}
		if i+1 < len(line) {
			after = line[i+1]
		}
		m.run(c, before, after)
	}
}

// run counts one run of mark c between the bytes before and after it,
// which may open or close emphasis by CommonMark's flanking rules.
func (m *emphasisMarks) run(c, before, after byte) {
	if m.open == nil {
		m.open = map[byte]int{}
	}
	left := !isBlank(after) && (!isPunct(after) || isBlank(before) || isPunct(before))
	right := !isBlank(before) && (!isPunct(before) || isBlank(after) || isPunct(after))
	canOpen, canClose := left, right
	if c == '_' {
		canOpen = left && (!right || isPunct(before))
		canClose = right && (!left || isPunct(after))
	}
	if canClose { // goldmark looks back for an opener, past every open run
		m.work += m.total + 1
		if m.open[c] > 0 {
			m.open[c]--
			m.total--
			return
		}
	}
	if canOpen {
		m.open[c]++
		m.total++
	}
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func isPunct(b byte) bool { return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", b) >= 0 }

// end closes the paragraph counted so far.
func (m *emphasisMarks) end() {
	m.most = max(m.most, m.total)
	clear(m.open)
	m.total = 0
}

// check returns a message when the marks would take too long to pair up.
func (m *emphasisMarks) check() string {
	m.end()
	if m.work <= MaxEmphasisWork {
		return ""
	}
	return fmt.Sprintf("This text has too many emphasis marks (*, _ or ~) that are never closed (%d in one paragraph): "+
		"they take too long to read. Please close them, split long paragraphs, or use fewer marks.", m.most)
}

// nesting counts the quote (">") and list ("-", "*", "+", "1.", "1)")
// markers that open a line.
func nesting(line string) int {
	d, i := 0, 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		switch {
		case i < len(line) && line[i] == '>':
			i++
		case i+1 < len(line) && strings.IndexByte("-*+", line[i]) >= 0 && (line[i+1] == ' ' || line[i+1] == '\t'):
			i += 2
		default:
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == i || j+1 >= len(line) || (line[j] != '.' && line[j] != ')') || (line[j+1] != ' ' && line[j+1] != '\t') {
				return d
			}
			i = j + 2
		}
		d++
	}
}

// delimiterCells is the number of columns of a line that can be a table's
// delimiter row ("|---|:--:|"), or 0.
func delimiterCells(line string) int {
	line = strings.TrimSpace(line)
	if !strings.Contains(line, "-") || !strings.Contains(line, "|") {
		return 0
	}
	for _, r := range line {
		if r != '|' && r != '-' && r != ':' && r != ' ' && r != '\t' {
			return 0
		}
	}
	return strings.Count(strings.Trim(line, "|"), "|") + 1
}
