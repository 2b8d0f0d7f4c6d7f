package models

import (
	"context"
	"errors"
	"testing"
)

// Long texts refuse only what turns the text around; what is harmless in a
// paragraph (a soft hyphen, a zero-width space pasted from a page) stays.
func TestStoryBodyRefusesDirectionOverrides(t *testing.T) {
	s, _ := newTestStore(t)
	u := newUser(t, s, "ana", RoleAuthor)
	for body, refused := range map[string]bool{
		"Le prix\u202E00,01\u202C€": true, "Le mot \u2067caché\u2069": true, "dés\u00ADabonnement": false, "a\u200Bb": false,
	} {
		_, err := s.CreateStory(context.Background(), StoryInput{Title: "Titre", Body: body, AuthorID: u.ID, Status: StatusDraft})
		var verr *ValidationError
		if got := errors.As(err, &verr) && verr.Fields["body"] != ""; got != refused {
			t.Errorf("story body %q: refused %v, want %v (%v)", body, got, refused, err)
		}
	}
}

func TestSkeletonAndNameKey(t *testing.T) {
	for in, want := range map[string]string{"ＡＤＭＩＮ": "admin", "Àdm1n": "admin", "Dоléаnces": "doieances", "a\u200Bd": "ad", "cornet": "comet"} {
		if got := skeleton(in); got != want {
			t.Errorf("skeleton(%q) = %q, want %q", in, got, want)
		}
	}
	if nameKey("Télécom") != nameKey(" TELECOM") || nameKey("🚆") != nameKey("🚆") || nameKey("🚆") == nameKey("✈") {
		t.Error("nameKey does not compare names as read")
	}
}
