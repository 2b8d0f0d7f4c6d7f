package models

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

func TestCompanyKey(t *testing.T) {
	for in, want := range map[string]string{
		"orange":             "orange",
		"  Orange S.A. ":     "orange",
		"ORANGE SA":          "orange",
		"Groupe Orange":      "orange",
		"Société Générale":   "societegenerale",
		"S.N.C.F.":           "sncf",
		"SNCF":               "sncf",
		"Vélib'":             "velib",
		"IKEA France SAS":    "ikeafrance",
		"Bouygues Telecom":   "bouyguestelecom",
		"BouyguesTelecom":    "bouyguestelecom",
		"Deutsche Bahn GmbH": "deutschebahn",
		"SA":                 "sa",
		"🙂":                  "",
	} {
		if got := CompanyKey(in); got != want {
			t.Errorf("CompanyKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"orange", "orange", 0}, {"orange", "oragne", 1}, {"orange", "orang", 1},
		{"orange", "oranges", 1}, {"orange", "prange", 1}, {"free", "fnac", 3}, {"", "abc", 3},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFindOrCreateCompany(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ids := map[string]uint{}
	for _, tt := range []struct {
		name, same string // same: an earlier name it must match, or ""
	}{
		{"orange", ""},
		{"Orange SA", "orange"},
		{"ORANGE", "orange"},
		{" Orange S.A. ", "orange"},
		{"Oragne", "orange"},
		{"Free", ""},
		{"Fnac", ""},
		{"Frée", "Free"},
		{"Fre", ""}, // short names need the exact key
		{"SFR", ""},
		{"SNCF", ""},
		{"S.N.C.F.", "SNCF"},
	} {
		c, err := s.FindOrCreateCompany(ctx, tt.name)
		if err != nil {
			t.Fatalf("%q: %v", tt.name, err)
		}
		ids[tt.name] = c.ID
		if tt.same != "" && c.ID != ids[tt.same] {
			t.Errorf("%q is company %d (%s), want %q's %d", tt.name, c.ID, c.Name, tt.same, ids[tt.same])
		}
		if tt.same == "" {
			for other, id := range ids {
				if other != tt.name && id == c.ID {
					t.Errorf("%q matched %q", tt.name, other)
				}
			}
		}
	}
	cs, err := s.Companies(ctx)
	if err != nil || len(cs) != 6 {
		t.Fatalf("%d companies, %v", len(cs), err)
	}
	if cs[0].Name != "Fnac" || *cs[0].Key != "fnac" {
		t.Errorf("first company: %+v", cs[0])
	}
	for _, bad := range []string{"  ", string(make([]rune, MaxCompanyNameLen+1))} {
		if _, err := s.FindOrCreateCompany(ctx, bad); fieldsOf(err)["company"] == "" {
			t.Errorf("company %q: %v", bad, err)
		}
	}
	if err := s.CreateCompany(ctx, &Company{Name: "Orange S.A.S."}); !errors.Is(err, ErrConflict) {
		t.Errorf("second Orange: %v", err)
	}
}

func TestMergeCompanies(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ana := newUser(t, s, "ana", RoleAuthor)
	company := func(name string) *Company {
		c := &Company{Name: name}
		if err := s.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	orange, ft, wanadoo := company("Orange"), company("France Télécom"), company("Wanadoo")
	for i, c := range []*Company{ft, ft, wanadoo} {
		id := c.ID
		if _, err := s.CreateStory(ctx, StoryInput{Title: "About " + c.Name, AuthorID: ana.ID, CompanyID: &id,
			Status: StatusPublished, PublishedAt: new(time.Now().Add(-time.Duration(i) * time.Hour))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MergeCompanies(ctx, wanadoo.ID, ft.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MergeCompanies(ctx, ft.ID, orange.ID); err != nil {
		t.Fatal(err)
	}
	p, err := s.PublishedStories(ctx, StoryFilter{CompanyID: orange.ID}, 1)
	if err != nil || p.Total != 3 {
		t.Errorf("Orange's stories: %d, %v", p.Total, err)
	}
	for _, old := range []string{"france-telecom", "wanadoo"} {
		if to, err := s.CompanyRedirect(ctx, old); err != nil || to != "orange" {
			t.Errorf("redirect %q = %q, %v", old, to, err)
		}
		if _, err := s.CompanyBySlug(ctx, old); !errors.Is(err, ErrNotFound) {
			t.Errorf("merged company %q still there: %v", old, err)
		}
	}
	if _, err := s.CompanyRedirect(ctx, "orange"); !errors.Is(err, ErrNotFound) {
		t.Errorf("redirect from a live slug: %v", err)
	}
	// The merged names still find Orange, typo included; their slugs stay taken.
	for _, name := range []string{"Wanadoo", "France Telecom SA", "France Telekom"} {
		if c, err := s.FindOrCreateCompany(ctx, name); err != nil || c.ID != orange.ID {
			t.Errorf("%q: %+v, %v", name, c, err)
		}
	}
	fresh := company("Wanadoo!")
	if fresh.Slug == "wanadoo" {
		t.Error("a new company took a merged company's slug")
	}
	for _, tt := range []struct {
		from, into uint
		want       error
	}{{orange.ID, orange.ID, ErrConflict}, {999, orange.ID, ErrNotFound}, {orange.ID, 999, ErrNotFound}} {
		if err := s.MergeCompanies(ctx, tt.from, tt.into); !errors.Is(err, tt.want) {
			t.Errorf("merge %d into %d: %v, want %v", tt.from, tt.into, err, tt.want)
		}
	}
}

// Companies saved before the key column existed get one when the store opens.
func TestBackfillCompanyKeys(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	for _, name := range []string{"Orange SA", "orange", "Fnac"} {
		if err := s.w.Exec("INSERT INTO companies (name, slug) VALUES (?, ?)", name, Slugify(name)).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := backfillCompanyKeys(s.w); err != nil {
		t.Fatal(err)
	}
	var keys []sql.NullString
	if err := s.r.Model(&Company{}).Order("id").Pluck("key", &keys).Error; err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 || keys[0].String != "orange" || keys[1].Valid || keys[2].String != "fnac" {
		t.Errorf("keys after backfill: %v", keys)
	}
	if c, err := s.FindOrCreateCompany(ctx, "ORANGE"); err != nil || c.Name != "Orange SA" {
		t.Errorf("ORANGE: %+v, %v", c, err)
	}
}
