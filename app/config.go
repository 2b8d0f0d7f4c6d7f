package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone database inside the binary: -timezone works on hosts without one

	"github.com/gofiber/fiber/v2"

	"doleances/app/oauth"
	"doleances/handlers/i18n"
	"doleances/models"
	"doleances/models/media"
)

// Config is every setting of the server. Each field is a flag whose default
// comes from the DOLEANCES_* environment variable of the same name.
type Config struct {
	Addr        string
	BaseURL     string
	Data        string
	DatabaseURL string
	Demo        bool
	LogLevel    string
	MediaURL    string // where pictures are kept: empty for the data folder, s3://bucket/prefix?endpoint=...

	oauth.Settings        // the sign-in providers' keys and addresses
	AdminEmails    string // comma-separated verified emails that make admins
	HoldWords      string // comma-separated words that hold a comment for moderation
	PostRate       int    // POSTs per minute per IP address (0: no limit)
	SearchRate     int    // searches per minute per IP address (0: no limit)
	TrustedProxies string // comma-separated addresses or CIDR ranges whose X-Forwarded-For is believed
	SMTPURL        string // smtp://user:pass@host:587, smtps://...:465; empty: mail is logged and kept
	MailFrom       string // the From of every mail; empty: the site's name at noreply@ the base URL's host
	Lang           string // the site's language (en, fr); empty: en
	Timezone       string // IANA zone the pages show times in (Europe/Paris)

	pseudoLocale bool // adds the pseudo-locale (tests of the translations)
	// missingText is told of each message a catalogue lacks (tests); nil: ignored.
	missingText func(lang, key string)

	now      func() time.Time // the clock; nil: time.Now (tests set it)
	timeouts timeouts         // zero values: the defaults (tests shorten them)
	busyWait time.Duration    // how long a write waits for another process's lock; 0: 10 s (tests shorten it)
	mailPoll time.Duration    // how often the sender looks at the outbox; 0: 15 s (tests shorten it)
	// testRoutes adds routes before the site's own (a panicking handler...).
	testRoutes func(fiber.Router)
}

// timeouts bound how long a connection may take; see timeouts.orDefaults.
type timeouts struct {
	read, write, idle time.Duration
	request           time.Duration // a request's work (handlers.RequestTimeout)
}

// clock is the configured clock.
func (c *Config) clock() func() time.Time {
	if c.now != nil {
		return c.now
	}
	return time.Now
}

// envName gives the environment variable of a flag: "base-url" -> DOLEANCES_BASE_URL.
func envName(flagName string) string {
	return "DOLEANCES_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseConfig reads flags from args, each defaulting to its environment
// variable; extra adds a subcommand's own flags.
func parseConfig(name string, args []string, getenv func(string) string, out io.Writer, extra ...func(*flag.FlagSet)) (Config, error) {
	var c Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	for _, add := range extra {
		add(fs)
	}
	str := func(p *string, name, def, usage string) {
		if v := getenv(envName(name)); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" (env "+envName(name)+")")
	}
	str(&c.Addr, "addr", "127.0.0.1:3000", "address to listen on")
	str(&c.BaseURL, "base-url", "", "public URL of the site (default http:// + addr)")
	str(&c.Data, "data", "./data", "folder for the database and other data; created if missing")
	str(&c.DatabaseURL, "database-url", "", "database to use (default: SQLite file doleances.db in the data folder)")
	str(&c.MediaURL, "media-url", "", "where pictures are kept: empty for the media folder under -data, file:///path, or s3://bucket/prefix?endpoint=host:port&region=...")
	str(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	demo := true
	if v := getenv(envName("demo")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("%s=%q: want true or false", envName("demo"), v)
		}
		demo = b
	}
	fs.BoolVar(&c.Demo, "demo", demo, "fill a new, empty database with a demo site (env "+envName("demo")+")")
	for _, p := range []struct {
		key, secret *string
		name, label string
	}{
		{&c.GitHubKey, &c.GitHubSecret, "github", "GitHub"},
		{&c.GoogleKey, &c.GoogleSecret, "google", "Google"},
		{&c.FacebookKey, &c.FacebookSecret, "facebook", "Facebook"},
		{&c.TwitterKey, &c.TwitterSecret, "twitter", "X/Twitter"},
		{&c.OIDCKey, &c.OIDCSecret, "oidc", "OpenID Connect"},
	} {
		str(p.key, p.name+"-key", "", p.label+" OAuth client id (sign-in)")
		str(p.secret, p.name+"-secret", "", p.label+" OAuth client secret (sign-in)")
	}
	str(&c.OIDCIssuer, "oidc-issuer", "", "OpenID Connect issuer URL (Keycloak, Authentik, Auth0...)")
	str(&c.OIDCName, "oidc-name", "OpenID Connect", "name shown on the OpenID Connect sign-in button")
	str(&c.GitHubURL, "github-url", "", "GitHub Enterprise URL, e.g. https://github.example.com (default: github.com)")
	str(&c.AdminEmails, "admin-emails", "", "comma-separated emails: a user signing in with one of them, verified, becomes admin")
	str(&c.HoldWords, "hold-words", "", "comma-separated words that hold a comment for moderation")
	for _, f := range []struct {
		p           *int
		name, usage string
		def         int
	}{
		{&c.PostRate, "post-rate", "most POST requests per minute from one IP address, 0 for no limit", 30},
		{&c.SearchRate, "search-rate", "most searches (pages and feeds) per minute from one IP address, 0 for no limit", 60},
	} {
		if v := getenv(envName(f.name)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return c, fmt.Errorf("%s=%q: want a number per minute (0: no limit)", envName(f.name), v)
			}
			f.def = n
		}
		fs.IntVar(f.p, f.name, f.def, f.usage+" (env "+envName(f.name)+")")
	}
	str(&c.TrustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For gives the client's address")
	str(&c.SMTPURL, "smtp-url", "", "SMTP server: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; empty: mail is written to the log and kept in the outbox")
	str(&c.MailFrom, "mail-from", "", "From address of the site's mail, e.g. 'Doléances <noreply@example.org>' (default: noreply@ the base URL's host)")
	str(&c.Lang, "lang", "en", "the site's language, for visitors whose browser asks for none of the site's: en or fr")
	str(&c.Timezone, "timezone", "Europe/Paris", "time zone of the times shown on pages (an IANA name: Europe/Paris, UTC, America/Montreal...)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.complete()
}

// complete checks the settings and fills in derived defaults.
func (c *Config) complete() error {
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return fmt.Errorf("base-url %q: must start with http:// or https://", c.BaseURL)
	}
	if _, err := parseProxies(c.TrustedProxies); err != nil {
		return err
	}
	if _, _, err := c.mailFrom(); err != nil {
		return err
	}
	if _, err := c.languages(); err != nil {
		return err
	}
	if c.DatabaseURL != "" && !c.onPostgres() {
		if _, err := sqliteFile(c.DatabaseURL); err != nil {
			return fmt.Errorf("database-url: %w", err)
		}
	}
	return nil
}

// languages loads the catalogues with the site's language and time zone.
func (c *Config) languages() (*i18n.Bundle, error) {
	zone, err := c.location()
	if err != nil {
		return nil, err
	}
	b, err := i18n.New(i18n.Options{Default: c.Lang, Zone: zone, Pseudo: c.pseudoLocale, Missing: c.missingText})
	if err != nil {
		return nil, fmt.Errorf("lang: %w", err)
	}
	return b, nil
}

// openStore opens the configured database for a subcommand, making the data
// folder when it is missing.
func (c *Config) openStore() (*models.Store, error) {
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	return models.Open(c.databasePath(), models.Options{Now: c.now})
}

// openMedia opens the storage of the pictures: -media-url, or the media
// folder under -data.
func (c *Config) openMedia(ctx context.Context) (media.Storage, error) {
	if c.MediaURL == "" && c.Data == "" {
		// Not a folder relative to wherever the process runs.
		return nil, errors.New("pictures: no -data folder and no -media-url to keep them in")
	}
	return media.Open(ctx, c.MediaURL, filepath.Join(c.Data, "media"))
}

// onPostgres says whether the site's database is a PostgreSQL server.
func (c *Config) onPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// databaseShown names the database for the log, without its password.
func (c *Config) databaseShown() string {
	if !c.onPostgres() {
		return c.databasePath()
	}
	if u, err := url.Parse(c.DatabaseURL); err == nil {
		return u.Redacted()
	}
	return "PostgreSQL"
}

// errNotSQLiteFile refuses a command about the SQLite file on a PostgreSQL site.
var errNotSQLiteFile = errors.New("this site's database is PostgreSQL: back it up with pg_dump and restore it with pg_restore (see the README)")

// databasePath is the database to open: the SQLite file, or the
// postgres:// address.
func (c *Config) databasePath() string {
	if c.onPostgres() {
		return c.DatabaseURL
	}
	if p, err := sqliteFile(c.DatabaseURL); err == nil {
		return p
	}
	return filepath.Join(c.Data, "doleances.db")
}

// sqliteFile is the file of a database URL sqlite:PATH or file:PATH, or an
// error saying which URLs are understood
// (sqlite:///srv/doleances.db is the path /srv/doleances.db too).
func sqliteFile(url string) (string, error) {
	for _, prefix := range []string{"sqlite:", "file:"} {
		if p, ok := strings.CutPrefix(url, prefix); ok && p != "" {
			return p, nil
		}
	}
	return "", fmt.Errorf("%q: give postgres://user:password@host:5432/name, or sqlite:PATH (or leave it empty for the SQLite file in the data folder)", url)
}

// parseProxies reads the trusted-proxies setting: addresses and CIDR ranges.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range splitList(list) {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			a, aerr := netip.ParseAddr(v)
			if aerr != nil {
				return nil, fmt.Errorf("trusted-proxies: %q is neither an IP address nor a CIDR range like 10.0.0.0/8", v)
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// mailFrom is the display name and address of the site's mail.
func (c *Config) mailFrom() (string, string, error) {
	if c.MailFrom == "" {
		host := "localhost"
		if u, err := url.Parse(c.BaseURL); err == nil && strings.Contains(u.Hostname(), ".") && net.ParseIP(u.Hostname()) == nil {
			host = u.Hostname()
		}
		return siteName, "noreply@" + host, nil
	}
	a, err := mail.ParseAddress(c.MailFrom)
	if err != nil {
		return "", "", fmt.Errorf("mail-from %q: want an address, e.g. 'Doléances <noreply@example.org>'", c.MailFrom)
	}
	return a.Name, a.Address, nil
}

// location is the time zone pages show times in; an empty setting is
// Europe/Paris (tests build a Config without parsing flags).
func (c *Config) location() (*time.Location, error) {
	name := c.Timezone
	if name == "" {
		name = "Europe/Paris"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: want an IANA name such as Europe/Paris or UTC", name)
	}
	return loc, nil
}
