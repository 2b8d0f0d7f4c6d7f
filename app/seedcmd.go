package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"doleances/app/demo"
)

// seedCommand is the seed subcommand: it fills the configured database with
// synthetic content for trying the site out and for benchmarks.
//
//	doleances seed [flags] -stories N -comments M -users U
func seedCommand(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	var opt demo.Options
	cfg, err := parseConfig(name+" seed", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.IntVar(&opt.Stories, "stories", 1000, "number of stories to make")
		fs.IntVar(&opt.Comments, "comments", 10000, "number of comments to make, spread unevenly over the stories")
		fs.IntVar(&opt.Users, "users", 1000, "number of users to make (readers, some authors, one admin)")
		fs.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed makes the same site")
		fs.BoolVar(&opt.Force, "force", false, "add to a database that already has users or stories")
	})
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if opt.Stories < 1 || opt.Comments < 0 || opt.Users < 1 {
		return errors.New("seed: -stories and -users must be at least 1, and -comments 0 or more")
	}
	store, err := cfg.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	opt.Now = cfg.clock()()
	start := time.Now()
	if err := demo.Generate(ctx, store, opt, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Seeded %s with %d stories, %d comments and %d users in %v.\n",
		cfg.databaseShown(), opt.Stories, opt.Comments, opt.Users, time.Since(start).Round(time.Millisecond))
	return nil
}
