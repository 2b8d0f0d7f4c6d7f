package wxr

import (
	"regexp"
	"strings"
	"time"

	"doleances/models"
)

// ownPicture finds the site's pictures in a story's HTML.
var ownPicture = regexp.MustCompile(`/media/[0-9a-f]{32}/[0-9]+x[0-9]+\.(?:jpg|png)`)

// pictureAttrs are the smaller sizes of a picture, which WordPress's
// importer would leave pointing at this site: WordPress makes its own.
var pictureAttrs = regexp.MustCompile(` (?:srcset|sizes)="[^"]*"`)

// attachmentIDs keep attachments' post ids clear of the stories'.
const attachmentIDs = 1_000_000_000

// storyPictures are the pictures of a story's HTML, each at the largest
// size shown, in order of appearance.
func storyPictures(h string) []models.MediaRef {
	var refs []models.MediaRef
	at := map[string]int{}
	for _, u := range ownPicture.FindAllString(h, -1) {
		ref, ok := models.ParseMediaURL(u)
		if !ok {
			continue
		}
		if i, seen := at[ref.Name]; seen {
			if ref.W > refs[i].W {
				refs[i] = ref
			}
			continue
		}
		at[ref.Name] = len(refs)
		refs = append(refs, ref)
	}
	return refs
}

// absolutePictures gives the story's pictures full addresses without
// their srcset, so that WordPress's importer, which fetches each
// attachment_url, rewrites the links to its copies.
func (e *exporter) absolutePictures(h string) string {
	h = pictureAttrs.ReplaceAllString(h, "")
	return strings.NewReplacer(`="/media/`, `="`+e.opt.BaseURL+`/media/`).Replace(h)
}

// attachments writes one attachment item per picture of a story, the story
// its parent, for WordPress's "Download and import file attachments".
func (e *exporter) attachments(s *models.ExportedStory, at time.Time) {
	for _, ref := range storyPictures(s.HTML) {
		e.attachment++
		u := e.opt.BaseURL + ref.URL()
		name := ref.Name + "." + ref.Ext
		e.printf("\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"false\">%s</guid>\n\t\t<content:encoded><![CDATA[]]></content:encoded>\n\t\t<wp:post_id>%d</wp:post_id>\n\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n\t\t<wp:post_name>%s</wp:post_name>\n\t\t<wp:status><![CDATA[inherit]]></wp:status>\n\t\t<wp:post_parent>%d</wp:post_parent>\n\t\t<wp:post_type><![CDATA[attachment]]></wp:post_type>\n\t\t<wp:attachment_url>%s</wp:attachment_url>\n\t</item>\n",
			cdata(ref.Name), u, cdata(e.handles[s.AuthorID]), u, attachmentIDs+e.attachment, cdata(e.local(at)),
			cdata(at.UTC().Format(wpTime)), cdata(name), s.ID, cdata(u))
	}
}
