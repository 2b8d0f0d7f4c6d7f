package wxr

import (
	"net/url"
	"strings"
	"time"

	"doleances/models"
)

// postPaths returns the old addresses of a post, as LegacyKey makes them:
// its link, /?p=ID, and the permalinks WordPress offers (/YYYY/MM/DD/slug,
// /YYYY/MM/slug, /slug), each under the blog's path, for its slug and its
// former ones (_wp_old_slug). A draft has only its link and ?p=ID: they
// lead nowhere until it is published.
func (im *importer) postPaths(it *Item) []string {
	seen := map[string]bool{}
	var keys []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, link := range []string{it.Link, it.GUID} {
		if k, ok := linkKey(link); ok {
			add(k)
		}
	}
	if it.ID != "" {
		add(models.LegacyKey(im.prefix+"/", it.ID))
	}
	if it.Status != "publish" {
		return keys
	}
	local, err := time.ParseInLocation(wpTime, strings.TrimSpace(it.Date), im.opt.Location)
	if err != nil {
		return keys
	}
	slugs := []string{decodeSlug(it.Name)}
	for _, m := range it.Meta {
		if m.Key == "_wp_old_slug" {
			slugs = append(slugs, decodeSlug(m.Value))
		}
	}
	for _, s := range slugs {
		if s == "" || strings.Contains(s, "/") {
			continue
		}
		add(models.LegacyKey(im.prefix+local.Format("/2006/01/02/")+s, ""))
		add(models.LegacyKey(im.prefix+local.Format("/2006/01/")+s, ""))
		add(models.LegacyKey(im.prefix+"/"+s, ""))
	}
	return keys
}

// linkKey is the key of an absolute link's path (with ?p= when it has one).
func linkKey(link string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return "", false
	}
	p := u.Query().Get("p")
	if u.Path == "" && p == "" {
		return "", false
	}
	return models.LegacyKey(u.Path, p), true
}
