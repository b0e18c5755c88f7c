package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"safedesk"
	"safedesk/drill"
	sdhttp "safedesk/http"
	"safedesk/jobs"
	"safedesk/risk"
	"safedesk/sqlstore"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demo := fs.Bool("demo", false, "create the demo organisation on an empty database")
	cfg, err := loadConfig(fs, args, getenv)
	if err != nil {
		return exitCode(2)
	}
	started := time.Now()
	log := newLogger(cfg, stderr)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.installDefaultPack(ctx); err != nil {
		return err
	}
	if *demo {
		if err := a.createDemo(ctx, stdout); err != nil {
			return fmt.Errorf("demo organisation: %w", err)
		}
	}
	engine, err := newRiskEngine(cfg)
	if err != nil {
		return err
	}
	certs, err := newCertifier(cfg, log)
	if err != nil {
		return err
	}

	srv := &sdhttp.Server{
		Users: a.users, Auth: a.auth, Audit: a.audit, Courses: a.courses, Notifications: a.notes,
		Exams: a.exams, Certificates: a.certs, Certifier: certs, BaseURL: cfg.BaseURL,
		Drills: a.drills, DrillEngine: drill.New(engine),
		Catalog: a.catalog, Checker: riskChecker{engine}, Ping: a.db.Ping, Logger: log,
		SecureCookies: cfg.SecureCookies, SessionTTL: cfg.SessionTTL, Issuer: cfg.OrgName,
	}
	if err := srv.Init(); err != nil {
		return err
	}
	stopJobs, err := a.startJobs(ctx, srv.AutoSubmitOverdue)
	if err != nil {
		return err
	}
	defer stopJobs()
	stopDebug, err := startDebug(cfg.DebugAddr, log)
	if err != nil {
		return err
	}
	defer stopDebug()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "database", a.db.Dialect, "startup_ms", time.Since(started).Milliseconds(), "version", safedesk.Version)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startJobs runs the job queue on the same database as the store.
func (a *app) startJobs(ctx context.Context, autoSubmit func(context.Context) (int, error)) (func(), error) {
	deps := jobs.Deps{Courses: a.courses, Notifications: a.notes, Catalog: a.catalog, Sessions: a.auth,
		AutoSubmit: autoSubmit, Clock: safedesk.SystemClock{}, Logger: a.log, Certificates: a.certs}
	stopCtx := func(stop func(context.Context) error) func() {
		return func() {
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := stop(c); err != nil {
				a.log.Warn("job queue stop", "err", err)
			}
		}
	}
	if a.db.Dialect == sqlstore.Postgres {
		driver := riverpgxv5.New(a.db.Pgx())
		if err := jobs.Migrate(ctx, driver); err != nil {
			return nil, err
		}
		c, err := jobs.Start(context.WithoutCancel(ctx), driver, deps)
		if err != nil {
			return nil, err
		}
		return stopCtx(c.Stop), nil
	}
	driver := riversqlite.New(a.db.SQL())
	if err := jobs.Migrate(ctx, driver); err != nil {
		return nil, err
	}
	c, err := jobs.Start(context.WithoutCancel(ctx), driver, deps)
	if err != nil {
		return nil, err
	}
	return stopCtx(c.Stop), nil
}

// newRiskEngine builds the engine from the built-in lists, or from a configured folder.
func newRiskEngine(cfg *Config) (*risk.Engine, error) {
	rc := risk.DefaultConfig()
	if cfg.RiskDir != "" {
		var err error
		if rc, err = risk.LoadConfig(os.DirFS(cfg.RiskDir)); err != nil {
			return nil, fmt.Errorf("SAFEDESK_RISK_DIR: %w", err)
		}
	}
	return risk.New(rc)
}

// riskChecker adapts the engine to the HTTP server's Checker.
type riskChecker struct{ e *risk.Engine }

func (c riskChecker) AppendCheckJSON(dst []byte, role, text string) ([]byte, error) {
	r, err := risk.ParseRole(role)
	if err != nil {
		return dst, safedesk.FieldError("role", "%s", err.Error())
	}
	return c.e.AppendCheck(dst, r, text), nil
}
