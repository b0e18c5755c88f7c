package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"safedesk"
	"safedesk/cert"
)

const certUsage = `usage:
  safedesk cert verify CODE|FILE [--keys URL|FILE] [--url URL]
      FILE: a certificate file (downloaded from /api/v1/certificates/{code}/file), checked
            offline against the published key set given by --keys (a URL, or a file saved
            from /.well-known/safedesk-cert-keys.json; default: that path on --url).
            Offline verification cannot see revocation; with --url the issuing server is
            also asked whether the certificate was revoked.
      CODE: asks the issuing server's public verify API at --url (default: the server of
            a --keys URL, or SAFEDESK_BASE_URL).
      Exit status 0 only for a valid certificate, 1 for any other answer, 2 for misuse.
  safedesk cert rotate [--data DIR]
      makes a new signing key current in DIR/keys and keeps the old one to verify the
      certificates it signed; restart the server to sign with the new key.
`

// netTimeout bounds each request the verify command makes.
const netTimeout = 15 * time.Second

func runCert(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, certUsage)
		return exitCode(2)
	}
	switch args[0] {
	case "verify":
		return runCertVerify(ctx, args[1:], getenv, stdout, stderr)
	case "rotate":
		return runCertRotate(args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, certUsage)
		return nil
	}
	fmt.Fprintf(stderr, "safedesk cert: unknown command %q\n\n%s", args[0], certUsage)
	return exitCode(2)
}

// parseInterleaved parses flags that may come before or after the positional arguments
// (`cert verify FILE --keys K` reads as well as `cert verify --keys K FILE`), which the
// flag package alone stops at.
func parseInterleaved(set *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := set.Parse(args); err != nil {
			return nil, err
		}
		args = set.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// verifyAnswer is the public verify API's answer (../shared/contracts/api.md
// "Certificates").
type verifyAnswer struct {
	Valid     bool       `json:"valid"`
	Status    string     `json:"status"`
	Holder    string     `json:"holder"`
	Course    string     `json:"course"`
	Version   string     `json:"course_version"`
	IssuedAt  *time.Time `json:"issued_at"`
	ExpiresAt *time.Time `json:"expires_at"`
}

func runCertVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("cert verify", flag.ContinueOnError)
	flags.SetOutput(stderr)
	keys := flags.String("keys", "", "published key set: a URL or a file (JSON key set or PEM public keys)")
	server := flags.String("url", "", "the issuing server's address, such as https://safedesk.example.com (env SAFEDESK_BASE_URL)")
	flags.Usage = func() { fmt.Fprint(stderr, certUsage) }
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		return exitCode(2)
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, certUsage)
		return exitCode(2)
	}
	arg := pos[0]
	client := &http.Client{Timeout: netTimeout}
	if info, err := os.Stat(arg); err == nil && info.Mode().IsRegular() {
		return verifyFile(ctx, client, arg, *keys, *server, stdout, stderr)
	}
	code, err := cert.NormalizeCode(arg)
	if err != nil {
		fmt.Fprintf(stderr, "safedesk cert verify: %q is neither a certificate file nor a certificate code\n", arg)
		return exitCode(2)
	}
	base := *server
	if base == "" && isURL(*keys) {
		base = strings.TrimSuffix(*keys, cert.KeySetPath)
	}
	if base == "" {
		base = getenv("SAFEDESK_BASE_URL")
	}
	if base == "" {
		fmt.Fprintln(stderr, "safedesk cert verify: checking a code asks the issuing server: give its address with --url")
		return exitCode(2)
	}
	ans, err := askServer(ctx, client, base, code)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "status:   %s\ncode:     %s\n", ans.Status, code)
	if ans.Status != safedesk.CertUnknown {
		printAnswer(stdout, ans)
	}
	fmt.Fprintf(stdout, "checked:  online, by the issuing server %s (it sees revocations; the holder's name is masked)\n", strings.TrimRight(base, "/"))
	if !ans.Valid {
		return exitCode(1)
	}
	return nil
}

func printAnswer(w io.Writer, a *verifyAnswer) {
	fmt.Fprintf(w, "holder:   %s\ncourse:   %s (%s)\n", a.Holder, a.Course, a.Version)
	if a.IssuedAt != nil && a.ExpiresAt != nil {
		fmt.Fprintf(w, "issued:   %s\nexpires:  %s\n", a.IssuedAt.UTC().Format(time.RFC3339), a.ExpiresAt.UTC().Format(time.RFC3339))
	}
}

// verifyFile checks a certificate file's signature offline against the key set, and, when
// a server is named, asks it about revocation.
func verifyFile(ctx context.Context, client *http.Client, path, keysFrom, server string, stdout, stderr io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if keysFrom == "" && server != "" {
		keysFrom = strings.TrimRight(server, "/") + cert.KeySetPath
	}
	if keysFrom == "" {
		fmt.Fprintln(stderr, "safedesk cert verify: a certificate file is checked against the issuer's published keys: give them with --keys URL|FILE")
		return exitCode(2)
	}
	keyData, err := readKeys(ctx, client, keysFrom, stderr)
	if err != nil {
		return err
	}
	ring, err := cert.ParseKeySet(keyData)
	if err != nil {
		return fmt.Errorf("key set %s: %w", keysFrom, err)
	}
	signed, st, err := cert.VerifyFile(data, ring, time.Now())
	if err != nil {
		fmt.Fprintf(stdout, "status:   %s\nreason:   %s\n", cert.StatusUnknown, safedesk.ErrorMessage(err))
		fmt.Fprintf(stderr, "%s: %v\n", path, err)
		return exitCode(1)
	}
	p := signed.Payload
	fmt.Fprintf(stdout, "status:   %s\ncode:     %s\nholder:   %s\ncourse:   %s (%s)\nissued:   %s\nexpires:  %s\nissuer:   %s\nkey:      %s\n",
		st, p.Code, p.Holder, p.CourseTitle, p.CourseVersion, p.IssuedAt.UTC().Format(time.RFC3339),
		p.ExpiresAt.UTC().Format(time.RFC3339), p.Issuer, p.KeyID)
	fmt.Fprintf(stdout, "checked:  signature, offline, against %d published key(s) from %s\n", len(ring.KeyIDs()), keysFrom)
	if server == "" {
		fmt.Fprintln(stdout, "note:     offline verification cannot see revocation. Ask the issuer whether it was revoked:")
		fmt.Fprintf(stdout, "          safedesk cert verify %s --url ISSUER, or the issuer's /verify/%s page\n", p.Code, p.Code)
		if st != cert.StatusValid {
			return exitCode(1)
		}
		return nil
	}
	ans, err := askServer(ctx, client, server, p.Code)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "register: %s (asked %s)\n", ans.Status, strings.TrimRight(server, "/"))
	switch {
	case ans.Status == safedesk.CertUnknown:
		fmt.Fprintln(stdout, "warning:  the server does not know this certificate: it was not issued there, or was issued by another installation with the same keys")
		return exitCode(1)
	case ans.Status != string(st):
		// The register knows more than the file: a revocation.
		fmt.Fprintf(stdout, "status:   %s\n", ans.Status)
		return exitCode(1)
	case st != cert.StatusValid:
		return exitCode(1)
	}
	return nil
}

func isURL(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") }

// readKeys reads the key set from a URL or a file. A key set fetched over plain HTTP from
// another machine could have been swapped on the way, which would make a forged
// certificate pass: that earns a warning.
func readKeys(ctx context.Context, client *http.Client, from string, stderr io.Writer) ([]byte, error) {
	if !isURL(from) {
		return os.ReadFile(from)
	}
	u, err := url.Parse(from)
	if err != nil {
		return nil, fmt.Errorf("--keys %s: %w", from, err)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		fmt.Fprintf(stderr, "warning: the key set comes over plain HTTP from %s; use https:// so it cannot be swapped on the way\n", u.Host)
	}
	return fetch(ctx, client, from)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// fetch GETs a small JSON document.
func fetch(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, fmt.Errorf("%s: too many checks from this address; try again in a minute", u)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	return body, nil
}

// askServer asks the issuing server's public verify API about a code.
func askServer(ctx context.Context, client *http.Client, base, code string) (*verifyAnswer, error) {
	if !isURL(base) {
		return nil, fmt.Errorf("--url %q: give the server's address with http:// or https://", base)
	}
	body, err := fetch(ctx, client, strings.TrimRight(base, "/")+"/api/v1/certificates/verify/"+url.PathEscape(code))
	if err != nil {
		return nil, err
	}
	var ans verifyAnswer
	if err := json.Unmarshal(body, &ans); err != nil || ans.Status == "" {
		return nil, fmt.Errorf("%s does not answer like a SafeDesk server: %.100s", base, body)
	}
	return &ans, nil
}

// runCertRotate rotates the signing key kept in the data directory.
func runCertRotate(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("cert rotate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	cfg, err := loadConfig(flags, args, getenv)
	if err != nil {
		return exitCode(2)
	}
	if flags.NArg() != 0 {
		fmt.Fprint(stderr, certUsage)
		return exitCode(2)
	}
	if cfg.CertKeyFile != "" {
		fmt.Fprintf(stderr, "safedesk cert rotate: the signing key is the file %s (SAFEDESK_CERT_KEY); rotate it by replacing that file,\n"+
			"and keep the old public key where the server verifies with it\n", cfg.CertKeyFile)
		return exitCode(1)
	}
	dir := filepath.Join(cfg.DataDir, "keys")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "safedesk cert rotate: no keys in %s yet: the server creates the first signing key when it starts\n", dir)
		return exitCode(1)
	}
	old, err := cert.OpenKeyDir(dir)
	if err != nil {
		return err
	}
	ring, err := cert.RotateKeyDir(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rotated the certificate signing key in %s\nold key:  %s (kept, to verify the certificates it signed)\nnew key:  %s (signs once the server restarts)\nkeys:     %s\n",
		dir, old.CurrentKeyID(), ring.CurrentKeyID(), strings.Join(ring.KeyIDs(), ", "))
	fmt.Fprintln(stdout, "Restart the server to sign with the new key; the published key set lists every key above.")
	return nil
}
