package handlers

import (
	"cmp"
	"math"
	"strings"
	"time"

	"doleances/models"
)

// OpenGraph is what link previews (OpenGraph, Twitter cards) show of a story.
type OpenGraph struct {
	Title       string
	Description string
	URL         string
	Published   time.Time
	Modified    time.Time
	Author      string
	Section     string
	Tags        []string
	// Image is the absolute URL of the story's cover, or of its first
	// picture; empty when it has none.
	Image                   string
	ImageAlt                string
	ImageWidth, ImageHeight int
}

// blogPosting is the schema.org BlogPosting of a story, written as JSON-LD.
// html/template escapes it for the script element, so no title can end it.
type blogPosting struct {
	Context       string       `json:"@context"`
	Type          string       `json:"@type"`
	Headline      string       `json:"headline"`
	Description   string       `json:"description,omitempty"`
	URL           string       `json:"url"`
	MainEntity    string       `json:"mainEntityOfPage"`
	DatePublished string       `json:"datePublished"`
	DateModified  string       `json:"dateModified"`
	Author        jsonLDThing  `json:"author"`
	Publisher     jsonLDThing  `json:"publisher"`
	Keywords      []string     `json:"keywords,omitempty"`
	About         *jsonLDThing `json:"about,omitempty"`
	CommentCount  int          `json:"commentCount"`
	InLanguage    string       `json:"inLanguage"`
	Image         *jsonLDImage `json:"image,omitempty"`
}

type jsonLDImage struct {
	Type   string `json:"@type"`
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type jsonLDThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// storyMeta fills the OpenGraph and JSON-LD data of a story page.
func storyMeta(l *Layout, st *models.Story, siteLang string) {
	pub := st.CreatedAt
	if st.PublishedAt != nil {
		pub = *st.PublishedAt
	}
	mod := pub
	if st.UpdatedAt.After(mod) {
		mod = st.UpdatedAt
	}
	og := &OpenGraph{Title: st.Title, Description: st.Excerpt, URL: l.Canonical, Published: pub, Modified: mod, Author: st.Author.Name}
	if len(st.Categories) > 0 {
		og.Section = st.Categories[0].Name
	}
	for _, t := range st.Tags {
		og.Tags = append(og.Tags, t.Name)
	}
	if ref, alt, ok := storyImage(st); ok {
		og.Image, og.ImageAlt, og.ImageWidth, og.ImageHeight = l.Site.BaseURL+ref.URL(), alt, ref.W, ref.H
	}
	l.OpenGraph = og
	bp := blogPosting{
		Context: "https://schema.org", Type: "BlogPosting", Headline: st.Title, Description: st.Excerpt,
		URL: l.Canonical, MainEntity: l.Canonical,
		DatePublished: pub.UTC().Format(time.RFC3339), DateModified: mod.UTC().Format(time.RFC3339),
		Author:    jsonLDThing{Type: "Person", Name: st.Author.Name, URL: l.Site.BaseURL + "/author/" + st.Author.Handle},
		Publisher: jsonLDThing{Type: "Organization", Name: l.Site.Name, URL: l.Site.BaseURL + "/"},
		Keywords:  og.Tags, CommentCount: st.CommentCount, InLanguage: cmp.Or(st.Lang, siteLang),
	}
	if st.Company != nil {
		bp.About = &jsonLDThing{Type: "Organization", Name: st.Company.Name, URL: l.Site.BaseURL + "/company/" + st.Company.Slug}
	}
	if og.Image != "" {
		bp.Image = &jsonLDImage{Type: "ImageObject", URL: og.Image, Width: og.ImageWidth, Height: og.ImageHeight}
	}
	l.JSONLD = bp
}

// organization is the schema.org Organization of a company page, with its
// scorecard's figures as properties.
type organization struct {
	Context     string          `json:"@context"`
	Type        string          `json:"@type"`
	Name        string          `json:"name"`
	URL         string          `json:"url"`
	SameAs      string          `json:"sameAs,omitempty"`
	Description string          `json:"description"`
	Properties  []propertyValue `json:"additionalProperty"`
}

type propertyValue struct {
	Type  string `json:"@type"`
	Name  string `json:"name"`
	Value any    `json:"value"`
	Unit  string `json:"unitText,omitempty"`
}

// companyMeta fills the description and JSON-LD of a company page with its figures.
func companyMeta(l *Layout, co *models.Company, sc *Scorecard) {
	l.Description = strings.TrimSpace(co.Description + " " + sc.Summary())
	cs := sc.Stats
	props := []propertyValue{
		{Type: "PropertyValue", Name: "published stories", Value: cs.Stories},
		{Type: "PropertyValue", Name: "me too", Value: cs.MeToo},
	}
	if sc.Rated {
		props = append(props,
			propertyValue{Type: "PropertyValue", Name: "share of stories with an official reply", Value: round1(cs.ReplyRate()), Unit: "percent"},
			propertyValue{Type: "PropertyValue", Name: "share of stories resolved as confirmed by their authors", Value: round1(cs.ResolveRate()), Unit: "percent"})
		if cs.ReplyDays != nil {
			props = append(props, propertyValue{Type: "PropertyValue", Name: "median days to the first reply", Value: round1(*cs.ReplyDays), Unit: "days"})
		}
		if cs.ResolveDays != nil {
			props = append(props, propertyValue{Type: "PropertyValue", Name: "median days to resolution", Value: round1(*cs.ResolveDays), Unit: "days"})
		}
	}
	l.JSONLD = organization{Context: "https://schema.org", Type: "Organization", Name: co.Name,
		URL: l.Site.BaseURL + "/company/" + co.Slug, SameAs: co.Website, Description: l.Description, Properties: props}
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// storyImage is the picture that stands for a story in link previews: its
// cover, or else the first of the site's pictures in its text.
func storyImage(st *models.Story) (models.MediaRef, string, bool) {
	if ref, ok := models.ParseMediaURL(st.Cover); ok {
		return ref, st.CoverAlt, true
	}
	return models.FirstPicture(st.HTML)
}
