package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"safedesk"
	"safedesk/content"
	"safedesk/staffcsv"
)

// openFromFlags loads the configuration with the common flags and opens the app.
func openFromFlags(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer) (*app, *flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := loadConfig(fs, args, getenv)
	if err != nil {
		return nil, nil, exitCode(2)
	}
	a, err := openApp(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return nil, nil, err
	}
	return a, fs, nil
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, _, err := openFromFlags(ctx, "migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.installDefaultPack(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database schema up to date (%s)\n", a.db.Dialect)
	return nil
}

func runUsers(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(stderr, "usage: safedesk users import [--data DIR] FILE.csv")
		return exitCode(2)
	}
	a, fs, err := openFromFlags(ctx, "users import", args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: safedesk users import [--data DIR] FILE.csv")
		return exitCode(2)
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, bad, err := staffcsv.Parse(f)
	if err != nil {
		if errors.Is(err, staffcsv.ErrFile) {
			fmt.Fprintf(stderr, "%s: %s\nnothing was imported\n", name, err)
			return exitCode(1)
		}
		return err
	}
	if len(bad) == 0 {
		ctx = safedesk.WithActor(ctx, safedesk.Actor{Email: "cli"})
		var res safedesk.ImportResult
		res, err = a.users.ImportUsers(ctx, rows)
		if err == nil {
			fmt.Fprintf(stdout, "imported %s: %d created, %d updated\n", name, res.Created, res.Updated)
			return nil
		}
		var ie *safedesk.ImportError
		if !errors.As(err, &ie) {
			return err
		}
		bad = ie.Rows
	}
	for _, b := range bad {
		field := ""
		if b.Field != "" {
			field = b.Field + ": "
		}
		fmt.Fprintf(stderr, "%s:%d: %s%s\n", name, b.Line, field, b.Message)
	}
	fmt.Fprintf(stderr, "%d bad row(s); nothing was imported\n", len(bad))
	return exitCode(1)
}

func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: safedesk audit verify [--data DIR]")
		return exitCode(2)
	}
	a, _, err := openFromFlags(ctx, "audit verify", args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	broken, reason, checked, err := a.audit.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if broken != 0 {
		fmt.Fprintf(stderr, "audit log broken at entry %d: %s (%d entries before it verified)\n", broken, reason, checked)
		return exitCode(1)
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries verified\n", checked)
	return nil
}

func runContentInstall(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, fs, err := openFromFlags(ctx, "content install", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: safedesk content install [--data DIR] PACK_DIR")
		return exitCode(2)
	}
	dir := fs.Arg(0)
	if err := checkDir(dir); err != nil {
		return err
	}
	files, err := content.ReadFiles(os.DirFS(dir))
	if err == nil {
		ctx = safedesk.WithActor(ctx, safedesk.Actor{Email: "cli"})
		var v *safedesk.CourseVersion
		v, _, err = a.catalog.Install(ctx, files, "cli")
		if err == nil {
			fmt.Fprintf(stdout, "installed %s %s (now live)\n", v.CourseID, v.Version)
			return nil
		}
	}
	if safedesk.ErrorCode(err) == safedesk.ECONFLICT {
		fmt.Fprintf(stderr, "%s: %s\n", dir, safedesk.ErrorMessage(err))
		return exitCode(1)
	}
	return reportPackError(err, false, dir, stdout, stderr)
}
