package handlers

import (
	"net/url"
	"testing"
	"time"

	"doleances/models"
)

func TestNewPager(t *testing.T) {
	tests := []struct {
		base       string
		n, pages   int
		prev, next string
	}{
		{"", 1, 3, "", "/page/2"},
		{"", 2, 3, "/", "/page/3"},
		{"", 3, 3, "/page/2", ""},
		{"/tag/x", 2, 2, "/tag/x", ""},
		{"/tag/x", 1, 1, "", ""},
		{"/tag/x", 1, 0, "", ""},
	}
	for _, tt := range tests {
		p := newPager(tt.base, tt.n, tt.pages)
		if p.Prev != tt.prev || p.Next != tt.next {
			t.Errorf("newPager(%q, %d, %d) = %+v, want prev %q next %q", tt.base, tt.n, tt.pages, p, tt.prev, tt.next)
		}
	}
}

func TestThreads(t *testing.T) {
	id := func(n uint) *uint { return &n }
	cs := []models.Comment{
		{ID: 1}, {ID: 2, ParentID: id(1)}, {ID: 3, ParentID: id(2)}, {ID: 4},
		{ID: 5, ParentID: id(99)}, // its parent is not shown: top level
		{ID: 6, ParentID: id(1)},
	}
	roots := threads(cs, &CommentView{}, 0, time.Time{})
	if len(roots) != 3 || roots[0].ID != 1 || roots[1].ID != 4 || roots[2].ID != 5 {
		t.Fatalf("roots: %+v", roots)
	}
	r := roots[0].Replies
	if len(r) != 2 || r[0].ID != 2 || r[1].ID != 6 || len(r[0].Replies) != 1 || r[0].Replies[0].ID != 3 {
		t.Errorf("replies of 1: %+v", r)
	}
}

func TestNextEscaperKeepsOneQueryValue(t *testing.T) {
	for in, want := range map[string]string{
		"/write":                 "/write",
		"/stories/a&next=//evil": "/stories/a%26next=//evil",
		"/x#frag 1+2%":           "/x%23frag%201%2B2%25",
	} {
		got := nextEscaper.Replace(in)
		if got != want {
			t.Errorf("nextEscaper(%q) = %q, want %q", in, got, want)
		}
		if v, err := url.ParseQuery("next=" + got); err != nil || v.Get("next") != in {
			t.Errorf("next=%s reads back as %q (%v)", got, v.Get("next"), err)
		}
	}
}
