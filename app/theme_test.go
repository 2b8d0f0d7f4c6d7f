package app

import (
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"doleances/static"
)

// themePairs are the text colours of the stylesheet on the backgrounds
// they are used on (a name is a custom property; #rrggbb is written out).
var themePairs = [][2]string{
	{"ink", "paper"}, {"ink", "card"}, {"muted", "card"}, {"muted", "paper"}, {"muted", "grey-bg"}, {"ink", "grey-bg"},
	{"link", "card"}, {"link", "paper"}, {"red", "card"}, {"red", "paper"}, {"green", "green-bg"}, {"green", "card"},
	{"amber", "amber-bg"}, {"#ffffff", "navy"}, {"#ffffff", "navy-dark"},
}

var (
	customProp = regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;`)
	darkRoot   = regexp.MustCompile(`@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}`)
)

// TestDarkThemeKeepsTheContrast reads the colours of both themes from the
// stylesheet's custom properties and checks every text colour against the
// backgrounds it is used on: at least 4.5:1 (WCAG AA for text) in each.
func TestDarkThemeKeepsTheContrast(t *testing.T) {
	b, err := fs.ReadFile(static.FS, "style.css")
	check(t, err)
	css := string(b)
	light := props(css[strings.Index(css, ":root {"):strings.Index(css, "}")])
	m := darkRoot.FindStringSubmatch(css)
	if m == nil {
		t.Fatal("style.css has no :root block under prefers-color-scheme: dark")
	}
	dark := props(m[1])
	for theme, vars := range map[string]map[string]string{"light": light, "dark": dark} {
		for _, p := range themePairs {
			fg, bg := colour(vars, p[0]), colour(vars, p[1])
			if fg == "" || bg == "" {
				t.Errorf("%s theme: no value for %v", theme, p)
				continue
			}
			if r := contrast(fg, bg); r < 4.5 {
				t.Errorf("%s theme: %s (%s) on %s (%s) is %.2f:1, under 4.5:1", theme, p[0], fg, p[1], bg, r)
			}
		}
	}
	for name := range light {
		if _, ok := dark[name]; !ok && name != "serif" && name != "sans" && name != "radius" {
			t.Errorf("--%s has no dark value", name)
		}
	}
}

func props(block string) map[string]string {
	out := map[string]string{}
	for _, m := range customProp.FindAllStringSubmatch(block, -1) {
		out[m[1]] = strings.ToLower(m[2])
	}
	return out
}

func colour(vars map[string]string, name string) string {
	if strings.HasPrefix(name, "#") {
		return name
	}
	return vars[name]
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			panic(fmt.Sprintf("colour %q: %v", hex, err))
		}
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}
