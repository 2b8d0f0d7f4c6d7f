// Package mediatest makes pictures for tests: plain ones, one with EXIF GPS
// data, and hostile ones. Only tests import it.
package mediatest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Halves is a w × h picture, its left half red and its right half blue.
func Halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// JPEG encodes img as a JPEG of quality 90.
func JPEG(img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err) // encoding to memory fails only on a nil picture
	}
	return b.Bytes()
}

// PNG encodes img as a PNG, quickly.
func PNG(img image.Image) []byte {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GPSMarker is a text the EXIF block of WithEXIF carries, to find it again.
const GPSMarker = "SECRET-GPS-48.8566N-2.3522E"

// WithEXIF inserts after a JPEG's start an APP1 EXIF block with an
// orientation tag and a GPS block whose latitude reference is followed by
// GPSMarker, as a phone's camera would write its position.
func WithEXIF(jpg []byte, orientation uint16) []byte {
	var t bytes.Buffer
	be := binary.BigEndian
	t.WriteString("MM\x00\x2a")
	_ = binary.Write(&t, be, uint32(8)) // IFD0 at 8
	// IFD0: 2 entries: orientation, GPS IFD pointer.
	_ = binary.Write(&t, be, uint16(2))
	_ = binary.Write(&t, be, []uint16{0x0112, 3})
	_ = binary.Write(&t, be, uint32(1))
	_ = binary.Write(&t, be, []uint16{orientation, 0})
	gpsIFD := uint32(8 + 2 + 2*12 + 4)
	_ = binary.Write(&t, be, []uint16{0x8825, 4})
	_ = binary.Write(&t, be, []uint32{1, gpsIFD})
	_ = binary.Write(&t, be, uint32(0)) // no next IFD
	// GPS IFD: one ASCII entry pointing at the marker.
	_ = binary.Write(&t, be, uint16(1))
	text := "N\x00" + GPSMarker + "\x00"
	_ = binary.Write(&t, be, []uint16{0x0001, 2})
	_ = binary.Write(&t, be, []uint32{uint32(len(text)), gpsIFD + 2 + 12 + 4})
	_ = binary.Write(&t, be, uint32(0))
	t.WriteString(text)
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// HugePNG is a valid PNG header claiming w × h pixels, with a tiny body: a
// decompression bomb for anything that decodes before it checks the size.
func HugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", bytes.Repeat([]byte{0x78, 0x9c, 0x01}, 600))
	chunk("IEND", nil)
	return b.Bytes()
}

// Scene is a w × h picture with gradients and fine detail, closer to a
// photograph than flat colours for encoders and resamplers.
func Scene(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			row[4*x] = uint8(x * 255 / w)
			row[4*x+1] = uint8(y * 255 / h)
			row[4*x+2] = uint8((x*7 + y*13) % 256) // stripes: detail that bad resampling turns into moiré
			row[4*x+3] = 255
		}
	}
	return img
}
