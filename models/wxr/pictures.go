package wxr

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// uploadURL finds the addresses of files under wp-content/uploads in a body.
var uploadURL = regexp.MustCompile(`https?://[^\s"'<>()]+/wp-content/uploads/([^\s"'<>()?#]+)`)

// pictureExts are the files taken as pictures.
var pictureExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true}

// body converts a post's HTML to Markdown, its pictures first brought into
// the site's storage when there is a copy of the uploads folder and a
// storage to put them in; otherwise their links stay on the old site.
func (im *importer) body(h string, author uint) (string, error) {
	if im.opt.Uploads != "" {
		if im.opt.Pictures == nil {
			im.sum.note("This site has no picture storage yet: pictures were left on the old site, where they must stay online.")
		} else {
			var err error
			if h, err = im.rewritePictures(h, author); err != nil {
				return "", err
			}
		}
	}
	return BodyMarkdown(h), nil
}

// rewritePictures replaces the address of each picture found in the
// uploads folder by its address here, the picture owned by author.
func (im *importer) rewritePictures(h string, author uint) (string, error) {
	var failed error
	out := uploadURL.ReplaceAllStringFunc(h, func(u string) string {
		if failed != nil {
			return u
		}
		if done, ok := im.pictures[u]; ok {
			return done
		}
		rel := uploadURL.FindStringSubmatch(u)[1]
		if !pictureExts[strings.ToLower(path.Ext(rel))] || strings.Contains(rel, "..") {
			return u
		}
		f, err := os.Open(filepath.Join(im.opt.Uploads, filepath.FromSlash(rel)))
		if err != nil {
			im.sum.skip("pictures missing from the uploads folder (their links stay on the old site)")
			im.pictures[u] = u
			return u
		}
		defer f.Close()
		if !im.write {
			im.sum.Pictures++
			im.pictures[u] = u
			return u
		}
		now, err := im.opt.Pictures.SavePicture(im.ctx, author, path.Base(rel), f)
		if errors.Is(err, ErrPictureRefused) {
			im.sum.note(fmt.Sprintf("Picture %s was not brought (%v); its link stays on the old site.", rel, err))
			im.pictures[u] = u
			return u
		}
		if err != nil {
			failed = fmt.Errorf("picture %s: %w", rel, err)
			return u
		}
		im.sum.Pictures++
		im.pictures[u] = now
		return now
	})
	return out, failed
}
