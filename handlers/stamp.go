package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"doleances/models"
)

// stampStep is the granularity of the "rendered at" stamp of the comment
// form of a page that may be kept in the cache (the page of a visitor without
// a session). Its stamp is the start of the step it was rendered in, and the
// page is served until the step ends: the page is the same for every visitor
// during a step, and its stamp never claims a later time than the page was
// got, so that a person who waited MinFormTime after getting it is never
// refused. A page rendered for one viewer (signed in, a guest with held
// comments, a refused form) carries the time of its render, to the second,
// rounded down too.
//
// What a bot can do: post a kept page's form at once when the step began at
// least MinFormTime before (8 s in every 10), or post a refused form again at
// once. What it cannot: post a form it just got during the first MinFormTime
// of a step, backdate a stamp, or use a stamp of another story.
const stampStep = 10 * time.Second

// errBadStamp is a stamp that is missing, malformed or not ours.
var errBadStamp = errors.New("bad form stamp")

// stamper signs and checks the time a comment form was rendered, with a key
// kept in the database (the same for every instance of the site).
type stamper struct {
	key []byte
	now func() time.Time
}

// make returns the stamp of a form rendered now for story storyID, for a
// page that may be kept (perView false) or one rendered for one viewer, and
// the time until which the page may be served again: the end of its step.
func (s *stamper) make(storyID uint, perView bool) (string, time.Time) {
	now := s.now()
	at := now.Truncate(stampStep)
	if perView {
		at = now.Truncate(time.Second)
	}
	return s.stamp(at, storyID), now.Truncate(stampStep).Add(stampStep)
}

// resend returns the stamp of a form given back after a refusal: dated
// MinFormTime ago, so that sending it again at once is not refused as too
// quick (the person has read the refusal; the text was typed before it).
func (s *stamper) resend(storyID uint) string {
	return s.stamp(s.now().Add(-models.MinFormTime).Truncate(time.Second), storyID)
}

func (s *stamper) stamp(at time.Time, storyID uint) string {
	return strconv.FormatInt(at.Unix(), 10) + "." + s.sign(at.Unix(), storyID)
}

func (s *stamper) sign(at int64, storyID uint) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("comment-form|" + strconv.FormatInt(at, 10) + "|" + strconv.FormatUint(uint64(storyID), 10)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// check returns errBadStamp for a stamp we did not make for this story, or
// models.ErrFormTooFast for one posted too soon after it was rendered.
func (s *stamper) check(stamp string, storyID uint) error {
	at, mac, ok := strings.Cut(stamp, ".")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || !hmac.Equal([]byte(mac), []byte(s.sign(n, storyID))) {
		return errBadStamp
	}
	return models.CheckFormTiming(time.Unix(n, 0), s.now())
}
