package models

import (
	"context"
	"encoding/binary"
	"fmt"
	"html"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MaxQueryLen is how many characters of a query a search reads.
const MaxQueryLen = maxQueryRunes

// Limits on what a search reads of its input.
const (
	maxQueryRunes = 300
	maxQueryWords = 12
)

// SearchQuery is a search: words and "quoted phrases", optional filters, a page.
type SearchQuery struct {
	Text       string
	CategoryID uint
	CompanyID  uint
	Page       int // from 1; 0 means 1
	PerPage    int // 0 means PageSize
}

// SearchHit is a story found, with its title and a snippet as safe HTML in
// which only the <mark> elements around the matched words are markup.
type SearchHit struct {
	Story      Story
	Title      string
	Snippet    string
	InComments bool // the snippet comes from the comments
}

// SearchResult is one page of hits.
type SearchResult struct {
	Hits  []SearchHit
	Total int // at most SearchWindow
	// More says more than SearchWindow stories matched: only the most
	// recently written SearchWindow of them were ranked and can be paged.
	More  bool
	Page  int
	Pages int
	Terms []string // the words and phrases searched for
}

// SearchWindow is the number of matching stories a search ranks: the most
// recently written ones. It bounds the cost of a query for a word that half
// the site uses, which FTS4 could only rank by reading every match.
const SearchWindow = 1000

// searchWindow is SearchWindow; tests lower it.
var searchWindow = SearchWindow

// minPrefixRunes is the shortest word searched as a prefix too.
const minPrefixRunes = 3

// ParseSearch turns what a visitor typed into an FTS MATCH expression and
// the terms it holds. Words are runs of letters and digits; text between
// double quotes is a phrase; everything else (FTS operators, punctuation,
// invalid UTF-8) separates words. Each term is quoted, so no input can be
// read as query syntax. An input without words gives "".
func ParseSearch(q string) (match string, terms []string) {
	q = strings.ToValidUTF8(q, " ")
	if utf8.RuneCountInString(q) > maxQueryRunes {
		q = string([]rune(q)[:maxQueryRunes])
	}
	var phrase []string
	var exact []bool // whether terms[i] was typed between quotes
	words := 0
	var word strings.Builder
	inQuote := false
	flushWord := func() {
		if word.Len() > 0 && words < maxQueryWords {
			phrase = append(phrase, strings.ToLower(word.String()))
			words++
		}
		word.Reset()
	}
	flushPhrase := func() {
		flushWord()
		if len(phrase) > 0 {
			terms = append(terms, strings.Join(phrase, " "))
			exact = append(exact, inQuote)
		}
		phrase = nil
	}
	for _, r := range q {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			word.WriteRune(r)
		case r == '"':
			flushPhrase()
			inQuote = !inQuote
		case inQuote:
			flushWord()
		default:
			flushPhrase()
		}
	}
	flushPhrase()
	quoted := make([]string, len(terms))
	for i, t := range terms {
		// A word typed on its own also finds longer words it begins
		// ("resilie" finds "résilier"); a quoted phrase is taken as typed.
		if !exact[i] && utf8.RuneCountInString(t) >= minPrefixRunes {
			t += "*"
		}
		quoted[i] = `"` + t + `"`
	}
	return strings.Join(quoted, " "), terms
}

// column weights for ranking: a title match counts most.
var searchWeights = [searchCols]float64{colTitle: 10, colBody: 1, colTags: 4, colCompany: 4, colComments: 0.5}

type searchRow struct {
	ID          uint
	Info        []byte
	PublishedAt time.Time
	titleTerms  int
	score       float64
}

// Search finds published stories whose title, text, tags, company or approved
// comments hold every term of q, stories with the terms in their title
// first, then by relevance, then newest first. A page past the last is ErrNotFound.
func (s *Store) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	match, terms := ParseSearch(q.Text)
	res := SearchResult{Page: max(q.Page, 1), Terms: terms}
	per := q.PerPage
	if per <= 0 {
		per = PageSize
	}
	if match == "" {
		return res, nil
	}
	db := s.r.WithContext(ctx).Table("story_search").
		Select("story_search.docid AS id, matchinfo(story_search, 'pcnx') AS info, st.published_at").
		Joins("CROSS JOIN stories st ON st.id = story_search.docid").
		Where("story_search MATCH ? AND st.status = ?", match, StatusPublished)
	if q.CategoryID != 0 {
		db = db.Where("st.id IN (SELECT story_id FROM story_categories WHERE category_id = ?)", q.CategoryID)
	}
	if q.CompanyID != 0 {
		db = db.Where("st.company_id = ?", q.CompanyID)
	}
	// The index yields docids newest first and stops at the window: the
	// join and matchinfo run on SearchWindow rows at most.
	rows, err := scanSearchRows(db.Order("story_search.docid DESC").Limit(searchWindow + 1))
	if err != nil {
		return res, fmt.Errorf("search %q: %w", match, err)
	}
	if len(rows) > searchWindow {
		rows, res.More = rows[:searchWindow], true
	}
	for i := range rows {
		rows[i].titleTerms, rows[i].score = rank(rows[i].Info)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.titleTerms != b.titleTerms {
			return a.titleTerms > b.titleTerms
		}
		if a.score != b.score {
			return a.score > b.score
		}
		if !a.PublishedAt.Equal(b.PublishedAt) {
			return a.PublishedAt.After(b.PublishedAt)
		}
		return a.ID > b.ID
	})
	res.Total = len(rows)
	res.Pages = (res.Total + per - 1) / per
	if res.Page > max(res.Pages, 1) {
		return res, ErrNotFound
	}
	from := (res.Page - 1) * per
	rows = rows[from:min(from+per, len(rows))]
	if len(rows) == 0 {
		return res, nil
	}
	res.Hits, err = s.searchHits(ctx, match, rows)
	return res, err
}

// scanSearchRows reads the rows of q without GORM's reflection, which
// costs more than the query on a thousand rows.
func scanSearchRows(q *gorm.DB) ([]searchRow, error) {
	cur, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer cur.Close()
	var rows []searchRow
	for cur.Next() {
		var r searchRow
		if err := cur.Scan(&r.ID, &r.Info, &r.PublishedAt); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, cur.Err()
}

// rank reads matchinfo 'pcnx': the number of terms found in the title and a
// tf-idf score weighted by column.
func rank(info []byte) (titleTerms int, score float64) {
	v := make([]uint32, len(info)/4)
	for i := range v {
		v[i] = binary.NativeEndian.Uint32(info[i*4:])
	}
	if len(v) < 3 {
		return 0, 0
	}
	p, c, n := int(v[0]), int(v[1]), float64(v[2])
	if len(v) < 3+3*p*c || c != searchCols {
		return 0, 0
	}
	for i := 0; i < p; i++ {
		for j := 0; j < c; j++ {
			x := v[3+3*(i*c+j):]
			hits, docs := float64(x[0]), float64(x[2])
			if hits == 0 {
				continue
			}
			if j == colTitle {
				titleTerms++
			}
			score += searchWeights[j] * (1 + math.Log(hits)) * math.Log(1+n/max(docs, 1))
		}
	}
	return titleTerms, score
}

// searchHits loads the stories of rows, in order, with their snippets: two
// queries for the snippets and the stories, plus the stories' references.
func (s *Store) searchHits(ctx context.Context, match string, rows []searchRow) ([]SearchHit, error) {
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var snips []struct {
		ID       uint
		Info     []byte
		Title    string
		Body     string
		Comments string
	}
	err := s.r.WithContext(ctx).Table("story_search").
		Select("docid AS id, matchinfo(story_search, 'pcx') AS info, "+
			"snippet(story_search, char(1), char(2), '…', 0, 64) AS title, "+
			"snippet(story_search, char(1), char(2), '…', 1, 32) AS body, "+
			"snippet(story_search, char(1), char(2), '…', 4, 32) AS comments").
		Where("story_search MATCH ? AND docid IN ?", match, ids).Scan(&snips).Error
	if err != nil {
		return nil, fmt.Errorf("search snippets: %w", err)
	}
	var stories []Story
	if err := withStoryRefs(s.r.WithContext(ctx)).Where("id IN ?", ids).Find(&stories).Error; err != nil {
		return nil, fmt.Errorf("search stories: %w", err)
	}
	byID := map[uint]*SearchHit{}
	for i := range stories {
		byID[stories[i].ID] = &SearchHit{Story: stories[i]}
	}
	for _, sn := range snips {
		h := byID[sn.ID]
		if h == nil {
			continue
		}
		h.Title = highlight(sn.Title)
		h.Snippet = highlight(sn.Body)
		if bodyHits, commentHits := columnHits(sn.Info, colBody), columnHits(sn.Info, colComments); bodyHits == 0 && commentHits > 0 {
			h.Snippet, h.InComments = highlight(sn.Comments), true
		}
	}
	hits := make([]SearchHit, 0, len(rows))
	for _, id := range ids {
		if h := byID[id]; h != nil {
			if h.Title == "" {
				h.Title = html.EscapeString(h.Story.Title)
			}
			hits = append(hits, *h)
		}
	}
	return hits, nil
}

// columnHits counts the hits of all terms in column col, from matchinfo 'pcx'.
func columnHits(info []byte, col int) int {
	if len(info) < 8 {
		return 0
	}
	p, c := int(binary.NativeEndian.Uint32(info)), int(binary.NativeEndian.Uint32(info[4:]))
	n := 0
	for i := 0; i < p; i++ {
		at := 4 * (2 + 3*(i*c+col))
		if at+4 <= len(info) {
			n += int(binary.NativeEndian.Uint32(info[at:]))
		}
	}
	return n
}

// highlight escapes a snippet whose matches are wrapped in \x01 and \x02,
// turning those markers into balanced <mark> elements.
func highlight(s string) string {
	var b strings.Builder
	open := false
	for _, part := range strings.SplitAfter(s, "") {
		switch part {
		case "\x01":
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case "\x02":
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteString(html.EscapeString(part))
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}
