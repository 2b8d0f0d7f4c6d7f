package models

import (
	"context"
	"testing"
)

func TestUsersListsAdminsThenAuthorsThenReadersByName(t *testing.T) {
	s, _ := newTestStore(t)
	newUser(t, s, "zoe", RoleReader)
	newUser(t, s, "bob", RoleReader)
	newUser(t, s, "max", RoleAdmin)
	newUser(t, s, "ann", RoleAuthor)
	us, err := s.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range us {
		got = append(got, u.Handle)
	}
	want := []string{"max", "ann", "bob", "zoe"}
	if len(got) != len(want) {
		t.Fatalf("users %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("users %v, want %v", got, want)
		}
	}
}
