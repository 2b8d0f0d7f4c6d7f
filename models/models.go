// Package models holds the GORM models of Doléances and every query on them,
// behind a Store. Markdown rendering and slugs live here too, beside the data
// they produce. It imports no other package of this module.
package models

import "time"

// Roles a user can have.
const (
	RoleReader = "reader"
	RoleAuthor = "author"
	RoleAdmin  = "admin"
)

// Story statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	// StatusReview is a story submitted by a reader, waiting for an admin.
	StatusReview = "review"
)

// Story resolutions: what became of the problem the story tells.
const (
	ResolutionOpen      = "open"
	ResolutionResolved  = "resolved"
	ResolutionAbandoned = "abandoned"
)

// Comment statuses.
const (
	CommentApproved = "approved"
	CommentPending  = "pending"
	CommentSpam     = "spam"
	CommentTrash    = "trash"
)

// User is a person with an account: a reader, an author or an admin.
type User struct {
	ID     uint   `gorm:"primaryKey"`
	Handle string `gorm:"size:40;not null;uniqueIndex"`
	Name   string `gorm:"size:100;not null"`
	Email  string `gorm:"size:254;index"`
	// EmailVerified says a provider vouched for Email; only then is it used for roles.
	EmailVerified bool   `gorm:"not null;default:false"`
	AvatarURL     string `gorm:"size:2000"`
	Bio           string `gorm:"size:1000"`
	// Links are up to MaxProfileLinks http(s) addresses, one a line, shown on the author page.
	Links string `gorm:"not null;default:''"`
	Role  string `gorm:"size:10;not null;default:reader"`
	// MuteCommentMail and MuteModerationMail turn off the mails of new
	// comments on one's stories and of held comments and reports (on by default).
	MuteCommentMail    bool `gorm:"not null;default:false"`
	MuteModerationMail bool `gorm:"not null;default:false"`
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Category is one of the site's sections, managed by admins.
type Category struct {
	ID          uint   `gorm:"primaryKey"`
	Name        string `gorm:"size:100;not null"`
	Slug        string `gorm:"size:100;not null;uniqueIndex"`
	Description string `gorm:"size:1000"`
	Position    int    `gorm:"not null;default:0"`
	// StoryCount is filled by queries that count published stories; it is not a column.
	StoryCount int `gorm:"->;-:migration"`
}

// Tag is a free-text label on stories.
type Tag struct {
	ID   uint   `gorm:"primaryKey"`
	Name string `gorm:"size:50;not null"`
	Slug string `gorm:"size:60;not null;uniqueIndex"`
}

// Company is the organisation a story is about: Orange, IKEA, Vélib'...
type Company struct {
	ID          uint   `gorm:"primaryKey"`
	Name        string `gorm:"size:100;not null"`
	Slug        string `gorm:"size:100;not null;uniqueIndex"`
	Description string `gorm:"size:1000"`
	// LogoURL is the /media/ path of the company's logo, if it has one.
	LogoURL string `gorm:"size:200;not null;default:''"`
	// Key is the name reduced for matching (see CompanyKey): "Orange S.A." -> "orange".
	// Nullable so that rows from before the column existed can be filled in.
	Key *string `gorm:"size:100;uniqueIndex"`
	// Website is the company's own address, shown on its page.
	Website string `gorm:"size:2000;not null;default:''"`
	// StoryCount is filled by queries that count published stories; it is not a column.
	StoryCount int `gorm:"->;-:migration"`
}

// Story is a customer-service story. Body is the author's Markdown; HTML and
// Excerpt are derived from it when the story is saved, so that reading a story
// never renders Markdown.
type Story struct {
	ID      uint   `gorm:"primaryKey"`
	Title   string `gorm:"size:200;not null"`
	Slug    string `gorm:"size:100;not null;uniqueIndex"`
	Body    string `gorm:"not null"`
	HTML    string `gorm:"column:html;not null"`
	Excerpt string `gorm:"size:400;not null"`
	// PlainText is the body's text without Markdown, for the search index; it
	// is written with the story and never read back into pages.
	PlainText    string `gorm:"not null;default:'';->:false;<-"`
	AuthorID     uint   `gorm:"not null;index:idx_stories_author,priority:1"`
	Author       User
	Categories   []Category `gorm:"many2many:story_categories"`
	Tags         []Tag      `gorm:"many2many:story_tags"`
	CompanyID    *uint      `gorm:"index:idx_stories_company,priority:1;index:idx_stories_company_metoo,priority:1"`
	Company      *Company
	City         string     `gorm:"size:100"`
	Status       string     `gorm:"size:10;not null;default:draft;index:idx_stories_status_published,priority:1;index:idx_stories_company_metoo,priority:2"`
	Resolution   string     `gorm:"size:10;not null;default:open"`
	PublishedAt  *time.Time `gorm:"index:idx_stories_status_published,priority:2;index:idx_stories_author,priority:2;index:idx_stories_company,priority:2;index:idx_stories_company_metoo,priority:4"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
	CommentCount int `gorm:"not null;default:0"`
	LikeCount    int `gorm:"not null;default:0"`
	// idx_stories_company_metoo serves a company's stories by "me too".
	MeTooCount int `gorm:"not null;default:0;index:idx_stories_company_metoo,priority:3"`
	// ReviewNote is what an admin said when sending the story back to its author.
	ReviewNote string `gorm:"size:1000;not null;default:''"`
	// Updates are the author's dated follow-ups, oldest first when preloaded.
	Updates []StoryUpdate
	// Cover is the /media/ path of the story's cover picture, if any, and
	// CoverAlt its description for those who cannot see it.
	Cover    string `gorm:"size:200;not null;default:''"`
	CoverAlt string `gorm:"size:1000;not null;default:''"`
	// Lang is the language the story is written in ("fr", "en"); empty:
	// the site's language.
	Lang string `gorm:"size:10;not null;default:''"`
	// Pending is a reader's change waiting for review, when preloaded (see PendingEdit).
	Pending *PendingEdit
	// CommentsClosed is set by the story's author (or an admin) to stop new comments.
	CommentsClosed bool `gorm:"not null;default:false"`
	// MailState is MailNew from the first publication until its followers heard of it.
	MailState int `gorm:"not null;default:0;index"`
	// RepliedAt is when the company first answered officially (see CompanyReply).
	RepliedAt *time.Time
	// ResolvedAt is when the author (or an admin) marked the story resolved
	// after writing it; nil while it is not resolved, or when it was
	// written resolved. The company scorecards count from it.
	ResolvedAt *time.Time
	// Reply is the company's official reply, loaded by PublishedStory when
	// RepliedAt is set; not a column.
	Reply *CompanyReply `gorm:"-"`
	// ShownPII lists, one a line, the exact texts the author chose to
	// publish although they look like personal data (see models/pii);
	// everything else found is masked in HTML, Excerpt and PlainText.
	// Body keeps the original, which only the author and admins see.
	ShownPII string `gorm:"column:shown_pii;not null;default:''"`
	// ReadingMinutes is how long the text takes to read, set at each save.
	ReadingMinutes int `gorm:"not null;default:0"`
}

// StoryCategory joins stories and categories; its index on category_id serves
// the category pages.
type StoryCategory struct {
	StoryID    uint `gorm:"primaryKey"`
	CategoryID uint `gorm:"primaryKey;index"`
}

// StoryTag joins stories and tags; its index on tag_id serves the tag pages.
type StoryTag struct {
	StoryID uint `gorm:"primaryKey"`
	TagID   uint `gorm:"primaryKey;index"`
}

// Comment is a reader's answer to a story, by a signed-in user or a guest.
// AuthorEmail is a guest's email: it is never shown.
type Comment struct {
	ID          uint  `gorm:"primaryKey"`
	StoryID     uint  `gorm:"not null;index:idx_comments_story,priority:1"`
	Story       Story `gorm:"constraint:OnDelete:CASCADE"`
	ParentID    *uint // indexed where not NULL (createCommentIndexes)
	Depth       int   `gorm:"not null;default:0"`
	UserID      *uint // indexed with created_at where not NULL (createCommentIndexes)
	User        *User
	AuthorName  string `gorm:"size:100;not null"`
	AuthorEmail string `gorm:"size:254" json:"-"` // indexed lowered, for guests (createCommentIndexes)
	AuthorURL   string `gorm:"size:2000"`
	Body        string `gorm:"not null"`
	HTML        string `gorm:"column:html;not null"`
	// MaskedBody is Body with its personal data masked, as the search index
	// holds it; nil (NULL) when Body holds none. It is written with Body,
	// whose change re-indexes the comment, and never read back.
	MaskedBody *string   `gorm:"->:false;<-"`
	Status     string    `gorm:"size:10;not null;default:pending;index:idx_comments_status_created,priority:1;index:idx_comments_story,priority:2;index:idx_comments_mail,priority:2"`
	CreatedAt  time.Time `gorm:"index:idx_comments_status_created,priority:2;index:idx_comments_story,priority:3"`
	UpdatedAt  time.Time
	// IP is the poster's address, kept for flood control and moderators; never shown.
	IP string `gorm:"size:45" json:"-"` // indexed for guests (createCommentIndexes)
	// GuestKey is the SHA-256 of the guest token that lets a guest see their held comment.
	GuestKey string `gorm:"size:64" json:"-"`
	// Deleted marks a comment removed by its writer but kept, emptied, for its replies.
	Deleted bool `gorm:"not null;default:false"`
	// Notify: the writer asked to get replies by email.
	Notify bool `gorm:"not null;default:false"`
	// MailState is how far the mails about this comment went (see MailNew).
	// Indexed with the status: held comments that are never approved stay
	// MailHeld, and the notifier looks only for approved ones among them.
	MailState int `gorm:"not null;default:0;index:idx_comments_mail,priority:1"`
}
