package wxr

import "testing"

// TestAutop: WordPress's paragraph rules on classic-editor text.
func TestAutop(t *testing.T) {
	cases := []struct{ in, want string }{
		{"One.\n\nTwo\nlines.", "<p>One.</p>\n<p>Two<br />\nlines.</p>\n"},
		{"One <em>x</em>.\n\nTwo\nlines.", "<p>One <em>x</em>.</p>\n<p>Two<br />\nlines.</p>\n"},
		{"Intro\n<ul>\n\t<li>a</li>\n</ul>\nAfter.", "<p>Intro</p>\n<ul>\n<li>a</li>\n</ul>\n<p>After.</p>\n"},
		{"<blockquote>Hi,\n\nBye.</blockquote>", "<blockquote><p>Hi,</p>\n<p>Bye.</p></blockquote>\n"},
		{"<p>Kept.</p>\n<p>As is.</p>", "<p>Kept.</p>\n<p>As is.</p>\n"},
		{"<pre>a\n\nb</pre>\n\nText", "<pre>a\n\nb</pre>\n<p>Text</p>\n"},
		{"  \n ", ""},
	}
	for _, c := range cases {
		if got := Autop(c.in); got != c.want {
			t.Errorf("Autop(%q) =\n%q\nwant\n%q", c.in, got, c.want)
		}
	}
}
