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

// stampStep is the granularity of a comment form's "rendered at" stamp. The
// stamp is rounded up to it, so that an anonymous story page is the same for
// every visitor during a step (it stays cacheable), and never claims a time
// earlier than the real render: a bot posting within MinFormTime of fetching
// the page is always refused; a person waits at most stampStep+MinFormTime.
const stampStep = 10 * time.Second

// errBadStamp is a stamp that is missing, malformed or not ours.
var errBadStamp = errors.New("bad form stamp")

// stamper signs and checks the time a comment form was rendered, with a key
// kept in the database (the same for every instance of the site).
type stamper struct {
	key []byte
	now func() time.Time
}

// make returns the stamp of a form rendered now for story storyID, and the
// time it holds: the page may be served again until then (and not after, or
// a bot could post instantly a form whose stamp is already old enough).
func (s *stamper) make(storyID uint) (string, time.Time) {
	at := s.now().Add(stampStep - time.Nanosecond).Truncate(stampStep)
	return strconv.FormatInt(at.Unix(), 10) + "." + s.sign(at.Unix(), storyID), at
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
