package handlers

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"doleances/handlers/i18n"
)

// BenchmarkLanguageAndCacheKey is what keeping a page per language adds to
// a page-cache hit: choosing the request's language (query, cookie, then a
// browser's Accept-Language, remembered after its first reading) and
// making the entry's key.
//
//	go test ./handlers -run '^$' -bench LanguageAndCacheKey
func BenchmarkLanguageAndCacheKey(b *testing.B) {
	langs, err := i18n.New(i18n.Options{})
	if err != nil {
		b.Fatal(err)
	}
	app := fiber.New()
	for _, bm := range []struct{ name, uri, header string }{
		{"no-header", "/stories/a-story", ""},
		{"accept-language", "/stories/a-story", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"},
		{"query", "/stories/a-story?lang=fr", ""},
	} {
		b.Run(bm.name, func(b *testing.B) {
			var rc fasthttp.RequestCtx
			rc.Request.SetRequestURI(bm.uri)
			if bm.header != "" {
				rc.Request.Header.Set(fiber.HeaderAcceptLanguage, bm.header)
			}
			c := app.AcquireCtx(&rc)
			defer app.ReleaseCtx(c)
			b.ReportAllocs()
			for b.Loop() {
				c.Locals(localeLocal, chooseLocale(c, langs))
				if cacheKey(c) == "" {
					b.Fatal("no key")
				}
			}
		})
	}
}
