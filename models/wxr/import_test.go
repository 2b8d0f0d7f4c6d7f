package wxr

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doleances/models"
)

// importFixture imports the shared fixture into a new site.
func importFixture(t *testing.T) (*site, *Summary) {
	t.Helper()
	s := newSite(t)
	sum, err := importFile(t, s, fixturePath(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, sum
}

// storyOf returns the story imported from WordPress post id.
func storyOf(t *testing.T, s *site, id string) models.Story {
	t.Helper()
	var st models.Story
	err := s.db.Raw(`SELECT stories.* FROM stories JOIN import_keys k ON k.target_id = stories.id
		WHERE k.kind = 'story' AND k.key = ?`, id).Scan(&st).Error
	if err != nil || st.ID == 0 {
		t.Fatalf("story of post %s: %v", id, err)
	}
	return st
}

// TestImportFixtureCounts checks what becomes of each kind of item of the
// fixture (see its README): authors, terms, posts by status, comments.
func TestImportFixtureCounts(t *testing.T) {
	s, sum := importFixture(t)
	checks := []struct {
		what string
		got  int
		want int
	}{
		{"authors", s.count(t, "SELECT count(*) FROM users WHERE role = 'author'"), 3},
		{"categories", s.count(t, "SELECT count(*) FROM categories"), 5},
		{"tags", s.count(t, "SELECT count(*) FROM tags"), 12},
		// 16 published, the password-protected one a draft.
		{"published", s.count(t, "SELECT count(*) FROM stories WHERE status = 'published'"), 15},
		// 2 drafts, 1 private, 1 future, 1 password-protected.
		{"drafts", s.count(t, "SELECT count(*) FROM stories WHERE status = 'draft'"), 5},
		// 48 approved but the pingback and the trackback; 8 pending; trash skipped.
		{"approved comments", s.count(t, "SELECT count(*) FROM comments WHERE status = 'approved'"), 46},
		{"held comments", s.count(t, "SELECT count(*) FROM comments WHERE status = 'pending'"), 8},
		{"comments by users", s.count(t, "SELECT count(*) FROM comments WHERE user_id IS NOT NULL"), 15},
		{"stored comment counts", s.count(t, "SELECT sum(comment_count) FROM stories"), 46},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if sum.Published != 15 || sum.Drafts != 5 || sum.Approved != 46 || sum.Held != 8 || sum.Authors != 3 {
		t.Errorf("summary: %+v", sum)
	}
	for reason, n := range map[string]int{"pages": 2, "pingbacks": 2, "spam or in the trash": 4} {
		if got := skipped(sum, reason); got != n {
			t.Errorf("skipped %s: %d, want %d (%v)", reason, got, n, sum.Skipped)
		}
	}
	if n := s.count(t, "SELECT count(*) FROM comments WHERE html LIKE '%<script%' OR html LIKE '%onclick%' OR body LIKE '%<script%' OR body LIKE '%document.cookie%'"); n != 0 {
		t.Errorf("%d comments keep the script or the onclick", n)
	}
}

func skipped(sum *Summary, part string) int {
	n := 0
	for r, c := range sum.Skipped {
		if strings.Contains(r, part) {
			n += c
		}
	}
	return n
}

// TestImportFixtureAuthorsAndTerms: users with their names, private emails
// and no way to sign in; term names decoded once; slugs kept.
func TestImportFixtureAuthorsAndTerms(t *testing.T) {
	s, _ := importFixture(t)
	var users []models.User
	s.db.Order("id").Find(&users)
	names := map[string]models.User{}
	for _, u := range users {
		names[u.Handle] = u
	}
	j, ok := names["joaquin"]
	if !ok || j.Name != "Joaquín Ibáñez Ferrer" || j.Email != "joaquin@expat-diary.example" || j.EmailVerified {
		t.Errorf("joaquin: %+v (users %v)", j, names)
	}
	if _, ok := names["priya-r"]; !ok {
		t.Errorf("priya.r: no handle priya-r in %v", names)
	}
	if n := s.count(t, "SELECT count(*) FROM identities"); n != 0 {
		t.Errorf("%d identities: imported authors must not be able to sign in", n)
	}
	var cat models.Category
	s.db.Where("slug = ?", "broadband-fibre").First(&cat)
	if cat.Name != "Broadband & Fibre" || !strings.HasPrefix(cat.Description, "Technicians who never come") {
		t.Errorf("category: %+v", cat)
	}
	var tag models.Tag
	s.db.Where("slug = ?", "reclamation").First(&tag)
	if tag.Name != "réclamation" {
		t.Errorf("tag réclamation: %+v", tag)
	}
	st := storyOf(t, s, "6")
	var tags []string
	s.db.Raw("SELECT t.slug FROM tags t JOIN story_tags st ON st.tag_id = t.id WHERE st.story_id = ? ORDER BY t.slug", st.ID).Scan(&tags)
	if strings.Join(tags, ",") != "escalation,sim-card" {
		t.Errorf("post 6 tags: %v", tags)
	}
}

// TestImportFixtureDates: post_date_gmt is the date; drafts without one
// take post_date in Europe/Paris (summer time: UTC+2).
func TestImportFixtureDates(t *testing.T) {
	s, _ := importFixture(t)
	st := storyOf(t, s, "6")
	if want := time.Date(2008, 3, 4, 8, 12, 0, 0, time.UTC); st.PublishedAt == nil || !st.PublishedAt.Equal(want) {
		t.Errorf("post 6 published %v, want %v", st.PublishedAt, want)
	}
	d := storyOf(t, s, "24")
	if want := time.Date(2011, 9, 1, 21, 10, 0, 0, time.UTC); !d.CreatedAt.Equal(want) || d.Status != models.StatusDraft {
		t.Errorf("draft 24 created %v (%s), want %v", d.CreatedAt, d.Status, want)
	}
	if p := storyOf(t, s, "17"); p.Status != models.StatusDraft || !strings.Contains(p.ReviewNote, "password") {
		t.Errorf("password-protected post 17: %s %q", p.Status, p.ReviewNote)
	}
	if ten := storyOf(t, s, "10"); !ten.UpdatedAt.Equal(time.Date(2026, 11, 22, 11, 25, 17, 0, time.UTC)) {
		t.Errorf("post 10 updated %v, want its post_modified_gmt", ten.UpdatedAt)
	}
	if c := storyOf(t, s, "23"); !c.CommentsClosed || c.CommentCount != 2 || storyOf(t, s, "22").CommentsClosed {
		t.Errorf("post 23 (comments closed, two approved): closed %v, %d comments", c.CommentsClosed, c.CommentCount)
	}
	if f := storyOf(t, s, "27"); f.Status != models.StatusDraft || !strings.Contains(f.ReviewNote, "2031-04-01") {
		t.Errorf("future post 27: %s %q", f.Status, f.ReviewNote)
	}
}

// TestImportFixtureBodies: wpautop, the caption, the embed, explicit <p>,
// and the Markdown is what the site renders from.
func TestImportFixtureBodies(t *testing.T) {
	s, _ := importFixture(t)
	six := storyOf(t, s, "6")
	if !strings.Contains(six.Body, "\n\n1. To get a mobile contract") || !strings.Contains(six.HTML, "<blockquote>") ||
		strings.Count(six.HTML, "<p>") < 4 {
		t.Errorf("post 6 (classic editor, no <p>):\n%s\n%s", six.Body, six.HTML)
	}
	ten := storyOf(t, s, "10")
	if !strings.Contains(ten.Body, `wardrobe-delivery-note-300x225.jpg "Attempt number three.`) ||
		!strings.Contains(ten.Body, "*Attempt number three. I was at the pharmacy for eleven minutes.*") ||
		!strings.Contains(ten.HTML, `alt="Crumpled delivery slip with the box “client absent” ticked"`) ||
		strings.Contains(ten.Body, "[caption") {
		t.Errorf("post 10 (caption):\n%s\n%s", ten.Body, ten.HTML)
	}
	eight := storyOf(t, s, "8")
	if !strings.Contains(eight.HTML, `<a href="https://www.youtube.com/watch?v=Vq3bXe7kT2M">`) {
		t.Errorf("post 8 (embed):\n%s", eight.HTML)
	}
	seven := storyOf(t, s, "7")
	if strings.Contains(seven.Body, "<p>") || strings.Count(seven.HTML, "<p>") < 2 {
		t.Errorf("post 7 (explicit <p>):\n%s", seven.Body)
	}
	var c models.Comment
	s.db.Where("author_name = ?", "Totally Legit Reader").First(&c)
	if c.ID == 0 || strings.Contains(c.HTML, "<script") || strings.Contains(c.HTML, "onclick") || !strings.Contains(c.HTML, "try it") {
		t.Errorf("comment 52: %q", c.HTML)
	}
	if c.AuthorEmail != "reader@example.com" || c.AuthorURL != "http://legit-reader.example.com/" {
		t.Errorf("comment 52 guest fields: %q %q", c.AuthorEmail, c.AuthorURL)
	}
}

// TestImportFixtureThreads: replies keep their parents, 2 -> 3 -> 4.
func TestImportFixtureThreads(t *testing.T) {
	s, _ := importFixture(t)
	st := storyOf(t, s, "6")
	var tomasz, margot models.Comment
	s.db.Where("story_id = ? AND body LIKE 'Ha! The exact same loop%'", st.ID).First(&tomasz)
	s.db.Where("story_id = ? AND body LIKE 'Tomasz, did the bank%'", st.ID).First(&margot)
	if tomasz.ParentID != nil || margot.ParentID == nil || *margot.ParentID != tomasz.ID || margot.UserID == nil {
		t.Fatalf("thread on post 6: %+v / %+v", tomasz, margot)
	}
	if n := s.count(t, "SELECT count(*) FROM comments WHERE story_id = ? AND depth = 2", st.ID); n != 1 {
		t.Errorf("post 6: %d comments at depth 2, want 1 (2 -> 3 -> 4)", n)
	}
	if n := s.count(t, "SELECT count(*) FROM comments WHERE depth = 2"); n != 3 {
		t.Errorf("%d comments at depth 2, want 3 (one per thread of three)", n)
	}
}

// TestImportFixtureSearch: imported stories and approved comments are in
// the search index.
func TestImportFixtureSearch(t *testing.T) {
	s, _ := importFixture(t)
	for _, q := range []string{"wardrobe", "napkin"} {
		res, err := s.Search(context.Background(), models.SearchQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 {
			t.Errorf("search %q finds nothing", q)
		}
	}
}

// TestImportTwiceChangesNothing: the second run adds nothing.
func TestImportTwiceChangesNothing(t *testing.T) {
	s, _ := importFixture(t)
	tables := []string{"users", "categories", "tags", "stories", "comments", "story_tags", "story_categories", "legacy_paths", "import_keys"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = s.count(t, "SELECT count(*) FROM "+tb)
	}
	sum, err := importFile(t, s, fixturePath(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if n := s.count(t, "SELECT count(*) FROM "+tb); n != before[tb] {
			t.Errorf("%s: %d rows after the second import, %d before", tb, n, before[tb])
		}
	}
	if sum.Already != 20 || sum.Published+sum.Drafts+sum.Authors+sum.Categories+sum.Tags+sum.Paths != 0 {
		t.Errorf("second summary: %s", sum)
	}
	dry, err := importFile(t, s, fixturePath(t), Options{DryRun: true})
	if err != nil || dry.Already != 20 || dry.Published+dry.Drafts+dry.Authors+dry.Categories+dry.Tags != 0 {
		t.Errorf("dry run after the import: %s (%v)", dry, err)
	}
}

// TestImportKeepsTheSitesOwnContent: an import into a site with content
// adds to it without touching it, and uses an existing category.
func TestImportKeepsTheSitesOwnContent(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	u := &models.User{Handle: "margot", Name: "Another Margot", Role: models.RoleAuthor}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	cat := &models.Category{Name: "Telecoms", Description: "Ours."}
	if err := s.CreateCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	own, err := s.CreateStory(ctx, models.StoryInput{Title: "Our own story", Body: "Ours.", AuthorID: u.ID, Status: models.StatusPublished, CategoryIDs: []uint{cat.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(t, s, fixturePath(t), Options{}); err != nil {
		t.Fatal(err)
	}
	var after models.Story
	s.db.First(&after, own.ID)
	var u2 models.User
	s.db.First(&u2, u.ID)
	if after.Body != "Ours." || after.Slug != own.Slug || u2.Name != "Another Margot" {
		t.Errorf("the site's own content changed: %+v %+v", after, u2)
	}
	if n := s.count(t, "SELECT count(*) FROM categories WHERE description = 'Ours.'"); n != 1 {
		t.Errorf("the site's category changed")
	}
	if n := s.count(t, "SELECT count(*) FROM users WHERE handle LIKE 'margot%'"); n != 2 {
		t.Errorf("%d margots: the imported author must be a new user", n)
	}
	if n := s.count(t, "SELECT count(*) FROM stories"); n != 21 {
		t.Errorf("%d stories, want 20 imported + 1", n)
	}
}

// TestDryRunWritesNothing: a dry run says what it would do and writes
// nothing.
func TestDryRunWritesNothing(t *testing.T) {
	s := newSite(t)
	sum, err := importFile(t, s, fixturePath(t), Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Published != 15 || sum.Approved != 46 || !strings.Contains(sum.String(), "dry run") {
		t.Errorf("dry run summary: %s", sum)
	}
	for _, tb := range []string{"users", "stories", "comments", "legacy_paths", "categories"} {
		if n := s.count(t, "SELECT count(*) FROM "+tb); n != 0 {
			t.Errorf("dry run wrote %d %s", n, tb)
		}
	}
}

// TestImportFixtureOldAddresses: the fixture's old addresses lead to the
// stories, categories and tags they were.
func TestImportFixtureOldAddresses(t *testing.T) {
	s, _ := importFixture(t)
	ctx := context.Background()
	cases := []struct{ path, p, want string }{
		{"/2008/03/sim-card-bank-account-loop/", "", "/stories/sim-card-bank-account-loop"},
		{"/2008/03/04/sim-card-bank-account-loop/", "", "/stories/sim-card-bank-account-loop"},
		{"/sim-card-bank-account-loop/", "", "/stories/sim-card-bank-account-loop"},
		{"/", "6", "/stories/sim-card-bank-account-loop"},
		{"/2008/06/the-velib-dock-that-would-not-let-go/", "", "/stories/" + storyOf(t, s, "8").Slug}, // _wp_old_slug
		{"/category/telecoms/broadband-fibre/", "", "/category/broadband-fibre"},
		{"/category/broadband-fibre/", "", "/category/broadband-fibre"},
		{"/tag/reclamation/", "", "/tag/reclamation"},
		{"/tag/sim-card", "", "/tag/sim-card"},
		{"/author/priya.r/", "", "/author/priya-r"},
		{"/author/priya-r/", "", "/author/priya-r"},
		{"/", "24", ""}, // a draft: nowhere until published
		{"/", "4", ""},  // a page: skipped
		{"/", "", "/"},
	}
	for _, c := range cases {
		got, err := s.LegacyTarget(ctx, models.LegacyKey(c.path, c.p))
		if c.want == "" {
			if !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s?p=%s: %q, %v; want not found", c.path, c.p, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s?p=%s: %q, %v; want %q", c.path, c.p, got, err, c.want)
		}
	}
}

// TestReplyToSkippedCommentAnswersTheStory: a reply whose parent is
// skipped (trash) attaches to the story; a reply listed before its parent
// still finds it.
func TestReplyToSkippedCommentAnswersTheStory(t *testing.T) {
	comment := func(id, parent int, approved, body string) string {
		return fmt.Sprintf(`<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>C%d</wp:comment_author><wp:comment_author_email>c%d@example.org</wp:comment_author_email>
<wp:comment_date_gmt>2020-01-03 0%d:00:00</wp:comment_date_gmt><wp:comment_content>%s</wp:comment_content><wp:comment_approved>%s</wp:comment_approved>
<wp:comment_parent>%d</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>`, id, id, id, id, body, approved, parent)
	}
	item := strings.Replace(post(1, "Threads", "Body."), "</item>",
		comment(5, 4, "1", "Reply listed first.")+comment(2, 0, "trash", "Trashed.")+comment(3, 2, "1", "Orphan.")+comment(4, 0, "1", "Parent.")+"</item>", 1)
	s := newSite(t)
	if _, err := importString(s, wxrHead+item+wxrTail, Options{}); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Body   string
		Parent string
	}
	s.db.Raw("SELECT c.body, COALESCE(p.body, '') AS parent FROM comments c LEFT JOIN comments p ON p.id = c.parent_id ORDER BY c.body").Scan(&rows)
	want := "[{Orphan. } {Parent. } {Reply listed first. Parent.}]"
	if got := fmt.Sprint(rows); got != want {
		t.Errorf("comments %s, want %s", got, want)
	}
}

// TestStatusesPlaceholderAndBlocks: trash and auto-drafts are skipped,
// pending is a draft; a post without a known author goes to the
// placeholder author; block-editor comments are dropped (and wpautop is not
// run on block content).
func TestStatusesPlaceholderAndBlocks(t *testing.T) {
	with := func(id int, status, creator, body string) string {
		p := strings.Replace(post(id, fmt.Sprintf("Post %d", id), body), "<wp:status>publish</wp:status>", "<wp:status>"+status+"</wp:status>", 1)
		return strings.Replace(p, "<dc:creator>ann</dc:creator>", "<dc:creator>"+creator+"</dc:creator>", 1)
	}
	blocks := "<!-- wp:paragraph -->\n<p>First block.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph {\"align\":\"center\"} -->\n<p>Second\nblock.</p>\n<!-- /wp:paragraph -->"
	s := newSite(t)
	sum, err := importString(s, wxrHead+with(1, "trash", "ann", "x")+with(2, "auto-draft", "ann", "x")+with(3, "pending", "ann", "x")+
		with(4, "publish", "", blocks)+with(5, "publish", "ghost", "Ghost.")+wxrTail, Options{})
	check(t, err)
	if skipped(sum, "trash or auto-drafts") != 2 || sum.Drafts != 1 || sum.Published != 2 {
		t.Errorf("summary: %s", sum)
	}
	var handles []string
	s.db.Raw("SELECT u.handle FROM stories s JOIN users u ON u.id = s.author_id WHERE s.status = 'published' ORDER BY s.id").Scan(&handles)
	if fmt.Sprint(handles) != "[wordpress wordpress]" || !strings.Contains(sum.String(), "placeholder author") {
		t.Errorf("authors of posts without a known author: %v\n%s", handles, sum)
	}
	four := storyOf(t, s, "4")
	if four.Body != "First block.\n\nSecond block." || strings.Contains(four.HTML, "wp:") {
		t.Errorf("block-editor post: %q\n%s", four.Body, four.HTML)
	}
}

// TestImportGzipped: a compressed export imports the same, its progress
// measured on the compressed file.
func TestImportGzipped(t *testing.T) {
	raw, err := os.ReadFile(fixturePath(t))
	check(t, err)
	path := filepath.Join(t.TempDir(), "blog.xml.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err = zw.Write(raw)
	check(t, err)
	check(t, zw.Close())
	check(t, os.WriteFile(path, buf.Bytes(), 0o600))
	s := newSite(t)
	var last int64
	sum, err := Import(context.Background(), s.Store, OpenFile(path), Options{Progress: func(_ int, read int64) { last = read }})
	check(t, err)
	if sum.Published != 15 || sum.Approved != 46 || last != int64(buf.Len()) {
		t.Errorf("gzipped import: progress %d of %d bytes; %s", last, buf.Len(), sum)
	}
	check(t, os.WriteFile(path, buf.Bytes()[:10], 0o600))
	if _, err := Import(context.Background(), s.Store, OpenFile(path), Options{}); !errors.Is(err, ErrBadFile) {
		t.Errorf("a broken gzip file: %v", err)
	}
}

// TestReservedNamesAreNotImported: WordPress's "admin" author and a guest
// signing "Admin" do not pass for the site's staff here.
func TestReservedNamesAreNotImported(t *testing.T) {
	head := strings.Replace(wxrHead, "<wp:author_login>ann</wp:author_login>", "<wp:author_login>admin</wp:author_login>", 1)
	head = strings.Replace(head, "<wp:author_display_name>Ann</wp:author_display_name>", "<wp:author_display_name>Administrator</wp:author_display_name>", 1)
	item := strings.Replace(post(1, "Hello", "Body."), "<dc:creator>ann</dc:creator>", "<dc:creator>admin</dc:creator>", 1)
	item = strings.Replace(item, "</item>", `<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Admin</wp:comment_author><wp:comment_author_email>a@example.org</wp:comment_author_email>
<wp:comment_date_gmt>2020-01-03 09:00:00</wp:comment_date_gmt><wp:comment_content>Hi.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Brendan O&amp;#8217;Shea &lt;b&gt;</wp:comment_author><wp:comment_author_email>b@example.org</wp:comment_author_email>
<wp:comment_date_gmt>2020-01-03 10:00:00</wp:comment_date_gmt><wp:comment_content>Ho.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment></item>`, 1)
	s := newSite(t)
	if _, err := importString(s, head+item+wxrTail, Options{}); err != nil {
		t.Fatal(err)
	}
	var handle, name, guest string
	s.db.Raw("SELECT handle, name FROM users").Row().Scan(&handle, &name)
	s.db.Raw("SELECT author_name FROM comments ORDER BY created_at").Row().Scan(&guest)
	if handle != "author" || name != "Author" || guest != "Anonymous" {
		t.Errorf("user %q %q, guest %q", handle, name, guest)
	}
	// Names are text: entities decoded once, tags dropped.
	var brendan string
	s.db.Raw("SELECT author_name FROM comments ORDER BY created_at DESC").Row().Scan(&brendan)
	if brendan != "Brendan O’Shea" {
		t.Errorf("guest name %q, want Brendan O’Shea", brendan)
	}
}

// failSecondBatch is a store whose second batch of stories fails.
type failSecondBatch struct {
	*models.Store
	batches int
}

func (f *failSecondBatch) Import(ctx context.Context, b *models.ImportBatch) error {
	if f.batches++; f.batches == 2 {
		return errors.New("disk full")
	}
	return f.Store.Import(ctx, b)
}

// TestImportStoppedHalfWayGoesOn: a batch that fails leaves nothing of
// itself, the batches before it stay whole, and running the import again
// adds exactly what is missing.
func TestImportStoppedHalfWayGoesOn(t *testing.T) {
	s := newSite(t)
	_, err := Import(context.Background(), &failSecondBatch{Store: s.Store}, func() (io.ReadCloser, error) { return os.Open(fixturePath(t)) },
		Options{BatchSize: 5})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error %v, want the second batch's", err)
	}
	if n := s.count(t, "SELECT count(*) FROM stories"); n != 5 {
		t.Errorf("%d stories after the failed batch, want the first batch's 5", n)
	}
	if n := s.count(t, "SELECT count(*) FROM stories s WHERE s.comment_count <> (SELECT count(*) FROM comments c WHERE c.story_id = s.id AND c.status = 'approved')"); n != 0 {
		t.Errorf("%d stories with a wrong comment count", n)
	}
	sum, err := importFile(t, s, fixturePath(t), Options{BatchSize: 5})
	check(t, err)
	if sum.Already != 5 || sum.Published+sum.Drafts != 15 {
		t.Errorf("second run: %s", sum)
	}
	if n := s.count(t, "SELECT count(*) FROM comments"); n != 54 {
		t.Errorf("%d comments, want 46 approved + 8 held", n)
	}
}
