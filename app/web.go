package app

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"doleances/app/mail"
	"doleances/app/oauth"
	"doleances/handlers"
	"doleances/models"
	"doleances/static"
	"doleances/views"
)

// siteName is the site's name, in its pages, its exports and its mail.
const siteName = "Doléances"

// web is the Fiber application with its routes.
type web struct {
	app    *fiber.App
	routes []handlers.Route // with who may use each
	sender *mail.Sender     // runs beside the app, see Server.Serve
}

// newWeb builds the application; tests pass options to change its dependencies (a clock, limits).
func newWeb(cfg Config, store *models.Store, log *slog.Logger, opts ...func(*handlers.Deps)) (*web, error) {
	a, err := newAssets(static.FS)
	if err != nil {
		return nil, err
	}
	langs, err := cfg.languages()
	if err != nil {
		return nil, err
	}
	r, err := newRenderer(views.FS, langs, templateFuncs(a, langs.Default().Code))
	if err != nil {
		return nil, err
	}
	formKey, err := store.Key(context.Background(), "comment-form")
	if err != nil {
		return nil, err
	}
	proxies, err := parseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	sender, mail, err := newMail(context.Background(), cfg, store, log)
	if err != nil {
		return nil, err
	}
	d := handlers.Deps{
		Store: store, Views: r, Langs: langs, Log: log, Now: cfg.clock(),
		Site: handlers.Site{
			Name:    siteName,
			Tagline: "Customer-service stories, told by the people who lived them",
			BaseURL: cfg.BaseURL,
			Zone:    langs.Default().Zone(),
		},
		Auth: handlers.AuthConfig{
			Providers:     oauth.Providers(cfg.Settings, cfg.BaseURL, log),
			AdminEmails:   strings.Split(cfg.AdminEmails, ","),
			SecureCookies: strings.HasPrefix(cfg.BaseURL, "https://"),
		},
		Comments: handlers.CommentSettings{HoldWords: splitList(cfg.HoldWords), PostRate: cfg.PostRate, FormKey: formKey},
		Limits:   handlers.Limits{SearchRate: cfg.SearchRate, TrustedProxies: proxies},
		Mail:     mail,
	}
	for _, o := range opts {
		o(&d)
	}
	if d.Media == nil {
		if d.Media, err = cfg.openMedia(context.Background()); err != nil {
			return nil, err
		}
	}
	t := cfg.timeouts.orDefaults()
	d.RequestTimeout = t.request
	https := strings.HasPrefix(cfg.BaseURL, "https://")
	app := fiber.New(fiber.Config{
		AppName:               siteName,
		ErrorHandler:          errorHandler(handlers.ErrorHandler(d), https),
		DisableStartupMessage: true,
		// Params and bodies are copied, so that nothing a handler keeps is reused by fasthttp.
		Immutable: true,
		// A client has ReadTimeout to send its headers and body, WriteTimeout
		// to take the answer and IdleTimeout between two requests on one
		// connection: a slow client cannot hold a connection for longer.
		ReadTimeout:  t.read,
		WriteTimeout: t.write,
		IdleTimeout:  t.idle,
		// The hard cap; each route has a lower one (handlers.BodyLimit).
		BodyLimit: handlers.MaxBody,
		// A search box may send 5,000 accented characters: 30 kB of request line.
		ReadBufferSize: 32 << 10,
	})
	// Routes that take pictures may be sent more than the hard cap; this
	// runs on the headers, before the body is read.
	app.Server().HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		path, _, _ := strings.Cut(string(h.RequestURI()), "?")
		return fasthttp.RequestConfig{MaxRequestBodySize: handlers.UploadLimit(path, string(h.ContentType()))}
	}
	// The middleware of every request, in order, is in handlers.Routes.
	d.Headers = func(c *fiber.Ctx) error { setSecurityHeaders(c, https); return c.Next() }
	d.Assets, d.Extra = a.serve, cfg.testRoutes
	return &web{app: app, routes: handlers.Routes(app, d), sender: sender}, nil
}

// orDefaults fills in the timeouts left at zero.
func (t timeouts) orDefaults() timeouts {
	def := func(d, v time.Duration) time.Duration {
		if d == 0 {
			return v
		}
		return d
	}
	return timeouts{read: def(t.read, 15*time.Second), write: def(t.write, 30*time.Second), idle: def(t.idle, 60*time.Second),
		request: def(t.request, handlers.RequestTimeout)}
}

// setSecurityHeaders sets the headers every response carries; over https,
// HSTS too, so that browsers never try the site over plain http again.
func setSecurityHeaders(c *fiber.Ctx, https bool) {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "strict-origin-when-cross-origin")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	if https {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
	}
}

// errorHandler sets the security headers on error pages too: those of
// requests refused before any middleware ran (a body over the hard cap, a
// read timeout) would otherwise go without.
func errorHandler(h fiber.ErrorHandler, https bool) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		setSecurityHeaders(c, https)
		return h(c, err)
	}
}

// splitList splits a comma-separated setting, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
