package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"os"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
	"doleances/models/wxr"
)

// ImportLimit is the largest request /admin/import takes (the export and
// the form around it): just under the server's hard cap, so that a body
// over it still gets this route's 413 page. Larger exports go through the
// command line (doleances import wordpress FILE), which has no limit.
const ImportLimit = MaxBody - 64<<10

// imports serves /admin/import: an admin uploads a WordPress export, which
// is imported in the background, one at a time; the page shows the
// progress and reloads itself (a meta refresh: no JavaScript) until done.
type imports struct {
	*pages
	store wxr.Store
	log   *slog.Logger
	now   func() time.Time

	mu  sync.Mutex
	job *importJob // the running or last import; nil before the first
}

// importJob is one import's state, as the page shows it.
type importJob struct {
	File     string
	Size     int64
	Started  time.Time
	Finished time.Time
	Pass     int   // 1: checking the file, 2: importing
	Read     int64 // bytes of the file read in this pass
	Summary  string
	Problem  string // why it failed; empty when it did not
	done     chan struct{}
}

// importWait is how long the upload waits for its import before showing
// the progress page: a small file is done by then, and the page says so.
const importWait = 3 * time.Second

// Running says whether the import is still going.
func (j importJob) Running() bool { return j.Finished.IsZero() }

// Percent is how far the current pass has read the file.
func (j importJob) Percent() int64 {
	if j.Size <= 0 {
		return 0
	}
	return min(100, j.Read*100/j.Size)
}

// ImportPage is /admin/import.
type ImportPage struct {
	Layout
	Job     *importJob
	Problem string
	Limit   string
}

func (im *imports) page(c *fiber.Ctx, _ *models.User) error {
	return im.show(c, fiber.StatusOK, "")
}

// show renders the page with the job's state at this moment.
func (im *imports) show(c *fiber.Ctx, status int, problem string) error {
	l, err := im.layout(c, tr(c, "Import from WordPress"), "", "")
	if err != nil {
		return err
	}
	l.Canonical = ""
	ip := ImportPage{Layout: l, Problem: problem, Limit: tr(c, "%s MiB", locale(c).Decimal(float64(ImportLimit)/(1<<20)))}
	im.mu.Lock()
	if im.job != nil {
		j := *im.job
		ip.Job = &j
		if j.Running() {
			ip.Refresh = 2
		}
	}
	im.mu.Unlock()
	c.Set(fiber.HeaderCacheControl, "no-store")
	return im.render(c, status, "import", ip)
}

// upload is POST /admin/import: it keeps the file and starts the import.
func (im *imports) upload(c *fiber.Ctx, admin *models.User) error {
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return im.show(c, fiber.StatusUnprocessableEntity, tr(c, "Choose the export file (the .xml WordPress gave you in Tools → Export)."))
	}
	im.mu.Lock()
	busy := im.job != nil && im.job.Running()
	im.mu.Unlock()
	if busy {
		return im.show(c, fiber.StatusConflict, tr(c, "An import is already running: wait until it is done, then send the next file."))
	}
	path, err := keepUpload(fh)
	if err != nil {
		return err
	}
	job := &importJob{File: clip(fh.Filename, 100), Size: fh.Size, Started: im.now(), done: make(chan struct{})}
	im.mu.Lock()
	if im.job != nil && im.job.Running() {
		im.mu.Unlock()
		os.Remove(path)
		return im.show(c, fiber.StatusConflict, tr(c, "An import is already running: wait until it is done, then send the next file."))
	}
	im.job = job
	im.mu.Unlock()
	im.log.Info("WordPress import started", "file", job.File, "bytes", job.Size, "admin", admin.ID)
	go im.run(path, job)
	select {
	case <-job.done:
	case <-time.After(importWait):
	}
	return c.Redirect("/admin/import", fiber.StatusSeeOther)
}

// keepUpload copies the uploaded file to a temporary file and returns its path.
func keepUpload(fh *multipart.FileHeader) (string, error) {
	src, err := fh.Open()
	if err != nil {
		return "", fmt.Errorf("read the upload: %w", err)
	}
	defer src.Close()
	f, err := os.CreateTemp("", "doleances-import-*.xml")
	if err != nil {
		return "", fmt.Errorf("keep the upload: %w", err)
	}
	_, err = io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("keep the upload: %w", err)
	}
	return f.Name(), nil
}

// run imports the kept file, recording progress and the outcome on job. It
// runs apart from any request, so it outlives the upload's.
func (im *imports) run(path string, job *importJob) {
	defer close(job.done)
	defer os.Remove(path)
	opt := wxr.Options{Progress: func(pass int, read int64) {
		im.mu.Lock()
		job.Pass, job.Read = pass, read
		im.mu.Unlock()
	}}
	sum, err := wxr.Import(context.Background(), im.store, wxr.OpenFile(path), opt)
	im.mu.Lock()
	defer im.mu.Unlock()
	job.Finished = im.now()
	if sum != nil {
		job.Summary = sum.String()
	}
	if err != nil {
		job.Problem = importProblem(err)
		im.log.Warn("WordPress import failed", "file", job.File, "err", err)
		return
	}
	im.log.Info("WordPress import done", "file", job.File, "took", job.Finished.Sub(job.Started))
}

// importProblem is what the page says of a failed import: the file's
// problem as the reader described it, or a general message.
func importProblem(err error) string {
	if errors.Is(err, wxr.ErrBadFile) {
		return err.Error() + ". Nothing was imported."
	}
	return "The import stopped because of an error on the server (it is in the log). What was imported so far is complete, story by story; sending the same file again goes on where it stopped."
}
