package media_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"doleances/models/media"
	"doleances/models/media/mediatest"
)

// TestPeakMemory processes the worst cases in a fresh process and reads its
// peak resident size (VmHWM): the hostile files of the issue, refused on
// their header, and the largest pictures accepted (40 megapixels, a JPEG
// and a PNG). The bound is the decoded picture (1.5 bytes a pixel for a
// JPEG, 4 for a PNG) plus what the garbage collector lets accumulate: memory
// does not grow with what is sent (figures in docs/performance.md).
func TestPeakMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is read from /proc")
	}
	if testing.Short() {
		t.Skip("builds 40-megapixel pictures")
	}
	dir := t.TempDir()
	jpg := mediatest.JPEG(mediatest.Halves(64, 48))
	hostile := map[string][]byte{
		"huge.png": mediatest.HugePNG(30000, 30000), "cut.jpg": jpg[:len(jpg)/2],
		"text.jpg": []byte("words"), "script.svg": []byte(`<svg><script>alert(1)</script></svg>`),
	}
	for name, data := range hostile {
		check(t, os.WriteFile(filepath.Join(dir, "hostile-"+name), data, 0o600))
	}
	big := mediatest.Halves(7745, 5164) // 39.99 megapixels; flat colours keep the files under 10 MB
	check(t, os.WriteFile(filepath.Join(dir, "worst.jpg"), mediatest.JPEG(big), 0o600))
	check(t, os.WriteFile(filepath.Join(dir, "worst.png"), mediatest.PNG(big), 0o600))
	big = nil
	for _, c := range []struct {
		glob  string
		limit int // MB
	}{{"hostile-*", 40}, {"worst.jpg", 200}, {"worst.png", 320}} {
		peak := peakOf(t, filepath.Join(dir, c.glob))
		t.Logf("%s: peak RSS %d MB", c.glob, peak)
		if limit := c.limit * raceMemory; peak > limit {
			t.Errorf("%s: peak RSS %d MB, want at most %d", c.glob, peak, limit)
		}
	}
}

// peakOf runs TestPeakMemoryWorker on the files of glob in a new process
// and returns its VmHWM in MB.
func peakOf(t *testing.T, glob string) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestPeakMemoryWorker$", "-test.v")
	cmd.Env = append(os.Environ(), "MEDIA_PEAK_FILES="+glob)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("worker: %v\n%s", err, out)
	}
	_, after, ok := strings.Cut(string(out), "VmHWM:")
	if !ok {
		t.Fatalf("worker said no VmHWM:\n%s", out)
	}
	kb, err := strconv.Atoi(strings.Fields(after)[0])
	if err != nil {
		t.Fatal(err)
	}
	return kb / 1024
}

// TestPeakMemoryWorker is the process TestPeakMemory measures.
func TestPeakMemoryWorker(t *testing.T) {
	glob := os.Getenv("MEDIA_PEAK_FILES")
	if glob == "" {
		t.Skip("run by TestPeakMemory")
	}
	files, _ := filepath.Glob(glob)
	for _, f := range files {
		data, err := os.ReadFile(f)
		check(t, err)
		_, err = media.Process(data, media.DefaultLimits, storySizes)
		hostile := strings.Contains(f, "hostile-")
		if hostile != (err != nil) || hostile && !errors.Is(err, media.ErrTooLarge) && !errors.Is(err, media.ErrCorrupt) && !errors.Is(err, media.ErrUnsupported) {
			t.Fatalf("%s: err = %v", f, err)
		}
	}
	status, err := os.ReadFile("/proc/self/status")
	check(t, err)
	for _, line := range bytes.Split(status, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("VmHWM:")) {
			t.Log(string(line))
		}
	}
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
