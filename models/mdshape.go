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
)

// CheckMarkdown returns a message when src has a shape that would take too
// long to render; "" when it is fine.
func CheckMarkdown(src string) string {
	if n := strings.Count(src, "]("); n > MaxLinks {
		return fmt.Sprintf("This text has %d links or images; the limit is %d.", n, MaxLinks)
	}
	lines, cols := strings.Count(src, "\n")+1, 0
	for line := range strings.Lines(src) {
		if d := nesting(line); d > MaxNesting {
			return fmt.Sprintf("A line nests quotes or lists %d deep; the limit is %d.", d, MaxNesting)
		}
		if n := delimiterCells(line); n > cols {
			cols = n
		}
	}
	if cols*lines > MaxTableCells {
		return fmt.Sprintf("A table has %d columns in a text of %d lines: that is more than %d cells. Please make it smaller.", cols, lines, MaxTableCells)
	}
	return ""
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
