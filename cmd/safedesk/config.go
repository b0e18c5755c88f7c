package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration, loaded as defaults, then an optional file of
// KEY=VALUE lines (SAFEDESK_CONFIG), then SAFEDESK_* environment variables (KEY_FILE reads a
// secret from a file), then command-line flags.
type Config struct {
	Addr          string
	DataDir       string
	DatabaseURL   string
	DemoPassword  string
	SecureCookies bool
	SessionTTL    time.Duration
	LogLevel      string
	LogFormat     string
	OrgName       string
	RiskDir       string
	BaseURL       string
	TimeZone      string
	CertFont      string
	CertKeyFile   string
	DebugAddr     string
}

// setting describes one configuration value for loading, flags and `safedesk config`.
type setting struct {
	env    string
	flag   string
	secret bool
	help   string
	def    string
	set    func(c *Config, v string) error
	get    func(c *Config) string
}

func str(p func(*Config) *string) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error { *p(c) = v; return nil }, func(c *Config) string { return *p(c) }
}

func settings() []setting {
	var s []setting
	add := func(env, flagName, def, help string, secret bool, p func(*Config) *string) {
		set, get := str(p)
		s = append(s, setting{env: env, flag: flagName, def: def, help: help, secret: secret, set: set, get: get})
	}
	add("SAFEDESK_ADDR", "addr", "127.0.0.1:8080", "address to listen on, HOST:PORT", false, func(c *Config) *string { return &c.Addr })
	add("SAFEDESK_DATA_DIR", "data", "./safedesk-data", "data directory (SQLite database, keys)", false, func(c *Config) *string { return &c.DataDir })
	add("SAFEDESK_DATABASE_URL", "database-url", "", "postgres:// URL; empty means SQLite in the data directory", true, func(c *Config) *string { return &c.DatabaseURL })
	add("SAFEDESK_DEMO_PASSWORD", "", "", "password of the demo accounts (random and printed once when empty)", true, func(c *Config) *string { return &c.DemoPassword })
	add("SAFEDESK_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", false, func(c *Config) *string { return &c.LogLevel })
	add("SAFEDESK_LOG_FORMAT", "log-format", "auto", "auto (JSON unless on a terminal), json or text", false, func(c *Config) *string { return &c.LogFormat })
	add("SAFEDESK_ORG_NAME", "org-name", "SafeDesk", "organisation name shown in authenticator apps and certificates", false, func(c *Config) *string { return &c.OrgName })
	add("SAFEDESK_BASE_URL", "base-url", "", "public URL of the server, for links in certificates (default: http://ADDR)", false, func(c *Config) *string { return &c.BaseURL })
	add("SAFEDESK_TIMEZONE", "timezone", "Asia/Shanghai", "time zone of dates printed on certificates", false, func(c *Config) *string { return &c.TimeZone })
	add("SAFEDESK_CERT_FONT", "cert-font", "", "TrueType font (TTF/TTC) with Chinese glyphs for certificate PDFs; found on the system when empty", false, func(c *Config) *string { return &c.CertFont })
	add("SAFEDESK_CERT_KEY", "cert-key", "", "Ed25519 signing key (PEM file) for certificates; generated into DATA/keys when empty", false, func(c *Config) *string { return &c.CertKeyFile })
	add("SAFEDESK_DEBUG_ADDR", "debug-addr", "", "loopback HOST:PORT serving Go profiles (/debug/pprof/); empty means off", false, func(c *Config) *string { return &c.DebugAddr })
	add("SAFEDESK_RISK_DIR", "risk-dir", "", "folder of risk-engine lists (official_domains.txt …) replacing the built-in ones", false, func(c *Config) *string { return &c.RiskDir })
	s = append(s, setting{env: "SAFEDESK_SECURE_COOKIES", flag: "secure-cookies", def: "false", help: "mark cookies Secure (set when served over HTTPS)",
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			c.SecureCookies = b
			return err
		},
		get: func(c *Config) string { return strconv.FormatBool(c.SecureCookies) }})
	s = append(s, setting{env: "SAFEDESK_SESSION_TTL", flag: "session-ttl", def: "12h", help: "how long a browser session lasts",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err == nil && d < time.Minute {
				err = fmt.Errorf("shorter than a minute")
			}
			c.SessionTTL = d
			return err
		},
		get: func(c *Config) string { return c.SessionTTL.String() }})
	return s
}

// loadConfig builds the configuration; fs receives the flags (registered here) and args.
func loadConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (*Config, error) {
	c := &Config{}
	all := settings()
	for _, st := range all {
		if err := st.set(c, st.def); err != nil {
			return nil, err
		}
	}
	if path := getenv("SAFEDESK_CONFIG"); path != "" {
		if err := loadConfigFile(c, all, path); err != nil {
			return nil, err
		}
	}
	for _, st := range all {
		v, from, err := envValue(st.env, getenv)
		if err != nil {
			return nil, err
		}
		if from == "" {
			continue
		}
		if err := st.set(c, v); err != nil {
			return nil, fmt.Errorf("%s: %v", from, err)
		}
	}
	for _, st := range all {
		if st.flag == "" {
			continue
		}
		st := st
		fs.Func(st.flag, st.help+" (env "+st.env+")", func(v string) error {
			return st.set(c, v)
		})
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c, nil
}

// envValue reads NAME, or the file named by NAME_FILE; it returns which one it used.
func envValue(name string, getenv func(string) string) (string, string, error) {
	if path := getenv(name + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimRight(string(b), "\r\n"), name + "_FILE", nil
	}
	if v := getenv(name); v != "" {
		return v, name, nil
	}
	return "", "", nil
}

func loadConfigFile(c *Config, all []setting, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("SAFEDESK_CONFIG: %w", err)
	}
	defer f.Close()
	byEnv := map[string]setting{}
	for _, st := range all {
		byEnv[st.env] = st
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("%s:%d: expected KEY=VALUE", path, n)
		}
		st, ok := byEnv[strings.TrimSpace(k)]
		if !ok {
			return fmt.Errorf("%s:%d: unknown setting %s", path, n, strings.TrimSpace(k))
		}
		if err := st.set(c, strings.Trim(strings.TrimSpace(v), `"`)); err != nil {
			return fmt.Errorf("%s:%d: %s: %v", path, n, st.env, err)
		}
	}
	return sc.Err()
}

// runConfig prints the effective configuration with secrets masked.
func runConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c, err := loadConfig(fs, args, getenv)
	if err != nil {
		return exitCode(2)
	}
	for _, st := range settings() {
		v := st.get(c)
		if st.secret && v != "" {
			v = maskSecret(st.env, v)
		}
		fmt.Fprintf(stdout, "%-26s %s\n", st.env, v)
	}
	return nil
}

// maskSecret hides a secret; a database URL keeps everything but its password.
func maskSecret(name, v string) string {
	if name == "SAFEDESK_DATABASE_URL" {
		if u, err := url.Parse(v); err == nil {
			return u.Redacted()
		}
		return "****"
	}
	return "****"
}
