package media_test

import (
	"fmt"
	"testing"

	"golang.org/x/image/draw"

	"doleances/models/media"
	"doleances/models/media/mediatest"
)

// BenchmarkProcess times one upload's processing (check, decode, three
// sizes, encode) by picture size, for JPEG and PNG sources. Its B/op is
// what the processing allocates; the process's peak memory for the worst
// cases is measured by TestPeakMemory.
//
//	go test ./models/media -run '^$' -bench Process -benchtime 5x
func BenchmarkProcess(b *testing.B) {
	lim := media.Limits{MaxBytes: 64 << 20, MaxPixels: 40_000_000} // these test pictures are noisier than photos
	for _, s := range []struct{ w, h int }{{1600, 1200}, {4000, 3000}, {6000, 4000}, {7745, 5164}} {
		img := mediatest.Scene(s.w, s.h)
		for _, f := range []struct {
			name string
			data []byte
		}{{"jpeg", mediatest.JPEG(img)}, {"png", mediatest.PNG(img)}} {
			b.Run(fmt.Sprintf("%s-%.0fMP", f.name, float64(s.w*s.h)/1e6), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(f.data)))
				for b.Loop() {
					if _, err := media.Process(f.data, lim, storySizes); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkKernel compares the resamplers for a 12-megapixel photo.
func BenchmarkKernel(b *testing.B) {
	data := mediatest.JPEG(mediatest.Scene(4000, 3000))
	defer func(k draw.Interpolator) { media.Kernel = k }(media.Kernel)
	for _, k := range []struct {
		name string
		k    draw.Interpolator
	}{{"CatmullRom", draw.CatmullRom}, {"BiLinear", draw.BiLinear}, {"ApproxBiLinear", draw.ApproxBiLinear}} {
		b.Run(k.name, func(b *testing.B) {
			media.Kernel = k.k
			b.ReportAllocs()
			for b.Loop() {
				if _, err := media.Process(data, media.DefaultLimits, storySizes); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
