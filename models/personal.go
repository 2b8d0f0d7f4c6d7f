package models

import (
	"slices"
	"strings"

	"doleances/models/pii"
)

// ShownIn keeps, of the texts a writer asked to show, those that body
// holds as personal data that may be shown, without repeats, one a line
// (the form of Story.ShownPII). A text no longer in the story is dropped,
// so that a later paste of the same number is masked again.
func ShownIn(body string, want []string) string {
	if len(want) == 0 {
		return ""
	}
	var keep []string
	for _, m := range pii.Find(body) {
		if m.MayShow() && slices.Contains(want, m.Text) && !slices.Contains(keep, m.Text) {
			keep = append(keep, m.Text)
		}
	}
	return strings.Join(keep, "\n")
}

// SplitShown is the list of texts in a ShownPII column.
func SplitShown(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Detected is a piece of personal data found in a text, as the editor
// lists it.
type Detected struct {
	pii.Match
	Shown bool // the writer chose to publish it as it is
}

// DetectPII lists the personal data in body, each marked shown if it is
// among shown and may be.
func DetectPII(body string, shown []string) []Detected {
	ms := pii.Find(body)
	out := make([]Detected, len(ms))
	for i, m := range ms {
		out[i] = Detected{Match: m, Shown: m.MayShow() && slices.Contains(shown, m.Text)}
	}
	return out
}
