package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"doleances/models"
)

// TestGuestImpersonationIsHeld checks the returning-guest rule: a guest is
// approved at once only when the same name and email were approved before.
// Someone who knows a regular's email and posts under another name waits
// for a moderator; the regular, typed with other case or spaces, does not.
func TestGuestImpersonationIsHeld(t *testing.T) {
	cs := newCommentSite(t)
	ctx := context.Background()
	res, body := cs.comment(guest(), cs.story, "Même souci chez moi.", "name", "Lucie Martin", "email", "lucie@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	first := cs.lastComment()
	_, err := cs.store.ModerateComments(ctx, cs.admin.ID, []uint{first.ID}, models.ActionApprove)
	check(t, err)

	tests := []struct {
		name, email string
		want        string
	}{
		{"Famous Name", "lucie@example.org", models.CommentPending},
		{"Lucie", "lucie@example.org", models.CommentPending},
		{"Lucie Martin", "other@example.org", models.CommentPending},
		{"  lucie   MARTIN ", "Lucie@Example.org", models.CommentApproved},
	}
	for _, tt := range tests {
		res, body := cs.comment(guest(), cs.story, "Une autre remarque, "+tt.name, "name", tt.name, "email", tt.email)
		wantCode(t, res, body, http.StatusSeeOther)
		if got := cs.lastComment(); got.Status != tt.want {
			t.Errorf("%q <%s>: comment is %s, want %s", tt.name, tt.email, got.Status, tt.want)
		}
	}
}

// TestGuestEmailAndIPForAdminsOnly checks that a guest's email and address
// reach no one but admins: an author moderating the comments of their own
// story sees the name and the text, not the email nor the IP.
func TestGuestEmailAndIPForAdminsOnly(t *testing.T) {
	cs := newCommentSite(t)
	res, body := cs.comment(guest(), cs.story, "Pareil pour moi.", "name", "Lucie", "email", "lucie.secret@example.org")
	wantCode(t, res, body, http.StatusSeeOther)
	ip := cs.lastComment().IP
	if ip == "" {
		t.Fatal("the comment kept no address: the test proves nothing")
	}
	for _, status := range []string{models.CommentPending, models.CommentApproved} {
		_, page := cs.get(cs.signIn(cs.author), "/admin/comments?status="+status)
		for _, secret := range []string{"lucie.secret@example.org", ip} {
			if strings.Contains(page, secret) {
				t.Errorf("the author's %s queue shows %q", status, secret)
			}
		}
	}
	_, page := cs.get(cs.signIn(cs.author), "/admin/comments")
	if !strings.Contains(page, "Pareil pour moi.") {
		t.Error("the author's queue does not show the held comment")
	}
	_, page = cs.get(cs.signIn(cs.admin), "/admin/comments")
	if !strings.Contains(page, "lucie.secret@example.org") || !strings.Contains(page, ip) {
		t.Error("the admin's queue does not show the guest's email and address")
	}
}
