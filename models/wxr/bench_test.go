package wxr

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// writeSynthetic writes an export of posts posts with comments comments in
// all (threads of up to three), bodies in classic-editor HTML.
func writeSynthetic(w io.Writer, posts, comments int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprint(bw, wxrHead)
	for c := range 10 {
		fmt.Fprintf(bw, "<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename>cat-%d</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Category %d</wp:cat_name></wp:category>\n", c+1, c, c)
	}
	body := "Week one: the wardrobe is “en cours de préparation”. I take a day off work. Nobody comes.\n\n" +
		"Week two: a truck comes. It brings the doors. Only the <em>doors</em>. The driver suggests I “build around them”.\n\n" +
		"<ul>\n\t<li>a bag of 212 dowels</li>\n\t<li>no hinge</li>\n</ul>\n<blockquote>Customer service offered a voucher worth €15.</blockquote>\n" +
		"See <a href=\"https://example.org/\">the shop</a>. The wardrobe now leans very slightly to the left."
	per, id := comments/posts, 0
	for p := 1; p <= posts; p++ {
		day := time.Date(2008, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(p) * 7 * time.Hour)
		fmt.Fprintf(bw, `<item><title>Post %d about the queue</title><link>https://old.example/blog/%s/post-%d/</link><dc:creator>ann</dc:creator>
<content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%d</wp:post_id><wp:post_date>%s</wp:post_date><wp:post_date_gmt>%s</wp:post_date_gmt>
<wp:post_name>post-%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="cat-%d">Category %d</category><category domain="post_tag" nicename="tag-%d">tag %d</category>
`, p, day.Format("2006/01"), p, body, p, day.Format(wpTime), day.Format(wpTime), p, p%10, p%10, p%50, p%50)
		for c := range per {
			id++
			parent := 0
			if c%3 != 0 {
				parent = id - 1
			}
			at := day.Add(time.Duration(c+1) * time.Hour).Format(wpTime)
			fmt.Fprintf(bw, `<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Reader %d</wp:comment_author><wp:comment_author_email>r%d@example.net</wp:comment_author_email>
<wp:comment_date_gmt>%s</wp:comment_date_gmt><wp:comment_content>Same here with <strong>my bank</strong>, it took %d weeks.

Second paragraph of comment %d.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>%d</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
`, id, id%500, id%500, at, c, id, parent)
		}
		fmt.Fprint(bw, "</item>\n")
	}
	fmt.Fprint(bw, wxrTail)
	return bw.Flush()
}

// BenchmarkImportSynthetic imports a generated export of 10,000 posts and
// 100,000 comments (WXR_POSTS and WXR_COMMENTS change the size) into an
// empty site, both passes, and reports the time, the file's size and the
// peak heap, sampled every 20 ms.
func BenchmarkImportSynthetic(b *testing.B) {
	posts, comments := envInt("WXR_POSTS", 10_000), envInt("WXR_COMMENTS", 100_000)
	path := filepath.Join(b.TempDir(), "synthetic.xml")
	f, err := os.Create(path)
	check(b, err)
	check(b, writeSynthetic(f, posts, comments))
	check(b, f.Close())
	info, err := os.Stat(path)
	check(b, err)
	for b.Loop() {
		b.StopTimer()
		s := newSite(b)
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		go samplePeak(&peak, stop)
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		sum, err := Import(context.Background(), s.Store, func() (io.ReadCloser, error) { return os.Open(path) }, Options{})
		took, cpu := time.Since(start), cpuTime()-cpu0
		close(stop)
		check(b, err)
		if sum.Published != posts || sum.Approved != posts*(comments/posts) {
			b.Fatalf("summary: %s", sum)
		}
		b.ReportMetric(float64(posts)/took.Seconds(), "posts/s")
		b.ReportMetric(float64(sum.Approved)/took.Seconds(), "comments/s")
		b.ReportMetric(float64(info.Size())/(1<<20), "file-MiB")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		// CPU time says what the import costs on a machine shared with
		// other work, where the wall time says mostly how busy it was.
		b.ReportMetric(cpu.Seconds(), "cpu-s")
	}
}

func samplePeak(peak *atomic.Uint64, stop chan struct{}) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapAlloc > peak.Load() {
			peak.Store(m.HeapAlloc)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err == nil && n > 0 {
		return n
	}
	return def
}
