package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Kinds of pictures: what a picture was uploaded for decides its sizes and
// who may see it.
const (
	PictureStory  = "story"  // in a story's text or its cover: public once a story using it is published
	PictureAvatar = "avatar" // a person's face on /me, comments and likes: public
	PictureLogo   = "logo"   // a company's logo: public
)

// PictureWidths are the widths each kind is made in: never wider than the
// upload. Story pictures: phones, laptops, large screens.
var PictureWidths = map[string][]int{
	PictureStory:  {480, 960, 1600},
	PictureAvatar: {96, 192},
	PictureLogo:   {128, 256},
}

// Picture is an uploaded picture: its files are "{Name}/{w}x{h}.{Ext}" in
// the media storage, one per size. Its name is 128 random bits, so that a
// picture nobody was shown cannot be found by guessing.
type Picture struct {
	ID      uint   `gorm:"primaryKey"`
	Name    string `gorm:"size:32;not null;uniqueIndex"`
	OwnerID uint   `gorm:"not null;index"`
	Kind    string `gorm:"size:10;not null;default:story"`
	Ext     string `gorm:"size:4;not null"`
	// Files are the storage keys of its sizes, smallest first, comma-separated.
	Files  string `gorm:"size:400;not null"`
	Width  int    `gorm:"not null"` // of the largest size
	Height int    `gorm:"not null"`
	Alt    string `gorm:"size:1000;not null;default:''"`
	Bytes  int    `gorm:"not null;default:0"`
	// Orphaned marks a picture nothing uses any more since a deletion; its
	// files are removed, then its row (see OrphanPictures).
	Orphaned  bool `gorm:"not null;default:false;index"`
	CreatedAt time.Time
}

// StoryPicture says that a story's text or cover shows a picture.
type StoryPicture struct {
	StoryID   uint `gorm:"primaryKey"`
	PictureID uint `gorm:"primaryKey;index"`
}

// PictureSize is the width and height of one size of a picture.
type PictureSize struct{ W, H int }

// PictureSizes are the sizes made of a w × h picture for the widths: each
// width under w, and w itself when it is under the largest one; a picture is
// never made larger than it was sent.
func PictureSizes(w, h int, widths []int) []PictureSize {
	var out []PictureSize
	for _, x := range widths {
		if x >= w {
			break
		}
		out = append(out, PictureSize{x, max(1, (h*x+w/2)/w)})
	}
	if len(out) < len(widths) {
		out = append(out, PictureSize{w, h})
	}
	return out
}

// PictureSizesOf are the sizes made of a w × h picture of a kind. They are
// computed from the largest, so that a page can list them all from the URL
// of the largest alone (see MediaRef.SrcSet).
func PictureSizesOf(kind string, w, h int) []PictureSize {
	first := PictureSizes(w, h, PictureWidths[kind])
	l := first[len(first)-1]
	return PictureSizes(l.W, l.H, PictureWidths[kind])
}

// NewPictureName returns 128 random bits in hex, the name of a new picture.
func NewPictureName() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// MediaURL is the path a storage key is served at.
func MediaURL(key string) string { return "/media/" + key }

// mediaURLPattern matches the path of a picture of this site.
var mediaURLPattern = regexp.MustCompile(`/media/([0-9a-f]{32})/([1-9][0-9]{0,4})x([1-9][0-9]{0,4})\.(jpg|png)`)

// MediaRef is a picture of this site as a URL names it.
type MediaRef struct {
	Name string
	W, H int
	Ext  string
}

// ParseMediaURL reads a URL of one of this site's pictures ("/media/{name}/{w}x{h}.jpg").
func ParseMediaURL(u string) (MediaRef, bool) {
	m := mediaURLPattern.FindStringSubmatch(u)
	if m == nil || !strings.HasPrefix(u, "/media/") || len(m[0]) != len(u) {
		return MediaRef{}, false
	}
	w, _ := strconv.Atoi(m[2])
	h, _ := strconv.Atoi(m[3])
	return MediaRef{Name: m[1], W: w, H: h, Ext: m[4]}, true
}

// URL is the path the picture is served at.
func (r MediaRef) URL() string { return fmt.Sprintf("/media/%s/%dx%d.%s", r.Name, r.W, r.H, r.Ext) }

var firstPicture = regexp.MustCompile(`<img src="(/media/[^"]+)" alt="([^"]*)"`)

// FirstPicture is the first of the site's pictures in a story's stored
// HTML, with its description.
func FirstPicture(page string) (MediaRef, string, bool) {
	m := firstPicture.FindStringSubmatch(page)
	if m == nil {
		return MediaRef{}, "", false
	}
	ref, ok := ParseMediaURL(m[1])
	return ref, html.UnescapeString(m[2]), ok
}

// SrcSet is the srcset of a story picture shown at r's size: its smaller
// sizes and itself.
func (r MediaRef) SrcSet() string {
	var b strings.Builder
	for i, s := range PictureSizes(r.W, r.H, PictureWidths[PictureStory]) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %dw", MediaRef{r.Name, s.W, s.H, r.Ext}.URL(), s.W)
	}
	return b.String()
}

// pictureNames are the names of this site's pictures that texts mention.
func pictureNames(texts ...string) []string {
	var names []string
	for _, t := range texts {
		for _, m := range mediaURLPattern.FindAllStringSubmatch(t, MaxLinks) {
			names = append(names, m[1])
		}
	}
	return names
}

// AddPicture records an uploaded picture, once its files are stored.
func (s *Store) AddPicture(ctx context.Context, p *Picture) error {
	if err := s.w.WithContext(ctx).Create(p).Error; err != nil {
		return fmt.Errorf("add picture: %w", err)
	}
	return nil
}

// PictureAccess finds the picture called name and says whether anyone may
// see it: avatars and logos always, story pictures once a published story
// shows them. ErrNotFound for an unknown or orphaned picture.
func (s *Store) PictureAccess(ctx context.Context, name string) (*Picture, bool, error) {
	var p Picture
	if err := s.r.WithContext(ctx).Where("name = ? AND NOT orphaned", name).Take(&p).Error; err != nil {
		return nil, false, fmt.Errorf("picture %s: %w", name, notFound(err))
	}
	if p.Kind != PictureStory {
		return &p, true, nil
	}
	var n int64
	err := s.r.WithContext(ctx).Table("story_pictures").Joins("JOIN stories ON stories.id = story_pictures.story_id").
		Where("story_pictures.picture_id = ? AND stories.status = ?", p.ID, StatusPublished).Limit(1).Count(&n).Error
	if err != nil {
		return nil, false, fmt.Errorf("picture %s: %w", name, err)
	}
	return &p, n > 0, nil
}

// linkPictures records which pictures a story's text and cover show.
func linkPictures(tx *gorm.DB, storyID uint, texts ...string) error {
	if err := tx.Where("story_id = ?", storyID).Delete(&StoryPicture{}).Error; err != nil {
		return fmt.Errorf("story pictures: %w", err)
	}
	names := pictureNames(texts...)
	if len(names) == 0 {
		return nil
	}
	var ids []uint
	if err := tx.Model(&Picture{}).Where("name IN ?", names).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("story pictures: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	rows := make([]StoryPicture, len(ids))
	for i, id := range ids {
		rows[i] = StoryPicture{StoryID: storyID, PictureID: id}
	}
	return tx.Create(&rows).Error
}

// unusedPictures is the SQL condition of a picture nothing shows.
const unusedPictures = `NOT EXISTS (SELECT 1 FROM story_pictures sp WHERE sp.picture_id = pictures.id)
	AND NOT EXISTS (SELECT 1 FROM users u WHERE u.avatar_url LIKE '/media/' || pictures.name || '/%')
	AND NOT EXISTS (SELECT 1 FROM companies c WHERE c.logo_url LIKE '/media/' || pictures.name || '/%')`

// orphanPictures marks as orphaned those of the pictures ids that nothing shows any more.
func orphanPictures(tx *gorm.DB, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	return tx.Model(&Picture{}).Where("id IN ? AND "+unusedPictures, ids).Update("orphaned", true).Error
}

// releasePictures orphans the pictures of a departed user that nothing shows
// any more, and gives those still shown (in stories kept under the deleted
// user, or by others) to the shared deleted-user account.
func releasePictures(tx *gorm.DB, userID uint) error {
	var ids []uint
	if err := tx.Model(&Picture{}).Where("owner_id = ?", userID).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("pictures of user %d: %w", userID, err)
	}
	if err := orphanPictures(tx, ids); err != nil {
		return err
	}
	ghost, err := ghostUser(tx)
	if err != nil {
		return err
	}
	return tx.Model(&Picture{}).Where("owner_id = ? AND NOT orphaned", userID).Update("owner_id", ghost.ID).Error
}

// OrphanPictures returns pictures that nothing uses any more, whose files
// are to be removed before ForgetPictures drops their rows.
func (s *Store) OrphanPictures(ctx context.Context) ([]Picture, error) {
	var ps []Picture
	if err := s.r.WithContext(ctx).Where("orphaned").Order("id").Limit(1000).Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("orphan pictures: %w", err)
	}
	return ps, nil
}

// ForgetPictures drops the rows of orphaned pictures whose files are gone.
func (s *Store) ForgetPictures(ctx context.Context, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.w.WithContext(ctx).Where("id IN ? AND orphaned", ids).Delete(&Picture{}).Error; err != nil {
		return fmt.Errorf("forget pictures: %w", err)
	}
	return nil
}
