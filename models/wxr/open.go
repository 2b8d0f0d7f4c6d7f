package wxr

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

// OpenFile opens the export at path for each pass. A gzip-compressed file
// (blog.xml.gz) is read through gunzip, so that a large export can be sent
// compressed; it is never inflated whole.
func OpenFile(path string) Open {
	return func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		raw := &consumedReader{r: f}
		br := bufio.NewReaderSize(raw, 64<<10)
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			gz, err := gzip.NewReader(br)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("%w: the file looks compressed (gzip) but cannot be read: %v", ErrBadFile, err)
			}
			return &fileReader{Reader: &gunzip{gz}, raw: raw, f: f}, nil
		}
		return &fileReader{Reader: br, raw: raw, f: f}, nil
	}
}

// consumedReader counts the bytes read from the file itself.
type consumedReader struct {
	r io.Reader
	n int64
}

func (c *consumedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// fileReader reads an export file, possibly through gunzip.
type fileReader struct {
	io.Reader
	raw *consumedReader
	f   *os.File
}

func (r *fileReader) Close() error { return r.f.Close() }

// Consumed is how much of the file itself has been read: the progress of a
// compressed file is measured on the file, not on what it inflates to.
func (r *fileReader) Consumed() int64 { return r.raw.n }

// gunzip reads a compressed export: its errors are the file's.
type gunzip struct{ r *gzip.Reader }

func (g *gunzip) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: the compressed file is damaged or cut short (%v)", ErrBadFile, err)
	}
	return n, err
}
