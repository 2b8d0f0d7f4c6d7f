package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopyToCommand moves a site into a new SQLite file as a person would,
// then serves the copy: same stories, comments and sign-in; a second copy
// into the now full file is refused with a clear message.
func TestCopyToCommand(t *testing.T) {
	cs := newSite(t, withComments())
	reader := cs.signIn(cs.readers[0])
	cs.comment(reader, cs.story, "Copié avec le reste.")
	target := "sqlite:" + filepath.Join(t.TempDir(), "moved", "doleances.db")
	run := func(out io.Writer, args ...string) error {
		return Run(context.Background(), append([]string{"doleances", "copy-to", "-data", cs.Data}, args...), cs.cliEnv(), out) // the site's database, on either engine
	}
	var out bytes.Buffer
	check(t, run(&out, target))
	for _, want := range []string{"stories", "comments", "rows", "the counts of all", "Pictures are not in the database", "-media-url"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	moved := newSite(t, withClock(cs.clock.now()), withConfig(func(c *Config) { c.DatabaseURL = target }))
	res, body := moved.get(nil, "/stories/"+cs.story.Slug)
	wantCode(t, res, body, http.StatusOK)
	wantIn(t, "the copied story", body, "Résilier chez Orange", "Copié avec le reste.")
	res, body = moved.get(reader, "/me") // the session made on the old site
	wantCode(t, res, body, http.StatusOK)
	err := run(io.Discard, target)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "only an empty database") {
		t.Fatalf("a copy into a full database: %v", err)
	}
	for _, bad := range [][]string{{}, {"mysql://127.0.0.1/x"}, {"sqlite:" + cs.dbPath}} {
		if err := run(io.Discard, bad...); err == nil {
			t.Errorf("copy-to %v succeeded", bad)
		}
	}
}
