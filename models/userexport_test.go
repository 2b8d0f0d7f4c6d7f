package models

import (
	"context"
	"testing"
)

// TestExportUser: the export holds the original text, the pictures' sizes
// and the decisions, without who sent the notices.
func TestExportUser(t *testing.T) {
	s, _, author, admin, st, in := noticeFixture(t)
	ctx := context.Background()
	must(t, s.w.Create(&Picture{Name: "0123456789abcdef0123456789abcdef", OwnerID: author.ID, Kind: PictureStory, Ext: "jpg",
		Files: "0123456789abcdef0123456789abcdef/480x320.jpg,0123456789abcdef0123456789abcdef/960x640.jpg", Width: 960, Height: 640}).Error)
	n, err := s.FileNotice(ctx, in)
	must(t, err)
	_, err = s.DecideNotice(ctx, admin.ID, n.ID, DecisionInput{Kind: DecisionUnpublish, Reasons: "Defamatory."})
	must(t, err)
	x, err := s.ExportUser(ctx, author.ID)
	must(t, err)
	if len(x.Stories) != 1 || x.Stories[0].Original != st.Body || x.Stories[0].Status != StatusDraft {
		t.Errorf("stories %+v", x.Stories)
	}
	if len(x.Pictures) != 1 || len(x.Pictures[0].URLs) != 2 || x.Pictures[0].URLs[1] != "/media/0123456789abcdef0123456789abcdef/960x640.jpg" {
		t.Errorf("pictures %+v", x.Pictures)
	}
	if len(x.Notices) != 1 || x.Notices[0].Reasons != "Defamatory." || x.Notices[0].Email != "" || x.Notices[0].Name != "" || x.Notices[0].Explanation != "" {
		t.Errorf("notices %+v", x.Notices)
	}
}
