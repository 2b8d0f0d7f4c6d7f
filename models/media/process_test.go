package media_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"doleances/models"
	"doleances/models/media"
	"doleances/models/media/mediatest"
)

// storySizes are the sizes of a story picture, as the site asks for them.
func storySizes(w, h int) []media.Size {
	var out []media.Size
	for _, s := range models.PictureSizesOf(models.PictureStory, w, h) {
		out = append(out, media.Size{W: s.W, H: s.H})
	}
	return out
}

func TestProcessRefusesWhatIsNotAnAcceptedPicture(t *testing.T) {
	jpg := mediatest.JPEG(mediatest.Halves(64, 48))
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"30,000 × 30,000 PNG of a few kB", mediatest.HugePNG(30000, 30000), media.ErrTooLarge},
		{"truncated JPEG", jpg[:len(jpg)/2], media.ErrCorrupt},
		{"text file named .jpg", []byte("just some words, not a picture\n"), media.ErrUnsupported},
		{"SVG with a script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), media.ErrUnsupported},
		{"too many bytes", append(bytes.Clone(jpg), make([]byte, media.DefaultLimits.MaxBytes)...), media.ErrTooLarge},
		{"PNG signature, garbage after", []byte("\x89PNG\r\n\x1a\nnot really"), media.ErrCorrupt},
		{"empty", nil, media.ErrUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := media.Process(c.data, media.DefaultLimits, storySizes)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestProcessTurnsUprightAndDropsMetadata(t *testing.T) {
	// Stored 200 × 100, left half red; orientation 6 says the camera was
	// turned a quarter: upright, it is 100 × 200 with red on top.
	src := mediatest.WithEXIF(mediatest.JPEG(mediatest.Halves(200, 100)), 6)
	if !bytes.Contains(src, []byte(mediatest.GPSMarker)) || media.Orientation(src) != 6 {
		t.Fatal("the test picture lacks its EXIF block")
	}
	pic, err := media.Process(src, media.DefaultLimits, storySizes)
	if err != nil {
		t.Fatal(err)
	}
	if pic.Ext != "jpg" || len(pic.Variants) != 1 || pic.Largest() != (media.Size{W: 100, H: 200}) {
		t.Fatalf("got %s %+v", pic.Ext, pic.Variants)
	}
	out := pic.Variants[0].Data
	for _, leak := range []string{"Exif", "GPS", mediatest.GPSMarker, "MM\x00\x2a"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("the processed file still holds %q", leak)
		}
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 100 || b.Dy() != 200 {
		t.Fatalf("decoded %v", b)
	}
	top, bottom := img.At(50, 20), img.At(50, 180)
	if !reddish(top) || reddish(bottom) {
		t.Errorf("top %v, bottom %v: want red on top", top, bottom)
	}
}

func reddish(c color.Color) bool {
	r, _, b, _ := c.RGBA()
	return r > 2*b
}

func TestProcessMakesWidthsWithoutUpscaling(t *testing.T) {
	for _, c := range []struct {
		w, h int
		want []int
	}{
		{3000, 2000, []int{480, 960, 1600}},
		{1200, 800, []int{480, 960, 1200}},
		{1600, 900, []int{480, 960, 1600}},
		{300, 200, []int{300}},
	} {
		pic, err := media.Process(mediatest.PNG(mediatest.Halves(c.w, c.h)), media.DefaultLimits, storySizes)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, v := range pic.Variants {
			img, _, err := image.Decode(bytes.NewReader(v.Data))
			if err != nil || img.Bounds().Dx() != v.W || img.Bounds().Dy() != v.H {
				t.Fatalf("%dx%d: variant %+v decodes as %v (%v)", c.w, c.h, v.Size, img.Bounds(), err)
			}
			got = append(got, v.W)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%d × %d: widths %v, want %v", c.w, c.h, got, c.want)
		}
		// The page lists the sizes from the largest's URL alone.
		l := pic.Largest()
		ref := models.MediaRef{Name: strings.Repeat("a", 32), W: l.W, H: l.H, Ext: pic.Ext}
		for _, v := range pic.Variants {
			if want := "/" + strings.Repeat("a", 32) + "/" + itoa(v.W) + "x" + itoa(v.H) + "." + pic.Ext; !strings.Contains(ref.SrcSet(), want) {
				t.Errorf("srcset %q lacks %s", ref.SrcSet(), want)
			}
		}
	}
}

func TestProcessReadsWebPAndGIF(t *testing.T) {
	lossy, _ := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	alpha, _ := os.ReadFile("testdata/gopher-doc.with-alpha.lossless.webp")
	var anim bytes.Buffer
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	frame := func(i uint8) *image.Paletted {
		p := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
		for j := range p.Pix {
			p.Pix[j] = i
		}
		return p
	}
	if err := gif.EncodeAll(&anim, &gif.GIF{Image: []*image.Paletted{frame(0), frame(1)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, ext string
		data      []byte
	}{{"lossy WebP", "jpg", lossy}, {"WebP with transparency", "png", alpha}, {"animated GIF", "jpg", anim.Bytes()}} {
		pic, err := media.Process(c.data, media.DefaultLimits, storySizes)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if pic.Ext != c.ext {
			t.Errorf("%s became %s, want %s", c.name, pic.Ext, c.ext)
		}
		if c.name == "animated GIF" {
			img, _, _ := image.Decode(bytes.NewReader(pic.Variants[0].Data))
			if !reddish(img.At(20, 15)) {
				t.Errorf("GIF: want the first (red) frame, got %v", img.At(20, 15))
			}
		}
	}
}

func TestCheckCountsSixteenBitPicturesDouble(t *testing.T) {
	img := image.NewNRGBA64(image.Rect(0, 0, 10, 10))
	lim := media.Limits{MaxBytes: 1 << 20, MaxPixels: 150}
	if _, _, err := media.Check(mediatest.PNG(img), lim); !errors.Is(err, media.ErrTooLarge) {
		t.Fatalf("100 16-bit pixels under a 150-pixel budget: err = %v, want ErrTooLarge", err)
	}
	if _, _, err := media.Check(mediatest.PNG(image.NewNRGBA(image.Rect(0, 0, 10, 10))), lim); err != nil {
		t.Fatalf("100 8-bit pixels: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
