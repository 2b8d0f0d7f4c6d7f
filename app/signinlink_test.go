package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"doleances/models"
)

// TestSigninLinkUsesTheServersAddress: a server started with -addr
// 127.0.0.1:3999 and no -base-url makes signin-link, run with the data
// folder alone, print links to 127.0.0.1:3999; before any server started it
// warns that the address is a guess; -base-url or its variable still win.
func TestSigninLinkUsesTheServersAddress(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, err := models.Open(filepath.Join(dir, "doleances.db"), models.Options{})
	check(t, err)
	check(t, store.CreateUser(ctx, &models.User{Handle: "ada", Name: "Ada", Role: models.RoleAdmin}))
	check(t, store.Close())
	link := func(env map[string]string, args ...string) string {
		t.Helper()
		env["DOLEANCES_DATA"] = dir
		var out bytes.Buffer
		if err := Run(ctx, append([]string{"doleances", "signin-link"}, append(args, "ada")...), func(k string) string { return env[k] }, &out); err != nil {
			t.Fatalf("signin-link: %v", err)
		}
		return out.String()
	}
	if out := link(map[string]string{}); !strings.Contains(out, "Warning: -base-url is not set") || !strings.Contains(out, "http://127.0.0.1:3000/signin/") {
		t.Errorf("before any server started: %q", out)
	}

	cfg, err := parseConfig("doleances", []string{"-addr", "127.0.0.1:3999", "-data", dir, "-demo=false"}, func(string) string { return "" }, io.Discard)
	check(t, err)
	srv, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	check(t, err)
	check(t, srv.Close())

	if out := link(map[string]string{}); !strings.Contains(out, "http://127.0.0.1:3999/signin/") || strings.Contains(out, "Warning") {
		t.Errorf("after a server started with -addr 127.0.0.1:3999: %q", out)
	}
	if out := link(map[string]string{"DOLEANCES_BASE_URL": "https://example.org"}); !strings.Contains(out, "https://example.org/signin/") {
		t.Errorf("with DOLEANCES_BASE_URL: %q", out)
	}
	if out := link(map[string]string{}, "-base-url", "https://other.example"); !strings.Contains(out, "https://other.example/signin/") {
		t.Errorf("with -base-url: %q", out)
	}
}
