// Command safedesk is the SafeDesk server and its command-line tools in one binary.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"safedesk"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	var code exitCode
	switch {
	case err == nil:
	case errors.As(err, &code):
		os.Exit(int(code))
	default:
		fmt.Fprintln(os.Stderr, "safedesk:", err)
		os.Exit(1)
	}
}

const usage = `SafeDesk trains, drills and certifies e-commerce customer-service agents in security.

Usage: safedesk COMMAND [ARGS]

Commands:
  serve             run the web server (--demo loads a demo organisation)
  migrate           bring the database schema up to date
  content validate  check a course pack folder
  content stats     count what a course pack holds (JSON)
  content install   install a course pack folder as a new version
  users import      import staff from a CSV file (all or nothing)
  audit verify      check the hash chain of the audit log
  cert              verify a certificate (offline or online), rotate the signing key
  scan              check chat messages (JSON Lines) for risks
  loadtest exam     drive a running server through exam day and report latencies
  config            print the effective configuration, secrets masked
  version           print the version

Run 'safedesk COMMAND --help' for the flags of a command.
`

// run executes one command; main only maps its error to an exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitCode(2)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "content":
		return runContent(ctx, rest, getenv, stdout, stderr)
	case "users":
		return runUsers(ctx, rest, getenv, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, getenv, stdout, stderr)
	case "cert":
		return runCert(ctx, rest, getenv, stdout, stderr)
	case "scan":
		return runScan(ctx, rest, stdin, stdout, stderr)
	case "loadtest":
		return runLoadtest(ctx, rest, getenv, stdout, stderr)
	case "config":
		return runConfig(rest, getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "safedesk %s\n", safedesk.Version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "safedesk: unknown command %q\n\n%s", cmd, usage)
	return exitCode(2)
}
