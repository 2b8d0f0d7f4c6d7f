package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// UnsubscribeToken signs "what one click ends" (an Unsub* kind and an id)
// with the site's key, so that the link works without signing in and
// cannot be forged for someone else's subscription.
func UnsubscribeToken(key []byte, kind string, id uint) string {
	msg := kind + strconv.FormatUint(uint64(id), 10)
	return msg + "." + base64.RawURLEncoding.EncodeToString(unsubMAC(key, msg))
}

// ParseUnsubscribeToken checks a token and returns its kind and id.
func ParseUnsubscribeToken(key []byte, token string) (string, uint, bool) {
	msg, sig, ok := strings.Cut(token, ".")
	if !ok || len(msg) < 2 {
		return "", 0, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, unsubMAC(key, msg)) {
		return "", 0, false
	}
	id, err := strconv.ParseUint(msg[1:], 10, 32)
	if err != nil {
		return "", 0, false
	}
	switch kind := msg[:1]; kind {
	case UnsubFollow, UnsubReplies, UnsubComments, UnsubModeration:
		return kind, uint(id), true
	}
	return "", 0, false
}

func unsubMAC(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("unsubscribe:" + msg))
	return m.Sum(nil)[:16]
}

// Unsubscribe ends what an unsubscribe link names. Ending what is already
// ended is no error: a second click says the same.
func (s *Store) Unsubscribe(ctx context.Context, kind string, id uint) error {
	db := s.w.WithContext(ctx)
	var err error
	switch kind {
	case UnsubFollow:
		err = db.Where("id = ?", id).Delete(&Follow{}).Error
	case UnsubReplies:
		err = db.Model(&Comment{}).Where("id = ?", id).Update("notify", false).Error
	case UnsubComments:
		err = db.Model(&User{}).Where("id = ?", id).Update("mute_comment_mail", true).Error
	case UnsubModeration:
		err = db.Model(&User{}).Where("id = ?", id).Update("mute_moderation_mail", true).Error
	default:
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("unsubscribe %s%d: %w", kind, id, err)
	}
	return nil
}

// SetMailPreferences switches a user's mails of new comments on their
// stories and of moderation.
func (s *Store) SetMailPreferences(ctx context.Context, userID uint, comments, moderation bool) error {
	err := s.w.WithContext(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"mute_comment_mail": !comments, "mute_moderation_mail": !moderation}).Error
	if err != nil {
		return fmt.Errorf("mail preferences of user %d: %w", userID, err)
	}
	return nil
}

// FollowTarget finds what a follow of kind names by its slug (a handle for
// an author): its id, a label and its path. The site has id 0.
func (s *Store) FollowTarget(ctx context.Context, kind, slug string) (uint, string, string, error) {
	db := s.r.WithContext(ctx)
	var row struct {
		ID   uint
		Name string
	}
	var err error
	switch kind {
	case FollowSite:
		return 0, "everything new on the site", "/", nil
	case FollowCategory:
		err = db.Table("categories").Select("id, name").Where("slug = ?", slug).Take(&row).Error
	case FollowTag:
		err = db.Table("tags").Select("id, name").Where("slug = ?", slug).Take(&row).Error
	case FollowAuthor:
		err = db.Table("users").Select("id, name").Where("handle = ?", slug).Take(&row).Error
	case FollowCompany:
		err = db.Table("companies").Select("id, name").Where("slug = ?", slug).Take(&row).Error
	case FollowStory:
		err = db.Table("stories").Select("id, title AS name").Where("slug = ? AND status = ?", slug, StatusPublished).Take(&row).Error
	default:
		err = ErrNotFound
	}
	if err != nil {
		return 0, "", "", fmt.Errorf("follow %s %q: %w", kind, slug, notFound(err))
	}
	labels := map[string]string{FollowCategory: "the category ", FollowTag: "the tag ", FollowAuthor: "the stories of ",
		FollowCompany: "the stories about ", FollowStory: "the comments on "}
	paths := map[string]string{FollowCategory: "/category/", FollowTag: "/tag/", FollowAuthor: "/author/",
		FollowCompany: "/company/", FollowStory: "/stories/"}
	return row.ID, labels[kind] + row.Name, paths[kind] + slug, nil
}
