package wxr

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Summary says what an import did (or, for a dry run, would do).
type Summary struct {
	DryRun bool
	// Counts of what was imported: authors, categories, tags, published
	// stories, drafts, approved comments, held comments, pictures, old
	// addresses.
	Authors, Categories, Tags, Published, Drafts, Approved, Held, Pictures, Paths int
	// Already counts the stories imported by an earlier run, left as they are.
	Already int
	// Skipped counts what was left out, by reason.
	Skipped map[string]int
	// Notes are things the person importing should know, each said once.
	Notes []string
}

func (s *Summary) skip(reason string) {
	if s.Skipped == nil {
		s.Skipped = map[string]int{}
	}
	s.Skipped[reason]++
}

func (s *Summary) note(msg string) {
	if !slices.Contains(s.Notes, msg) {
		s.Notes = append(s.Notes, msg)
	}
}

// Write prints the summary for a person.
func (s *Summary) Write(w io.Writer) {
	verb := "Imported"
	if s.DryRun {
		verb = "Would import (dry run, nothing written)"
	}
	fmt.Fprintf(w, "%s: %d authors, %d categories, %d tags, %d published stories, %d drafts, %d approved comments, %d held comments, %d pictures, %d old addresses.\n",
		verb, s.Authors, s.Categories, s.Tags, s.Published, s.Drafts, s.Approved, s.Held, s.Pictures, s.Paths)
	if s.Already > 0 {
		fmt.Fprintf(w, "Already imported by an earlier run, left as they are: %d stories.\n", s.Already)
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintln(w, "Skipped:")
		reasons := make([]string, 0, len(s.Skipped))
		for r := range s.Skipped {
			reasons = append(reasons, r)
		}
		slices.Sort(reasons)
		for _, r := range reasons {
			fmt.Fprintf(w, "  %5d  %s\n", s.Skipped[r], r)
		}
	}
	for _, n := range s.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
}

// String is the summary as Write prints it.
func (s *Summary) String() string {
	var b strings.Builder
	s.Write(&b)
	return b.String()
}
