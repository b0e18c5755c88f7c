package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"safedesk"
	"safedesk/content"
)

func runContent(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: safedesk content validate DIR | stats [DIR] | install DIR")
		return exitCode(2)
	}
	switch args[0] {
	case "validate":
		fs := flag.NewFlagSet("content validate", flag.ContinueOnError)
		fs.SetOutput(stderr)
		asJSON := fs.Bool("json", false, "print problems as JSON")
		if err := fs.Parse(args[1:]); err != nil {
			return exitCode(2)
		}
		if fs.NArg() != 1 {
			fmt.Fprintln(stderr, "usage: safedesk content validate [--json] DIR")
			return exitCode(2)
		}
		p, err := loadPackDir(fs.Arg(0))
		if err != nil {
			return reportPackError(err, *asJSON, fs.Arg(0), stdout, stderr)
		}
		s := content.Count(p)
		fmt.Fprintf(stdout, "ok: %s %s — %d chapters, %d lessons, %d questions, %d exams, %d drills, %d surveys\n",
			p.ID, p.Version, s.Chapters, p.LessonCount(), s.Questions, s.Exams, s.Scenarios, s.Surveys)
		return nil
	case "stats":
		var fsys = content.Default()
		if len(args) > 2 {
			fmt.Fprintln(stderr, "usage: safedesk content stats [DIR]")
			return exitCode(2)
		}
		var name = "(embedded default pack)"
		if len(args) == 2 {
			name = args[1]
			if err := checkDir(name); err != nil {
				return err
			}
			fsys = os.DirFS(name)
		}
		p, err := content.Load(fsys)
		if err != nil {
			return reportPackError(err, false, name, stdout, stderr)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(content.Count(p))
	case "install":
		return runContentInstall(ctx, args[1:], getenv, stdout, stderr)
	}
	fmt.Fprintf(stderr, "safedesk content: unknown subcommand %q (validate, stats, install)\n", args[0])
	return exitCode(2)
}

func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: not a folder", dir)
	}
	return nil
}

func loadPackDir(dir string) (*safedesk.Pack, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	return content.Load(os.DirFS(dir))
}

// reportPackError prints every problem of a pack on its own line, file:line: field: message.
func reportPackError(err error, asJSON bool, dir string, stdout, stderr io.Writer) error {
	var perr *content.Error
	if !errors.As(err, &perr) {
		return err
	}
	if asJSON {
		json.NewEncoder(stdout).Encode(map[string]any{"problems": perr.Problems})
		return exitCode(1)
	}
	for _, p := range perr.Problems {
		fmt.Fprintf(stderr, "%s/%s\n", dir, p.String())
	}
	fmt.Fprintf(stderr, "%d problem(s); the pack was not accepted\n", len(perr.Problems))
	return exitCode(1)
}
