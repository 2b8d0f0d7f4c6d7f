package wxr

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"

	"doleances/models"
)

// importer holds one pass's state: what the file's authors, categories and
// tags became here, and the stories waiting for their batch.
type importer struct {
	ctx    context.Context
	st     Store
	opt    Options
	write  bool
	sum    *Summary
	source string
	prefix string // the blog's path under its host ("/blog"), or ""

	authors     map[string]Author // by login
	loginByID   map[string]string // WordPress user id -> login
	users       map[string]uint   // login -> user here
	placeholder uint
	terms       []Term
	termsDone   bool
	categories  map[string]uint   // WordPress slug -> category here
	tagNames    map[string]string // WordPress slug -> name
	stories     map[string]uint   // WordPress post id -> story here (earlier runs)
	batch       []models.ImportStory
	pictures    map[string]string          // old URL -> new one
	nextFake    uint                       // dry run: ids standing for rows not written
	known       map[string]map[string]uint // dry run: keys imported before, by kind
}

func newImporter(ctx context.Context, st Store, opt Options, write bool) *importer {
	return &importer{ctx: ctx, st: st, opt: opt, write: write, sum: &Summary{DryRun: !write},
		authors: map[string]Author{}, loginByID: map[string]string{}, users: map[string]uint{},
		categories: map[string]uint{}, tagNames: map[string]string{}, pictures: map[string]string{}}
}

// site starts the pass: the source names the blog in the import keys.
func (im *importer) site(s Site) error {
	im.source = strings.TrimRight(s.BaseSiteURL, "/")
	if im.source == "" {
		im.source = strings.TrimRight(s.Link, "/")
	}
	if u, err := url.Parse(s.BaseBlogURL); err == nil {
		im.prefix = strings.TrimRight(u.Path, "/")
	}
	var err error
	if im.stories, err = im.st.ImportedKeys(im.ctx, im.source, models.ImportedStory); err != nil {
		return err
	}
	// A dry run counts as new only what an import would add.
	im.known = map[string]map[string]uint{}
	for _, kind := range []string{models.ImportedUser, models.ImportedCategory, models.ImportedTag} {
		if im.known[kind], err = im.st.ImportedKeys(im.ctx, im.source, kind); err != nil {
			return err
		}
	}
	home := []string{models.LegacyKey(im.prefix, "")}
	return im.addPaths(models.ImportedHome, 0, home)
}

// author records a wp:author; the user is made when a story needs it.
func (im *importer) author(a Author) error {
	a.Login = strings.TrimSpace(a.Login)
	if a.Login == "" {
		return nil
	}
	im.authors[a.Login] = a
	im.loginByID[strings.TrimSpace(a.ID)] = a.Login
	return nil
}

// user returns the user here of a WordPress login, made on first use: an
// author, with the display name, the login as handle and the email kept
// private and unverified (no sign-in until they sign in by email or link a
// provider). A login missing from the file's authors, or empty, goes to one
// placeholder author.
func (im *importer) user(login string) (uint, error) {
	if id, ok := im.users[login]; ok {
		return id, nil
	}
	a, ok := im.authors[login]
	if !ok {
		return im.placeholderUser()
	}
	name := strings.TrimSpace(html.UnescapeString(a.DisplayName))
	if name == "" {
		name = strings.TrimSpace(a.FirstName + " " + a.LastName)
	}
	u := &models.User{Handle: a.Login, Name: truncate(orElse(name, a.Login), models.MaxNameLen), Email: a.Email, Role: models.RoleAuthor}
	id, err := im.makeUser("login:"+a.Login, u)
	if err != nil {
		return 0, err
	}
	im.users[login] = id
	// WordPress's author pages use the login, made URL-safe (its nicename).
	keys := []string{models.LegacyKey(im.prefix+"/author/"+a.Login, "")}
	if nice := models.Slugify(a.Login); nice != strings.ToLower(a.Login) {
		keys = append(keys, models.LegacyKey(im.prefix+"/author/"+nice, ""))
	}
	return id, im.addPaths(models.ImportedUser, id, keys)
}

func (im *importer) placeholderUser() (uint, error) {
	if im.placeholder != 0 {
		return im.placeholder, nil
	}
	u := &models.User{Handle: "wordpress", Name: "WordPress author", Role: models.RoleAuthor}
	id, err := im.makeUser("placeholder", u)
	im.placeholder = id
	im.sum.note("Posts whose author is missing from the file went to the placeholder author “WordPress author”.")
	return id, err
}

func (im *importer) makeUser(key string, u *models.User) (uint, error) {
	if !im.write {
		im.sum.Authors += im.isNew(models.ImportedUser, key)
		return im.fake(), nil
	}
	id, created, err := im.st.ImportUser(im.ctx, im.source, key, u)
	if created {
		im.sum.Authors++
	}
	return id, err
}

// isNew is 1 when an earlier import did not record key, else 0.
func (im *importer) isNew(kind, key string) int {
	if _, ok := im.known[kind][key]; ok {
		return 0
	}
	return 1
}

// fake stands for the id of a row a dry run does not write.
func (im *importer) fake() uint {
	im.nextFake++
	return im.nextFake
}

// term keeps a category or tag until the items start: a file lists each
// twice (wp:category or wp:tag, then wp:term), so they are taken once by
// taxonomy and slug.
func (im *importer) term(t Term) error {
	t.Slug = decodeSlug(t.Slug)
	t.Parent = decodeSlug(t.Parent)
	t.Name = strings.TrimSpace(html.UnescapeString(t.Name))
	t.Description = strings.TrimSpace(html.UnescapeString(t.Description))
	if t.Taxonomy != "category" && t.Taxonomy != "post_tag" {
		im.sum.skip("terms of other taxonomies (" + t.Taxonomy + ")")
		return nil
	}
	for _, old := range im.terms {
		if old.Taxonomy == t.Taxonomy && old.Slug == t.Slug {
			return nil
		}
	}
	im.terms = append(im.terms, t)
	return nil
}

// decodeSlug percent-decodes a slug ("r%c3%a9clamation" -> "réclamation").
func decodeSlug(s string) string {
	s = strings.TrimSpace(s)
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// saveTerms makes the categories and tags, once the file's list is read.
// The site's categories have no parents: a hierarchy is flattened, each
// category kept with its own name, and the old nested address
// (/category/parent/child) leads to it.
func (im *importer) saveTerms() error {
	if im.termsDone {
		return nil
	}
	im.termsDone = true
	parents := map[string]string{}
	for _, t := range im.terms {
		if t.Taxonomy == "category" {
			parents[t.Slug] = t.Parent
		}
	}
	for _, t := range im.terms {
		var err error
		if t.Taxonomy == "category" {
			err = im.saveCategory(t, parents)
		} else {
			err = im.saveTag(t)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) saveCategory(t Term, parents map[string]string) error {
	name := truncate(orElse(t.Name, t.Slug), models.MaxCategoryNameLen)
	c := &models.Category{Name: name, Slug: t.Slug, Description: truncate(t.Description, models.MaxDescriptionLen)}
	id := im.fake()
	if im.write {
		var created bool
		var err error
		if id, created, err = im.st.ImportCategory(im.ctx, im.source, "category:"+t.Slug, c); err != nil {
			return err
		}
		if created {
			im.sum.Categories++
		}
	} else {
		im.sum.Categories += im.isNew(models.ImportedCategory, "category:"+t.Slug)
	}
	im.categories[t.Slug] = id
	if t.Parent != "" {
		im.sum.note("Category hierarchy is flattened (this site's categories have no parents); the nested addresses still lead to each category.")
	}
	path := t.Slug
	for p, seen := t.Parent, 0; p != "" && seen < 10; p, seen = parents[p], seen+1 {
		path = p + "/" + path
	}
	keys := []string{models.LegacyKey(im.prefix+"/category/"+t.Slug, "")}
	if path != t.Slug {
		keys = append(keys, models.LegacyKey(im.prefix+"/category/"+path, ""))
	}
	return im.addPaths(models.ImportedCategory, id, keys)
}

func (im *importer) saveTag(t Term) error {
	name := orElse(t.Name, t.Slug)
	if len(models.NormalizeTags([]string{name})) == 0 {
		im.sum.skip("tags without letters or digits")
		return nil
	}
	im.tagNames[t.Slug] = name
	id := im.fake()
	if im.write {
		var created bool
		var err error
		if id, created, err = im.st.ImportTag(im.ctx, im.source, "tag:"+t.Slug, name); err != nil {
			return err
		}
		if created {
			im.sum.Tags++
		}
	} else {
		im.sum.Tags += im.isNew(models.ImportedTag, "tag:"+t.Slug)
	}
	if t.Description != "" {
		im.sum.note("Tag descriptions are not kept: this site's tags have none.")
	}
	return im.addPaths(models.ImportedTag, id, []string{models.LegacyKey(im.prefix+"/tag/"+t.Slug, "")})
}

// addPaths records old addresses of something other than a story (those
// are saved with their story).
func (im *importer) addPaths(kind string, id uint, keys []string) error {
	if !im.write {
		im.sum.Paths += len(keys)
		return nil
	}
	rows := make([]models.LegacyPath, len(keys))
	for i, k := range keys {
		rows[i] = models.LegacyPath{Path: k, Kind: kind, TargetID: id}
	}
	n, err := im.st.AddLegacyPaths(im.ctx, rows)
	if err != nil {
		return fmt.Errorf("old addresses: %w", err)
	}
	im.sum.Paths += n
	return nil
}

func orElse(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n]))
}
