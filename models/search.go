package models

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"doleances/models/pii"

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
	// Before continues a search into older stories: only those written
	// before the story with this id are searched. 0 means the newest.
	Before uint
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
	// Older is the Before of the next search into older stories, 0 when
	// this one reached the oldest story.
	Older uint
	// Since and Until are when the oldest and the newest stories searched
	// were written; Since is zero when the search reached the oldest story,
	// Until when it started from the newest.
	Since, Until time.Time
}

// SearchWindow is the number of matching stories a search ranks: the most
// recently written ones. It bounds the cost of a query for a word that half
// the site uses, which FTS4 could only rank by reading every match.
const SearchWindow = 500

// searchWindow is SearchWindow; tests lower it.
var searchWindow = SearchWindow

// SearchSpan is the number of stories, by id, that one search reads back
// from the newest (or from its Before), unless Options say otherwise: a
// search for words that few stories hold together must otherwise read every
// story that holds one of them, so its cost would grow with the site. A
// search that stops at its span, or at a full window, links to the next,
// older span. A thousand is the whole of a small site, and as much as a
// search reads of a large one.
const SearchSpan = 1000

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

// searchRow is a story in the window: its rank and where its terms are.
type searchRow struct {
	ID          uint
	PublishedAt float64 // a Julian day: cheaper to read than a time
	titleTerms  int
	score       float64
	bodyHits    int
	commentID   uint // the newest matching comment, if any
}

// Search finds published stories whose title, text, tags and company hold
// every term of q, or one of whose approved comments does; stories with the
// terms in their title first, then by relevance, then newest first. It reads
// one span of stories, newest first, and ranks the SearchWindow most recent
// matches in it; Older continues it. A page past the last is ErrNotFound.
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
	db := s.r.WithContext(ctx)
	span, err := searchRangeFor(db, q.Before, s.span)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	if span.hi == 0 { // no story to search
		if res.Page > 1 {
			return res, ErrNotFound
		}
		return res, nil
	}
	// Words typed alone are prefixes too, but FTS4 reads every match of
	// every longer word in the site before the first row of a prefix,
	// where it reads a word's matches newest first and stops with the
	// search. So the words are searched as typed, and as prefixes only
	// when nothing in the span holds them as typed.
	exact := strings.ReplaceAll(match, `*"`, `"`)
	w, err := s.d.findMatches(db, exact, q, span)
	if err == nil && len(w.rows) == 0 && exact != match {
		exact = match
		w, err = s.d.findMatches(db, match, q, span)
	}
	if err != nil {
		return res, fmt.Errorf("search %q: %w", exact, err)
	}
	match, res.More = exact, w.more
	if err := w.reach(db, &res, q.Before, span); err != nil {
		return res, fmt.Errorf("search %q: %w", match, err)
	}
	rows := w.rows
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.titleTerms != b.titleTerms {
			return a.titleTerms > b.titleTerms
		}
		if a.score != b.score {
			return a.score > b.score
		}
		if a.PublishedAt != b.PublishedAt {
			return a.PublishedAt > b.PublishedAt
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

// searchRange is the ids of the stories a search reads, lo to hi, and of
// the oldest story in the index; hi is 0 when there is no story to search.
type searchRange struct{ lo, hi, first uint }

// searchRangeFor is the span of a search that reads up to span stories
// written before the story before (0: from the newest).
func searchRangeFor(db *gorm.DB, before, span uint) (searchRange, error) {
	limit := int64(math.MaxInt64)
	if before != 0 {
		limit = int64(before)
	}
	var r searchRange
	row := db.Raw(`SELECT COALESCE((SELECT max(docid) FROM story_search_text WHERE docid < ?), 0),
		COALESCE((SELECT min(docid) FROM story_search_text), 0)`, limit).Row()
	if err := row.Scan(&r.hi, &r.first); err != nil || r.hi == 0 {
		return searchRange{}, err
	}
	r.lo = 1
	if r.hi > span {
		r.lo = r.hi - span + 1
	}
	return r, nil
}

// matchWindow is what a search found in its span: the rows it ranks,
// whether more matched than the window holds, and the oldest story it read.
type matchWindow struct {
	rows   []searchRow
	more   bool
	oldest uint
}

// reach fills in how far back the search went: the Before of the next,
// older search if any story is older than those read, and the dates of the
// oldest and newest stories read.
func (w matchWindow) reach(db *gorm.DB, res *SearchResult, before uint, span searchRange) error {
	var err error
	if w.oldest > span.first {
		res.Older = w.oldest
		if res.Since, err = writtenAt(db, "id >= ?", "id", w.oldest); err != nil {
			return err
		}
	}
	if before != 0 {
		res.Until, err = writtenAt(db, "id <= ?", "id DESC", span.hi)
	}
	return err
}

// writtenAt is when the first story by order that meets cond was written.
func writtenAt(db *gorm.DB, cond, order string, id uint) (time.Time, error) {
	var at []time.Time
	err := db.Model(&Story{}).Where(cond, id).Order(order).Limit(1).Pluck("created_at", &at).Error
	if err != nil || len(at) == 0 {
		return time.Time{}, err
	}
	return at[0], nil
}

// findMatches returns the SearchWindow most recently written stories in
// span that match by their own text, and whether there were more; when
// fewer match, those that match by their text or by a comment. Both index
// tables are read newest first and only as far as the window or the span
// goes: the cost of a query does not grow with the number of stories.
func (d dialect) findMatches(db *gorm.DB, match string, q SearchQuery, span searchRange) (matchWindow, error) {
	var filter string
	var filterArgs []any
	if q.CategoryID != 0 {
		filter += " AND st.id IN (SELECT story_id FROM story_categories WHERE category_id = ?)"
		filterArgs = append(filterArgs, q.CategoryID)
	}
	if q.CompanyID != 0 {
		filter += " AND st.company_id = ?"
		filterArgs = append(filterArgs, q.CompanyID)
	}
	byID := map[uint]*searchRow{}
	var ids []uint // newest first
	err := d.scanStoryMatches(db, match, span, filter, filterArgs,
		func(id uint, info []uint32, at float64) bool {
			r := &searchRow{ID: id, PublishedAt: at}
			r.rankStory(info)
			byID[id] = r
			ids = append(ids, id)
			return len(ids) <= searchWindow
		})
	if err != nil {
		return matchWindow{}, err
	}
	if len(ids) > searchWindow {
		// The stories' own text fills the window: comments would only
		// add stories ranked below every one of these (a comment counts
		// for less than the story's text), and reading them was most of
		// the time of a search for a word that readers use too.
		ids = ids[:searchWindow]
		return matchWindow{rows: windowRows(byID, ids), more: true, oldest: ids[len(ids)-1]}, nil
	}
	// Comments: their docids are all a search reads of them (the story id
	// and the comment id). A story's matching comments count once, half
	// as much as its own text would: a story found by its comments only
	// ranks below every story found by its text.
	cq := `SELECT comment_search.docid FROM comment_search`
	if filter != "" {
		cq += ` CROSS JOIN stories st INDEXED BY idx_stories_search ON st.id = comment_search.docid >> 32`
	}
	perComment := searchWeights[colComments] * float64(strings.Count(match, `"`)/2)
	seen := 0
	var last uint
	var undated []uint // stories found by their comments only
	err = d.eachShard(span, func(sh searchShard) (bool, error) {
		fromDocid, toDocid := commentDocids(sh.lo, sh.hi)
		inShard, shardArgs := d.inShard("comment_search", sh)
		args := append(append([]any{d.matchArg(match)}, shardArgs...), fromDocid, toDocid)
		return eachDocid(db, cq+` WHERE `+d.matches("comment_search")+inShard+` AND comment_search.docid BETWEEN ? AND ?`+filter+` ORDER BY comment_search.docid DESC`,
			append(args, filterArgs...), func(docid int64) bool {
				id, commentID := uint(docid>>32), uint(docid&0xFFFFFFFF)
				if id != last {
					if last, seen = id, seen+1; seen > searchWindow {
						return false
					}
				}
				r := byID[id]
				if r == nil {
					r = &searchRow{ID: id}
					byID[id] = r
					ids = append(ids, id)
					undated = append(undated, id)
				}
				if r.commentID == 0 {
					r.commentID = commentID
					r.score += perComment
				}
				return true
			})
	})
	if err != nil {
		return matchWindow{}, err
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] > ids[j] })
	w := matchWindow{oldest: span.lo}
	if len(ids) > searchWindow {
		ids, w.more = ids[:searchWindow], true
		w.oldest = ids[len(ids)-1]
	}
	if len(ids) == 0 {
		return w, nil
	}
	if err := datePublished(db, byID, undated, ids[len(ids)-1]); err != nil {
		return matchWindow{}, err
	}
	w.rows = windowRows(byID, ids)
	return w, nil
}

// windowRows are the rows of ids.
func windowRows(byID map[uint]*searchRow, ids []uint) []searchRow {
	rows := make([]searchRow, len(ids))
	for i, id := range ids {
		rows[i] = *byID[id]
	}
	return rows
}

// datePublished fills in the publication dates of the stories ids (those
// from oldest on, the others being out of the window) from the index.
func datePublished(db *gorm.DB, byID map[uint]*searchRow, ids []uint, oldest uint) error {
	ids = slices.DeleteFunc(ids, func(id uint) bool { return id < oldest })
	if len(ids) == 0 {
		return nil
	}
	var dates []struct {
		ID uint
		At float64
	}
	if err := db.Raw("SELECT id, julianday(published_at) AS at FROM stories INDEXED BY idx_stories_search WHERE id IN ?", ids).
		Scan(&dates).Error; err != nil {
		return err
	}
	for _, d := range dates {
		byID[d.ID].PublishedAt = d.At
	}
	return nil
}

// eachDocid runs query, whose one column is a docid, and hands each to f
// until f says stop; it says whether f did.
func eachDocid(db *gorm.DB, query string, args []any, f func(docid int64) bool) (stopped bool, err error) {
	cur, err := db.Raw(query, args...).Rows()
	if err != nil {
		return false, err
	}
	defer cur.Close()
	var docid int64
	for cur.Next() {
		if err := cur.Scan(&docid); err != nil {
			return false, err
		}
		if !f(docid) {
			return true, nil
		}
	}
	return false, cur.Err()
}

// eachShard runs read on each shard of span, newest first, until it says
// it stopped.
func (d dialect) eachShard(span searchRange, read func(sh searchShard) (stopped bool, err error)) error {
	for _, sh := range d.shards(span.lo, span.hi) {
		if stopped, err := read(sh); stopped || err != nil {
			return err
		}
	}
	return nil
}

// scanStoryMatches runs the stories' query of findMatches: the docid,
// matchinfo 'pcy' and publication date of each story of span whose text
// holds match, newest first.
func (d dialect) scanStoryMatches(db *gorm.DB, match string, span searchRange, filter string, filterArgs []any,
	f func(id uint, info []uint32, at float64) bool) error {
	if d == postgresDialect {
		return pgStoryMatches(db, match, span, filter, filterArgs, f)
	}
	return d.eachShard(span, func(sh searchShard) (bool, error) {
		inShard, shardArgs := d.inShard("story_search", sh)
		args := append(append([]any{match}, shardArgs...), sh.lo, sh.hi)
		return scanMatches(db, `SELECT story_search.docid, matchinfo(story_search, 'pcy'), julianday(st.published_at) FROM story_search
		CROSS JOIN stories st INDEXED BY idx_stories_search ON st.id = story_search.docid
		WHERE story_search MATCH ?`+inShard+` AND story_search.docid BETWEEN ? AND ?`+filter+` ORDER BY story_search.docid DESC`,
			append(args, filterArgs...), f)
	})
}

// scanMatches runs query and hands each row (story id, matchinfo,
// publication date) to f until f says stop, and says whether it did; rows
// are read without GORM's reflection, which costs more than the query.
func scanMatches(db *gorm.DB, query string, args []any, f func(id uint, info []uint32, at float64) bool) (stopped bool, err error) {
	cur, err := db.Raw(query, args...).Rows()
	if err != nil {
		return false, err
	}
	defer cur.Close()
	var id uint
	var raw []byte
	var at sql.NullFloat64
	for cur.Next() {
		if err := cur.Scan(&id, &raw, &at); err != nil {
			return false, err
		}
		info := make([]uint32, len(raw)/4)
		for i := range info {
			info[i] = binary.NativeEndian.Uint32(raw[i*4:])
		}
		if !f(id, info, at.Float64) {
			return true, nil
		}
	}
	return false, cur.Err()
}

// rankStory reads a story's matchinfo 'pcy' (phrases, columns, hits of each
// phrase in each column of this row): the number of terms found in its
// title, the hits in its body, and a score weighted by column.
func (r *searchRow) rankStory(info []uint32) {
	if len(info) < 2 || info[1] != colComments {
		return
	}
	p := int(info[0])
	for j := range colComments {
		r.score += phraseScore(info, colComments, j, searchWeights[j])
		for i := 0; i < p && 2+i*colComments+j < len(info); i++ {
			if h := int(info[2+i*colComments+j]); h > 0 {
				if j == colTitle {
					r.titleTerms++
				}
				if j == colBody {
					r.bodyHits += h
				}
			}
		}
	}
}

// phraseScore is the weighted score of column col in matchinfo 'pcy' of a
// table with cols columns: each term found counts, more hits count a little
// more. (FTS4 could weigh rare words more, but only by reading every match
// of each word: the 'x' matchinfo; all terms are in every hit anyway.)
func phraseScore(info []uint32, cols, col int, weight float64) float64 {
	if len(info) < 2 {
		return 0
	}
	score := 0.0
	for i := 0; i < int(info[0]); i++ {
		if at := 2 + i*cols + col; at < len(info) && info[at] > 0 {
			score += weight * (1 + math.Log(float64(info[at])))
		}
	}
	return score
}

// searchHits loads the stories of rows, in order, with their snippets, made
// from the story's text (or its newest matching comment when the text does
// not hold the terms): three queries whatever the page size.
func (s *Store) searchHits(ctx context.Context, match string, rows []searchRow) ([]SearchHit, error) {
	ids := make([]uint, len(rows))
	var commentIDs []uint
	for i, r := range rows {
		ids[i] = r.ID
		if r.bodyHits == 0 && r.commentID != 0 {
			commentIDs = append(commentIDs, r.commentID)
		}
	}
	db := s.r.WithContext(ctx)
	var stories []Story
	if err := withStoryRefs(db).Where("id IN ?", ids).Find(&stories).Error; err != nil {
		return nil, fmt.Errorf("search stories: %w", err)
	}
	texts := map[uint]string{}
	var rowsText []struct {
		ID   uint
		Text string
	}
	if err := db.Raw("SELECT id, plain_text AS text FROM stories WHERE id IN ?", ids).Scan(&rowsText).Error; err != nil {
		return nil, fmt.Errorf("search texts: %w", err)
	}
	for _, t := range rowsText {
		texts[t.ID] = t.Text
	}
	comments := map[uint]string{}
	if len(commentIDs) > 0 {
		rowsText = nil
		if err := db.Raw("SELECT id, body AS text FROM comments WHERE id IN ?", commentIDs).Scan(&rowsText).Error; err != nil {
			return nil, fmt.Errorf("search comments: %w", err)
		}
		for _, t := range rowsText {
			// A few comments a page: parsed here, not stored; masked as
			// their page shows them (Body is the text as typed).
			comments[t.ID] = commentText(pii.Mask(t.Text, nil))
		}
	}
	byID := map[uint]*Story{}
	for i := range stories {
		byID[stories[i].ID] = &stories[i]
	}
	terms := snippetTerms(match)
	hits := make([]SearchHit, 0, len(rows))
	for _, r := range rows {
		st := byID[r.ID]
		if st == nil {
			continue
		}
		h := SearchHit{Story: *st, Title: highlightAll(st.Title, terms)}
		if c, ok := comments[r.commentID]; ok && r.bodyHits == 0 {
			h.Snippet, h.InComments = snippet(c, terms, snippetWords), true
		} else {
			h.Snippet = snippet(texts[r.ID], terms, snippetWords)
		}
		hits = append(hits, h)
	}
	return hits, nil
}
