package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"doleances/models"
)

// Lifetimes of the one-time links.
const (
	setupLinkTTL  = 24 * time.Hour
	signinLinkTTL = 15 * time.Minute
)

// announceSetup logs a one-time link that creates the first admin account,
// when the site has no admin: a newcomer needs no OAuth credentials to start.
func announceSetup(ctx context.Context, cfg Config, store *models.Store, log *slog.Logger) error {
	has, err := store.HasAdmin(ctx)
	if err != nil || has {
		return err
	}
	token, err := store.CreateOneTimeToken(ctx, models.PurposeSetup, nil, setupLinkTTL)
	if err != nil {
		return err
	}
	log.Warn("this site has no admin yet: open this one-time link (valid 24 hours) to create the first admin account",
		"url", cfg.BaseURL+"/setup/"+token)
	return nil
}

// signinLink is the signin-link subcommand: it prints a one-time sign-in link
// for an existing user, given by handle or email.
//
//	doleances signin-link [flags] EMAIL-or-HANDLE
func signinLink(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	var who string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		who, args = args[0], args[1:]
	} else if len(args) > 0 {
		who, args = args[len(args)-1], args[:len(args)-1]
	}
	cfg, err := parseConfig(name+" signin-link", args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if who == "" || strings.HasPrefix(who, "-") {
		return errors.New("usage: signin-link [flags] EMAIL-or-HANDLE")
	}
	store, err := models.Open(cfg.databasePath(), models.Options{Now: cfg.now})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := linkBase(ctx, &cfg, store, args, getenv, stdout); err != nil {
		return err
	}
	u, err := store.UserByEmailOrHandle(ctx, who)
	if errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("no user with the handle or email %q", who)
	}
	if err != nil {
		return err
	}
	token, err := store.CreateOneTimeToken(ctx, models.PurposeSignIn, &u.ID, signinLinkTTL)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "One-time sign-in link for %s (@%s), valid %d minutes:\n%s/signin/%s\n",
		u.Name, u.Handle, int(signinLinkTTL.Minutes()), cfg.BaseURL, token)
	return nil
}

// linkBase makes the links of a command point where the server answers:
// when neither -base-url nor -addr (flags or DOLEANCES_ variables) are
// given, the base URL the server last started with on this database, and
// a warning when no server ever did.
func linkBase(ctx context.Context, cfg *Config, store *models.Store, args []string, getenv func(string) string, out io.Writer) error {
	for _, name := range []string{"base-url", "addr"} {
		if getenv(envName(name)) != "" || slices.ContainsFunc(args, func(a string) bool {
			a = strings.TrimLeft(a, "-")
			return a == name || strings.HasPrefix(a, name+"=")
		}) {
			return nil
		}
	}
	served, err := store.RememberedBaseURL(ctx)
	if err != nil {
		return err
	}
	if served == "" {
		fmt.Fprintf(out, "Warning: -base-url is not set (nor %s) and no server has started on this database: the link assumes the site answers at %s. Give the server's -base-url or -addr.\n", envName("base-url"), cfg.BaseURL)
		return nil
	}
	if served != cfg.BaseURL {
		fmt.Fprintf(out, "The site's address is the one its server last started with (%s); -base-url gives another.\n", served)
		cfg.BaseURL = served
	}
	return nil
}
