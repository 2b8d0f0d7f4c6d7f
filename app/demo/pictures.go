package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"

	"doleances/models"
	"doleances/models/media"
)

// demoPicture is a picture of the demo site, drawn by code (no file, no
// licence to track) and sent through the same processing as an upload.
type demoPicture struct {
	alt   string
	cover bool
	draw  func() *image.RGBA
}

// demoPictures are the demo stories' pictures, by title.
var demoPictures = map[string][]demoPicture{
	"Résilier chez Orange: a three-month saga": {
		{alt: "A registered letter with its red stamp and a blue postmark", cover: true, draw: drawLetter},
		{alt: "The Livebox on the shelf, one light red", draw: drawRouter},
	},
	"Titre de séjour, season two: back at the Préfecture": {
		{alt: "The queue in front of the counters at the préfecture", cover: true, draw: drawQueue},
	},
	"The IKEA delivery window that wasn't": {
		{alt: "Flat-pack boxes stacked in a hallway", cover: true, draw: drawBoxes},
	},
}

// processedDemo holds each demo picture once processed, by alt text.
// Drawing, encoding and scaling them is most of the demo's seeding (over
// 90 %, about 5 s of CPU under the race detector, for a site the tests seed
// some twenty times per run); the result is the same every time, so a
// process makes it once. The files and rows stay each site's own.
var processedDemo sync.Map // alt → func() (*media.Picture, error)

// processed draws the picture and sends it through the same processing as
// an upload, once per process.
func (p demoPicture) processed() (*media.Picture, error) {
	once, _ := processedDemo.LoadOrStore(p.alt, sync.OnceValues(func() (*media.Picture, error) {
		var buf bytes.Buffer
		if err := png.Encode(&buf, p.draw()); err != nil {
			return nil, err
		}
		return media.Process(buf.Bytes(), media.DefaultLimits, func(w, h int) []media.Size {
			var out []media.Size
			for _, sz := range models.PictureSizesOf(models.PictureStory, w, h) {
				out = append(out, media.Size{W: sz.W, H: sz.H})
			}
			return out
		})
	}))
	return once.(func() (*media.Picture, error))()
}

// addDemoPictures processes and stores the pictures of a demo story and
// puts them in its input: the cover, and the others at the end of the text.
func addDemoPictures(ctx context.Context, s *models.Store, files media.Storage, in *models.StoryInput) error {
	for _, p := range demoPictures[in.Title] {
		pic, err := p.processed()
		if err != nil {
			return fmt.Errorf("demo picture %q: %w", p.alt, err)
		}
		row := &models.Picture{Name: models.NewPictureName(), OwnerID: in.AuthorID, Kind: models.PictureStory,
			Ext: pic.Ext, Width: pic.Largest().W, Height: pic.Largest().H, Alt: p.alt}
		var url string
		for _, v := range pic.Variants {
			key := fmt.Sprintf("%s/%dx%d.%s", row.Name, v.W, v.H, pic.Ext)
			if err := files.Put(ctx, key, pic.Type, v.Data); err != nil {
				return err
			}
			row.Files, row.Bytes, url = joinKey(row.Files, key), row.Bytes+len(v.Data), models.MediaURL(key)
		}
		if err := s.AddPicture(ctx, row); err != nil {
			return err
		}
		if p.cover {
			in.Cover, in.CoverAlt = url, p.alt
		} else {
			in.Body = afterParagraphs(in.Body, 2, "!["+p.alt+"]("+url+")")
		}
	}
	return nil
}

// afterParagraphs puts md after the first n paragraphs of body.
func afterParagraphs(body string, n int, md string) string {
	parts := strings.SplitN(body, "\n\n", n+1)
	if len(parts) <= n {
		return body + "\n\n" + md + "\n"
	}
	return strings.Join(parts[:n], "\n\n") + "\n\n" + md + "\n\n" + parts[n]
}

func joinKey(keys, key string) string {
	if keys == "" {
		return key
	}
	return keys + "," + key
}

// canvas is a w × h picture filled with a vertical gradient from top to bottom.
func canvas(w, h int, top, bottom color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		c := color.RGBA{mix(top.R, bottom.R, y, h), mix(top.G, bottom.G, y, h), mix(top.B, bottom.B, y, h), 255}
		draw.Draw(img, image.Rect(0, y, w, y+1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	return img
}

func mix(a, b uint8, y, h int) uint8 { return uint8((int(a)*(h-y) + int(b)*y) / h) }

func box(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Src)
}

func disc(img *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				img.SetRGBA(x, y, c)
			}
		}
	}
}

func drawLetter() *image.RGBA {
	img := canvas(1600, 900, color.RGBA{196, 170, 130, 255}, color.RGBA{150, 120, 90, 255})
	box(img, 300, 180, 1300, 760, color.RGBA{250, 248, 240, 255})
	for i := range 500 { // the flap: two diagonals meeting in the middle
		box(img, 300+i, 180+i*280/500, 302+i, 184+i*280/500, color.RGBA{200, 195, 185, 255})
		box(img, 1298-i, 180+i*280/500, 1300-i, 184+i*280/500, color.RGBA{200, 195, 185, 255})
	}
	box(img, 1080, 220, 1250, 330, color.RGBA{200, 30, 40, 255}) // the "recommandé" label
	box(img, 1095, 235, 1235, 315, color.RGBA{240, 240, 240, 255})
	for r := 70; r > 50; r -= 6 {
		disc(img, 960, 300, r, color.RGBA{40, 70, 160, 255})
		disc(img, 960, 300, r-3, color.RGBA{250, 248, 240, 255})
	}
	for i := range 6 { // the address
		box(img, 420, 480+i*40, 820-i*30, 492+i*40, color.RGBA{60, 60, 70, 255})
	}
	return img
}

func drawRouter() *image.RGBA {
	img := canvas(1200, 800, color.RGBA{235, 232, 225, 255}, color.RGBA{205, 200, 190, 255})
	box(img, 0, 560, 1200, 800, color.RGBA{150, 110, 75, 255}) // the shelf
	box(img, 330, 300, 870, 560, color.RGBA{30, 30, 35, 255})
	box(img, 350, 320, 850, 330, color.RGBA{70, 70, 80, 255})
	for i := range 5 {
		c := color.RGBA{40, 200, 90, 255}
		if i == 3 {
			c = color.RGBA{230, 30, 30, 255}
		}
		disc(img, 430+i*80, 470, 14, c)
	}
	return img
}

func drawQueue() *image.RGBA {
	img := canvas(1600, 900, color.RGBA{220, 225, 232, 255}, color.RGBA{170, 175, 185, 255})
	box(img, 0, 120, 1600, 330, color.RGBA{90, 100, 120, 255}) // the counters
	for i := range 4 {
		box(img, 120+i*380, 160, 400+i*380, 300, color.RGBA{200, 215, 230, 255})
	}
	coats := []color.RGBA{{170, 60, 50, 255}, {50, 90, 150, 255}, {70, 120, 80, 255}, {120, 90, 60, 255}, {90, 60, 120, 255}}
	for row := range 2 {
		for i := range 9 {
			x, y := 140+i*160+row*80, 560+row*170
			disc(img, x, y-90, 34, color.RGBA{225, 190, 160, 255})
			box(img, x-45, y-50, x+45, y+90, coats[(i+row)%len(coats)])
		}
	}
	return img
}

func drawBoxes() *image.RGBA {
	img := canvas(1600, 900, color.RGBA{240, 236, 226, 255}, color.RGBA{210, 200, 185, 255})
	box(img, 0, 700, 1600, 900, color.RGBA{160, 130, 100, 255})
	for i, b := range [][4]int{{250, 420, 750, 700}, {780, 480, 1250, 700}, {330, 200, 700, 420}, {820, 300, 1180, 480}} {
		box(img, b[0], b[1], b[2], b[3], color.RGBA{uint8(190 - i*8), uint8(150 - i*6), 100, 255})
		box(img, (b[0]+b[2])/2-20, b[1], (b[0]+b[2])/2+20, b[3], color.RGBA{220, 200, 150, 255}) // tape
		box(img, b[0]+30, b[1]+30, b[0]+150, b[1]+90, color.RGBA{250, 250, 250, 255})            // the label
	}
	return img
}
