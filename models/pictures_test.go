package models

import (
	"context"
	"strings"
	"testing"
)

func TestPictureSizesNeverUpscaleAndFollowFromTheLargest(t *testing.T) {
	for _, c := range []struct {
		w, h int
		want []PictureSize
	}{
		{4000, 3000, []PictureSize{{480, 360}, {960, 720}, {1600, 1200}}},
		{1000, 333, []PictureSize{{480, 160}, {960, 320}, {1000, 333}}},
		{300, 900, []PictureSize{{300, 900}}},
	} {
		got := PictureSizesOf(PictureStory, c.w, c.h)
		if len(got) != len(c.want) {
			t.Fatalf("%d × %d: %v, want %v", c.w, c.h, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%d × %d: %v, want %v", c.w, c.h, got, c.want)
			}
		}
	}
}

func TestParseMediaURLTakesOnlyTheSitesPictures(t *testing.T) {
	name := strings.Repeat("ab", 16)
	if r, ok := ParseMediaURL("/media/" + name + "/1600x1067.jpg"); !ok || r.W != 1600 || r.H != 1067 || r.Ext != "jpg" {
		t.Errorf("got %+v %v", r, ok)
	}
	for _, bad := range []string{"https://evil.example/media/" + name + "/1x1.jpg", "/media/" + name + "/1x1.svg",
		"/media/" + name[:31] + "/1x1.jpg", "/media/" + name + "/1x1.jpg?x", "/media/../" + name + "/1x1.jpg", "javascript:/media/" + name + "/1x1.jpg"} {
		if _, ok := ParseMediaURL(bad); ok {
			t.Errorf("%q taken as a picture of the site", bad)
		}
	}
}

// TestPictureAccessFollowsPublication: a story picture is public once a
// published story shows it; a logo always; a replaced logo is orphaned.
func TestPictureAccessFollowsPublication(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u := newUser(t, s, "alice", RoleAuthor)
	pic := &Picture{Name: NewPictureName(), OwnerID: u.ID, Kind: PictureStory, Ext: "jpg", Width: 960, Height: 640}
	pic.Files = pic.Name + "/480x320.jpg," + pic.Name + "/960x640.jpg"
	must(t, s.AddPicture(ctx, pic))
	url := "/media/" + pic.Name + "/960x640.jpg"
	st, err := s.CreateStory(ctx, StoryInput{Title: "Draft", Body: "![a letter](" + url + ")", AuthorID: u.ID})
	must(t, err)
	if _, public, err := s.PictureAccess(ctx, pic.Name); err != nil || public {
		t.Fatalf("a draft's picture: public %v, %v", public, err)
	}
	_, err = s.SubmitStory(ctx, st.ID, u.ID)
	must(t, err)
	if _, public, err := s.PictureAccess(ctx, pic.Name); err != nil || !public {
		t.Fatalf("a published story's picture: public %v, %v", public, err)
	}

	co := &Company{Name: "Orange"}
	must(t, s.CreateCompany(ctx, co))
	logo := &Picture{Name: NewPictureName(), OwnerID: u.ID, Kind: PictureLogo, Ext: "png", Width: 256, Height: 256, Files: "x"}
	must(t, s.AddPicture(ctx, logo))
	must(t, s.SetCompanyLogo(ctx, co.ID, "/media/"+logo.Name+"/256x256.png"))
	if _, public, err := s.PictureAccess(ctx, logo.Name); err != nil || !public {
		t.Fatalf("a logo: public %v, %v", public, err)
	}
	must(t, s.SetCompanyLogo(ctx, co.ID, ""))
	orphans, err := s.OrphanPictures(ctx)
	must(t, err)
	if len(orphans) != 1 || orphans[0].Name != logo.Name {
		t.Fatalf("orphans %+v, want the replaced logo", orphans)
	}
	if err := s.SetCompanyLogo(ctx, co.ID, "https://elsewhere.example/logo.png"); err == nil {
		t.Error("a logo from elsewhere was taken")
	}
}

// TestPicturesMigrationUpgradesAnOlderDatabase: a database at the version
// before pictures gets their tables and columns, and keeps working.
func TestPicturesMigrationUpgradesAnOlderDatabase(t *testing.T) {
	path := copyFixture(t)
	db, err := openRaw(path, "_foreign_keys=on")
	must(t, err)
	must(t, migrate(context.Background(), db, sqliteDialect, migrations[:3]))
	closeRaw(db)
	s, err := Open(path, Options{})
	must(t, err)
	defer s.Close()
	for _, c := range [][2]string{{"stories", "cover"}, {"stories", "cover_alt"}, {"pending_edits", "cover"}, {"companies", "logo_url"}, {"pictures", "orphaned"}, {"story_pictures", "picture_id"}} {
		var n int64
		must(t, s.r.Raw("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", c[0], c[1]).Scan(&n).Error)
		if n != 1 {
			t.Errorf("no column %s.%s after the upgrade", c[0], c[1])
		}
	}
	u := newUser(t, s, "newcomer", RoleAuthor)
	pic := &Picture{Name: NewPictureName(), OwnerID: u.ID, Ext: "jpg", Width: 480, Height: 320, Files: "x"}
	must(t, s.AddPicture(context.Background(), pic))
	url := "/media/" + pic.Name + "/480x320.jpg"
	st, err := s.CreateStory(context.Background(), StoryInput{Title: "After the upgrade", Body: "![a box](" + url + ")", AuthorID: u.ID,
		Status: StatusPublished, Cover: url, CoverAlt: "a box"})
	must(t, err)
	if _, public, err := s.PictureAccess(context.Background(), pic.Name); err != nil || !public || st.Cover != url {
		t.Errorf("after the upgrade: public %v, cover %q, %v", public, st.Cover, err)
	}
}
