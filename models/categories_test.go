package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCategories(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	var cats []*Category
	for i, name := range []string{"Telecom", "Banking", "Housing"} {
		c := &Category{Name: name, Position: 3 - i}
		if err := s.CreateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
		cats = append(cats, c)
	}
	tel, bank, housing := cats[0], cats[1], cats[2]
	got, err := s.Categories(ctx)
	if err != nil || len(got) != 3 || got[0].Name != "Housing" || got[2].Name != "Telecom" {
		t.Fatalf("categories: %+v, %v", got, err)
	}
	for _, tt := range []struct {
		name  string
		in    CategoryInput
		field string
	}{
		{"empty name", CategoryInput{Name: " "}, "name"},
		{"long name", CategoryInput{Name: strings.Repeat("n", 101)}, "name"},
		{"bad slug", CategoryInput{Name: "Bank", Slug: "Bank Stuff"}, "slug"},
		{"taken slug", CategoryInput{Name: "Bank", Slug: "telecom"}, "slug"},
		{"long description", CategoryInput{Name: "Bank", Description: strings.Repeat("d", 1001)}, "description"},
	} {
		if _, err := s.UpdateCategory(ctx, bank.ID, tt.in); fieldsOf(err)[tt.field] == "" {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if err := s.CreateCategory(ctx, &Category{Name: ""}); fieldsOf(err)["name"] == "" {
		t.Errorf("category without a name: %v", err)
	}
	up, err := s.UpdateCategory(ctx, bank.ID, CategoryInput{Name: " Banks & insurance ", Description: "Money.", Position: -1})
	if err != nil || up.Slug != "banks-and-insurance" || up.Name != "Banks & insurance" {
		t.Fatalf("update: %+v, %v", up, err)
	}
	if got, _ := s.Categories(ctx); got[0].ID != bank.ID || got[0].Description != "Money." {
		t.Errorf("after update: %+v", got[0])
	}
	if _, err := s.UpdateCategory(ctx, 999, CategoryInput{Name: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update unknown: %v", err)
	}

	// Deleting a category leaves its stories their other categories.
	st := newStory(t, s, newUser(t, s, "ana", RoleAuthor), "Two sections", time.Time{}, tel.ID, housing.ID)
	if err := s.DeleteCategory(ctx, tel.ID); err != nil {
		t.Fatal(err)
	}
	page, err := s.PublishedStory(ctx, st.Slug)
	if err != nil || len(page.Categories) != 1 || page.Categories[0].ID != housing.ID {
		t.Errorf("story after delete: %+v, %v", page.Categories, err)
	}
	if err := s.DeleteCategory(ctx, tel.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}
