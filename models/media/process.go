// Package media turns an uploaded picture into the files the site serves:
// it checks what the bytes really are, refuses what is too large before
// decoding it, applies the EXIF orientation, drops every piece of metadata by
// re-encoding the pixels alone, and makes a few widths. It also holds the
// storage of those files (a folder or an S3-compatible bucket).
package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Errors of Process, each with a message a visitor may read.
var (
	// ErrUnsupported is a file that is not a JPEG, PNG, WebP or GIF picture (an SVG, a text file...).
	ErrUnsupported = errors.New("this file is not a JPEG, PNG, WebP or GIF picture")
	// ErrTooLarge is a picture whose size or pixel count is over the limits.
	ErrTooLarge = errors.New("this picture is too large")
	// ErrCorrupt is a file that looks like a picture but cannot be read whole.
	ErrCorrupt = errors.New("this picture is damaged or incomplete and could not be read")
)

// Limits bound what Process accepts, before it decodes anything.
type Limits struct {
	MaxBytes int // the file's size
	// MaxPixels bounds width × height; a picture with 16-bit channels counts double,
	// because it decodes to twice the memory.
	MaxPixels int
}

// DefaultLimits are the site's limits: 10 MB files, 40 megapixels.
var DefaultLimits = Limits{MaxBytes: 10 << 20, MaxPixels: 40_000_000}

// Size is the width and height of one variant, in pixels.
type Size struct{ W, H int }

// Variant is one encoded width of a processed picture.
type Variant struct {
	Size
	Data []byte
}

// Picture is a processed upload: its variants, smallest first, all in one format.
type Picture struct {
	Ext      string // "jpg" or "png"
	Type     string // the Content-Type of Ext
	Variants []Variant
}

// Largest is the biggest variant's size: the picture as shown full size.
func (p *Picture) Largest() Size { return p.Variants[len(p.Variants)-1].Size }

// Kind is a picture format told by its first bytes, never by its name.
func Kind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

type codec struct {
	config func([]byte) (image.Config, error)
	decode func([]byte) (image.Image, error)
}

func reader[T any](f func(r *bytes.Reader) (T, error)) func([]byte) (T, error) {
	return func(b []byte) (T, error) { return f(bytes.NewReader(b)) }
}

var codecs = map[string]codec{
	"jpeg": {reader(func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) }), reader(func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) })},
	"png":  {reader(func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) }), reader(func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) })},
	// gif.Decode stops after the first frame: an animation shows as its first picture.
	"gif":  {reader(func(r *bytes.Reader) (image.Config, error) { return gif.DecodeConfig(r) }), reader(func(r *bytes.Reader) (image.Image, error) { return gif.Decode(r) })},
	"webp": {reader(func(r *bytes.Reader) (image.Config, error) { return webp.DecodeConfig(r) }), reader(func(r *bytes.Reader) (image.Image, error) { return webp.Decode(r) })},
}

// Check reads only the header of data and says whether Process would take
// it: a known format within the limits. It returns the format and the
// stored (not yet oriented) size.
func Check(data []byte, lim Limits) (string, image.Config, error) {
	if len(data) > lim.MaxBytes {
		return "", image.Config{}, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	kind := Kind(data)
	if kind == "" {
		return "", image.Config{}, ErrUnsupported
	}
	cfg, err := codecs[kind].config(data)
	if err != nil {
		return kind, cfg, fmt.Errorf("%w (%s header: %w)", ErrCorrupt, kind, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return kind, cfg, fmt.Errorf("%w: %d × %d pixels", ErrCorrupt, cfg.Width, cfg.Height)
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	if deep(cfg) {
		px *= 2
	}
	if px > int64(lim.MaxPixels) {
		return kind, cfg, fmt.Errorf("%w: %d × %d pixels, the limit is %d megapixels", ErrTooLarge, cfg.Width, cfg.Height, lim.MaxPixels/1_000_000)
	}
	return kind, cfg, nil
}

// deep says whether a picture decodes to 16 bits a channel.
func deep(cfg image.Config) bool {
	switch cfg.ColorModel {
	case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model:
		return true
	}
	return false
}

// Process checks data as Check does, decodes it, turns it upright and
// returns the variants at the sizes that sizes gives for its upright width
// and height. Nothing of the file but its pixels is kept: the variants are
// encoded afresh, so EXIF (GPS position, camera serial), XMP, ICC profiles
// and comments are gone. Opaque pictures become JPEG (WebP included: there is
// no WebP encoder in Go), pictures with transparency PNG.
func Process(data []byte, lim Limits, sizes func(w, h int) []Size) (*Picture, error) {
	kind, _, err := Check(data, lim)
	if err != nil {
		return nil, err
	}
	img, err := codecs[kind].decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w (%s: %w)", ErrCorrupt, kind, err)
	}
	orient := 1
	if kind == "jpeg" {
		orient = Orientation(data)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if orient >= 5 {
		w, h = h, w // a quarter turn: the upright picture's sides are swapped
	}
	pic := &Picture{Ext: "jpg", Type: "image/jpeg"}
	if o, ok := img.(interface{ Opaque() bool }); ok && !o.Opaque() {
		pic.Ext, pic.Type = "png", "image/png"
	}
	want := sizes(w, h)
	pic.Variants = make([]Variant, len(want))
	// Largest first, each smaller one scaled from the one before: only the
	// first pass reads the whole source, and the big decoded picture can be
	// let go as soon as it is done.
	src := img
	img = nil
	for i := len(want) - 1; i >= 0; i-- {
		scaled := scale(src, want[i], orient >= 5)
		src = scaled // the decoded picture can go once the largest size is made
		enc, err := encode(upright(scaled, orient), pic.Ext)
		if err != nil {
			return nil, err
		}
		pic.Variants[i] = Variant{Size: want[i], Data: enc}
	}
	return pic, nil
}

// scale draws src at size s (in upright terms; swapped says the stored
// picture lies on its side) with the Catmull-Rom kernel.
func scale(src image.Image, s Size, swapped bool) *image.RGBA {
	w, h := s.W, s.H
	if swapped {
		w, h = h, w
	}
	if r, ok := src.(*image.RGBA); ok && r.Bounds().Dx() == w && r.Bounds().Dy() == h {
		return r
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if k := min(src.Bounds().Dx()/w, src.Bounds().Dy()/h); k >= 2 {
		src = shrink(src, k)
	}
	if src.Bounds().Dx() == w && src.Bounds().Dy() == h {
		draw.Copy(dst, image.Point{}, src, src.Bounds(), draw.Src, nil)
	} else {
		Kernel.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	}
	return dst
}

// Kernel is the resampling used to make the variants (see docs/performance.md
// for how it compares with ApproxBiLinear).
var Kernel draw.Interpolator = draw.CatmullRom

// encode writes img as a JPEG of quality 82 or a PNG.
func encode(img image.Image, ext string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if ext == "png" {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82})
	}
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", ext, err)
	}
	return buf.Bytes(), nil
}
