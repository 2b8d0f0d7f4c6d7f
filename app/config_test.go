package app

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDefaults(t *testing.T) {
	c, err := parseConfig("doleances", nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:3000" || c.BaseURL != "http://127.0.0.1:3000" || c.Data != "./data" || !c.Demo ||
		c.databasePath() != "data/doleances.db" {
		t.Errorf("defaults: %+v, db %s", c, c.databasePath())
	}
}

func TestConfigFromEnvironmentAndFlags(t *testing.T) {
	e := env(map[string]string{
		"DOLEANCES_ADDR": "0.0.0.0:8080", "DOLEANCES_BASE_URL": "https://plaintes.example/",
		"DOLEANCES_DATA": "/srv/d", "DOLEANCES_DEMO": "false", "DOLEANCES_GITHUB_KEY": "gk",
		"DOLEANCES_OIDC_ISSUER": "https://id.example", "DOLEANCES_OIDC_NAME": "Keycloak",
		"DOLEANCES_SMTP_URL": "smtps://u:p@mail.example:465", "DOLEANCES_MAIL_FROM": "Plaintes <bot@plaintes.example>",
	})
	c, err := parseConfig("doleances", []string{"-data", "/tmp/x", "-google-secret", "gs"}, e, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:8080" || c.BaseURL != "https://plaintes.example" || c.Data != "/tmp/x" || c.Demo ||
		c.GitHubKey != "gk" || c.GoogleSecret != "gs" || c.OIDCIssuer != "https://id.example" || c.OIDCName != "Keycloak" ||
		c.SMTPURL != "smtps://u:p@mail.example:465" || c.MailFrom != "Plaintes <bot@plaintes.example>" {
		t.Errorf("config: %+v", c)
	}
}

func TestConfigRejectsBadValues(t *testing.T) {
	for name, tt := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"base url scheme": {args: []string{"-base-url", "ftp://x"}},
		"demo env":        {env: map[string]string{"DOLEANCES_DEMO": "maybe"}},
		"other engine":    {args: []string{"-database-url", "mysql://db/x"}},
		"stray argument":  {args: []string{"serve-please"}},
		"unknown flag":    {args: []string{"-nope"}},
		"mail-from":       {env: map[string]string{"DOLEANCES_MAIL_FROM": "not an address"}},
	} {
		if _, err := parseConfig("doleances", tt.args, env(tt.env), &bytes.Buffer{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A postgres:// address is the site's database; the commands about the
// SQLite file say to use PostgreSQL's tools instead, and the log does not
// show the password.
func TestConfigTakesPostgres(t *testing.T) {
	const addr = "postgres://site:secret@db.example:5432/doleances"
	c, err := parseConfig("doleances", []string{"-database-url", addr}, env(nil), &bytes.Buffer{})
	if err != nil || c.databasePath() != addr || !c.onPostgres() {
		t.Fatalf("config %q: %v, database %q", addr, err, c.databasePath())
	}
	if shown := c.databaseShown(); strings.Contains(shown, "secret") || !strings.Contains(shown, "db.example") {
		t.Errorf("the log shows the database as %q", shown)
	}
	vars := env(map[string]string{"DOLEANCES_DATABASE_URL": addr})
	for _, cmd := range []string{"backup", "restore"} {
		err := Run(t.Context(), []string{"doleances", cmd, filepath.Join(t.TempDir(), "b.db")}, vars, &bytes.Buffer{})
		if !errors.Is(err, errNotSQLiteFile) {
			t.Errorf("%s on PostgreSQL: %v, want to be told about pg_dump", cmd, err)
		}
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var out bytes.Buffer
	if err := Run(t.Context(), []string{"doleances", "-h"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"addr", "base-url", "data", "database-url", "demo", "github-key", "github-secret",
		"google-key", "facebook-secret", "twitter-key", "oidc-issuer", "oidc-key", "oidc-secret", "oidc-name",
		"github-url", "admin-emails", "post-rate", "hold-words", "smtp-url", "mail-from"} {
		if !strings.Contains(out.String(), "-"+name) || !strings.Contains(out.String(), envName(name)) {
			t.Errorf("-h does not list %s / %s", name, envName(name))
		}
	}
}

// TestMailFrom: the default From is the site at noreply@ the base URL's
// host (localhost for an address); a set one is used as given.
func TestMailFrom(t *testing.T) {
	for _, tc := range []struct{ base, from, name, addr string }{
		{"https://plaintes.example", "", "Doléances", "noreply@plaintes.example"},
		{"http://127.0.0.1:3000", "", "Doléances", "noreply@localhost"},
		{"https://x.example", "Plaintes <bot@x.example>", "Plaintes", "bot@x.example"},
	} {
		c := Config{BaseURL: tc.base, MailFrom: tc.from}
		name, addr, err := c.mailFrom()
		if err != nil || name != tc.name || addr != tc.addr {
			t.Errorf("%s %q: %q <%s>, %v", tc.base, tc.from, name, addr, err)
		}
	}
}
