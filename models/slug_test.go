package models

import (
	"context"
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Résilier chez Orange ?", "resilier-chez-orange"},
		{"Vélib' ate my fifteen euros", "velib-ate-my-fifteen-euros"},
		{"The IKEA delivery window that wasn’t", "the-ikea-delivery-window-that-wasnt"},
		{"« Vous êtes américaine ? »", "vous-etes-americaine"},
		{"Straße, Œuvre & Ærø", "strasse-oeuvre-and-aero"},
		{"Łódź, Zürich, São Paulo", "lodz-zurich-sao-paulo"},
		{"  --Hello__World--  ", "hello-world"},
		{"ＦＵＬＬ width", "full-width"},
		{"100 € in fees", "100-euros-in-fees"},
		{"", ""},
		{"🎉🎵💶", ""},
		{"?!…", ""},
		{"日本語のタイトル", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugifyBoundsLength(t *testing.T) {
	got := Slugify(strings.Repeat("interminable ", 30))
	if len(got) > maxSlugLen || strings.HasSuffix(got, "-") || !strings.HasPrefix(got, "interminable-") {
		t.Fatalf("long slug = %q (%d bytes)", got, len(got))
	}
	if strings.Contains(got, "interminabl-") {
		t.Fatalf("slug cut inside a word: %q", got)
	}
}

func TestStorySlugsAreUnique(t *testing.T) {
	s, _ := newTestStore(t)
	u := 0
	ctx := context.Background()
	u = int(newUser(t, s, "ana", RoleAuthor).ID)
	create := func(title string) string {
		t.Helper()
		st, err := s.CreateStory(ctx, StoryInput{Title: title, Body: "x", AuthorID: uint(u), Status: StatusPublished})
		if err != nil {
			t.Fatalf("create %q: %v", title, err)
		}
		return st.Slug
	}
	for _, want := range []string{"resilier-chez-orange", "resilier-chez-orange-2", "resilier-chez-orange-3"} {
		if got := create("Résilier chez Orange ?"); got != want {
			t.Errorf("slug = %q, want %q", got, want)
		}
	}
	if got := create("🎉🎉"); got != "story" {
		t.Errorf("emoji-only title slug = %q, want story", got)
	}
	if got := create("💶"); got != "story-2" {
		t.Errorf("second emoji-only title slug = %q, want story-2", got)
	}
	// A title that slugifies to a taken slug's prefix family still gets its own.
	if got := create("Résilier chez Orange 2"); got != "resilier-chez-orange-2-2" {
		t.Errorf("slug = %q, want resilier-chez-orange-2-2", got)
	}
}
