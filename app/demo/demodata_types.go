package demo

// demoAuthor is one author of the demo site.
type demoAuthor struct {
	Handle string // unique, lowercase ASCII, e.g. "margot"
	Name   string // display name, may have accents
	Bio    string // one or two sentences, plain text
}

// demoCategory is one category of the demo site, in display order.
type demoCategory struct {
	Name        string
	Description string // one sentence, plain text
}

// demoCompany is an organisation that demo stories are about.
type demoCompany struct {
	Name        string // e.g. "Orange", "IKEA", "Vélib'"
	Description string // one sentence, plain text
}

// demoComment is a comment on a demo story.
type demoComment struct {
	Name    string // shown name (guest or author display name)
	Email   string // guest email (never shown); use example.com/example.org addresses
	Website string // optional guest website, https://...example
	Handle  string // if set, the comment is by this demo author instead of a guest
	Body    string // Markdown, a few sentences
	Hours   int    // hours after the story's publication
	ReplyTo int    // 1-based index of the comment in the same story this answers; 0 = top level
}

// demoStory is one published demo story.
type demoStory struct {
	Title      string
	Author     string   // demoAuthor.Handle
	Categories []string // demoCategory.Name values, 1 or 2
	Tags       []string // 2 to 5 free-text tags, lowercase
	Company    string   // demoCompany.Name, or "" for none
	City       string   // e.g. "Paris", or ""
	Resolution string   // "open", "resolved" or "abandoned"
	DaysAgo    int      // how long ago it was published (spread over ~6 months)
	Body       string   // Markdown
	Comments   []demoComment
}
