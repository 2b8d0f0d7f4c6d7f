// Package app wires Doléances together: configuration, the database, the
// Fiber application with its routes and middleware, serving with a graceful
// stop, and the command-line subcommands.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"doleances/app/demo"
	"doleances/handlers"
	"doleances/models"
)

// Run is the whole program: it parses args (args[0] is the program name) and
// serves until ctx is cancelled.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	name := "doleances"
	if len(args) > 0 {
		args = args[1:]
	}
	if len(args) > 0 {
		switch args[0] {
		case "signin-link":
			return signinLink(ctx, name, args[1:], getenv, stdout)
		case "backup":
			return backupCmd(ctx, name, args[1:], getenv, stdout)
		case "restore":
			return restoreCmd(ctx, name, args[1:], getenv, stdout)
		case "import":
			return importCmd(ctx, name, args[1:], getenv, stdout)
		case "export":
			return exportCmd(ctx, name, args[1:], getenv, stdout)
		case "copy-to":
			return copyToCmd(ctx, name, args[1:], getenv, stdout)
		}
	}
	if len(args) > 0 && args[0] == "seed" {
		return seedCommand(ctx, name, args[1:], getenv, stdout)
	}
	cfg, err := parseConfig(name, args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := newLogger(stdout, cfg.LogLevel)
	srv, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		srv.Close()
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("Doléances is running", "url", cfg.BaseURL, "addr", ln.Addr().String(), "database", cfg.databaseShown())
	err = srv.Serve(ctx, ln)
	if cerr := srv.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close the database: %w", cerr)
	}
	if err == nil {
		log.Info("stopped; the database is closed")
	}
	return err
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// Server is a configured Doléances site.
type Server struct {
	cfg   Config
	log   *slog.Logger
	store *models.Store
	web   *web
	lock  *dataLock // held by New, so that a restore cannot run under the site
}

// New takes the database's lock (see lockDatabase), opens and migrates the
// database, seeds the demo site into an empty one when cfg.Demo is set, and
// builds the web application.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	lock, err := lockSite(cfg)
	if err != nil {
		return nil, err
	}
	store, err := models.Open(cfg.databasePath(), models.Options{Now: cfg.now, BusyTimeout: cfg.busyWait})
	if err != nil {
		lock.release()
		return nil, err
	}
	srv, err := newServer(ctx, cfg, log, store)
	if err != nil {
		store.Close()
		lock.release()
		return nil, err
	}
	srv.lock = lock
	return srv, nil
}

// lockSite makes the data folder and takes the SQLite database's lock (see
// lockDatabase). A PostgreSQL database has none: several instances share it.
func lockSite(cfg Config) (*dataLock, error) {
	dirs := []string{cfg.Data}
	if !cfg.onPostgres() {
		dirs = append(dirs, filepath.Dir(cfg.databasePath()))
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
	}
	if cfg.onPostgres() {
		return nil, nil
	}
	return lockDatabase(cfg.databasePath())
}

// newServer builds a server on an open store, which it then owns.
func newServer(ctx context.Context, cfg Config, log *slog.Logger, store *models.Store) (*Server, error) {
	files, err := cfg.openMedia(ctx)
	if err != nil {
		return nil, err
	}
	if cfg.Demo {
		if err := demo.Seed(ctx, store, files, time.Now()); err != nil {
			return nil, fmt.Errorf("demo site: %w", err)
		}
	}
	if err := announceSetup(ctx, cfg, store, log); err != nil {
		store.Close()
		return nil, err
	}
	if err := store.RememberBaseURL(ctx, cfg.BaseURL); err != nil {
		return nil, err
	}
	if err := handlers.SweepPictures(ctx, store, files); err != nil {
		log.Warn("removing unused pictures", "err", err)
	}
	w, err := newWeb(cfg, store, log, func(d *handlers.Deps) { d.Media = files })
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, log: log, store: store, web: w}, nil
}

// stopTimeout is how long a stop waits for the requests under way.
const stopTimeout = 10 * time.Second

// Serve answers requests on ln until ctx is cancelled, then stops accepting,
// lets in-flight requests finish for up to stopTimeout and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	sc := newSilentCloser(ln)
	mailCtx, stopMail := context.WithCancel(context.WithoutCancel(ctx))
	mailDone := make(chan struct{})
	go func() { defer close(mailDone); s.web.sender.Run(mailCtx) }()
	// The sender stops after the requests: what they queued stays in the
	// outbox and is sent at the next start.
	defer func() { stopMail(); <-mailDone }()
	errc := make(chan error, 1)
	go func() { errc <- s.web.app.Listener(sc) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("stopping: no new connections; waiting for the requests under way", "timeout", stopTimeout)
	done := make(chan struct{})
	defer close(done)
	go sc.closeSilentUntil(done)
	if err := s.web.app.ShutdownWithTimeout(stopTimeout); err != nil {
		return fmt.Errorf("requests still running %v after the stop was asked: %w", stopTimeout, err)
	}
	// A stop asked right after the start can come before fasthttp has
	// taken the listener, when its Shutdown has none to close and its Serve
	// would then accept forever: close it here too (twice is harmless).
	sc.Listener.Close()
	if err := <-errc; err != nil && !strings.Contains(err.Error(), "closed") {
		return err
	}
	return nil
}

// Close closes the database (its write-ahead log folded in) and releases its lock.
func (s *Server) Close() error {
	err := s.store.Close()
	return errors.Join(err, s.lock.release())
}
