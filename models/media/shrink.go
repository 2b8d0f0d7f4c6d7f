package media

import (
	"image"
	"image/color"
)

// shrink averages k × k blocks of src into a new picture (a box filter: the
// proper way to drop most pixels of a large picture at once). Scaling a
// 40-megapixel picture straight to 1,600 pixels with Catmull-Rom would take
// an intermediate of 32 bytes per (target width × source height), 260 MB;
// after shrink, the kernel only bridges the last factor under 2.
func shrink(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	px := pixelReader(src)
	acc := make([]uint32, 4*w)
	n := uint32(k * k)
	for y := range h {
		clear(acc)
		for sy := y * k; sy < (y+1)*k; sy++ {
			for x := range w {
				a := acc[4*x : 4*x+4]
				for sx := x * k; sx < (x+1)*k; sx++ {
					r, g, bl, al := px(b.Min.X+sx, b.Min.Y+sy)
					a[0] += r
					a[1] += g
					a[2] += bl
					a[3] += al
				}
			}
		}
		row := dst.Pix[y*dst.Stride:]
		for i, v := range acc {
			row[i] = uint8((v + n/2) / n)
		}
	}
	return dst
}

// pixelReader returns a function reading one pixel of src as 8-bit
// premultiplied RGBA, reading the common decoded types directly (calling At
// on 40 million pixels would cost seconds).
func pixelReader(src image.Image) func(x, y int) (r, g, b, a uint32) {
	switch s := src.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			yi, ci := s.YOffset(x, y), s.COffset(x, y)
			r, g, b := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
			return uint32(r), uint32(g), uint32(b), 255
		}
	case *image.RGBA:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			p := s.Pix[s.PixOffset(x, y):]
			return uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
		}
	case *image.NRGBA:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			p := s.Pix[s.PixOffset(x, y):]
			a := uint32(p[3])
			return uint32(p[0]) * a / 255, uint32(p[1]) * a / 255, uint32(p[2]) * a / 255, a
		}
	case *image.Gray:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			v := uint32(s.Pix[s.PixOffset(x, y)])
			return v, v, v, 255
		}
	}
	return func(x, y int) (uint32, uint32, uint32, uint32) {
		r, g, b, a := src.At(x, y).RGBA()
		return r >> 8, g >> 8, b >> 8, a >> 8
	}
}
