package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"

	"safedesk"
	"safedesk/content"
	"safedesk/jobs"
	"safedesk/sqlstore"
)

// app is the wired system: the store, its services and the catalog. Commands that touch
// the database build one with openApp.
type app struct {
	cfg     *Config
	log     *slog.Logger
	db      *sqlstore.DB
	users   *sqlstore.UserService
	auth    *sqlstore.AuthService
	audit   *sqlstore.AuditService
	courses *sqlstore.CourseService
	notes   *sqlstore.NotificationService
	exams   *sqlstore.ExamService
	certs   *sqlstore.CertificateService
	drills  *sqlstore.DrillService
	catalog *content.Catalog
}

// openApp opens and migrates the database and builds the services.
func openApp(ctx context.Context, cfg *Config, log *slog.Logger) (*app, error) {
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a := &app{cfg: cfg, log: log, db: db,
		users: sqlstore.NewUserService(db), auth: sqlstore.NewAuthService(db), audit: sqlstore.NewAuditService(db),
		courses: sqlstore.NewCourseService(db), notes: sqlstore.NewNotificationService(db),
		exams: sqlstore.NewExamService(db), certs: sqlstore.NewCertificateService(db), drills: sqlstore.NewDrillService(db)}
	a.catalog = content.NewCatalog(a.courses)
	a.catalog.Exams = a.exams
	a.catalog.OnMajorUpgrade = func(ctx context.Context, courseID, oldV, newV string) {
		n, err := jobs.RecertifyCourse(ctx, jobs.Deps{Courses: a.courses, Certificates: a.certs}, courseID)
		switch {
		case err != nil:
			a.log.Error("marking certificates for recertification", "course", courseID, "err", err)
		case n > 0:
			a.log.Info("certificates to recertify", "course", courseID, "from", oldV, "to", newV, "count", n)
		}
	}
	return a, nil
}

func (a *app) Close() error { return a.db.Close() }

// installDefaultPack installs the embedded default course when its version is not
// installed yet and is newer than the live version, so that upgrading the binary brings the
// new course and a pack an admin installed by hand is never replaced by an older one.
func (a *app) installDefaultPack(ctx context.Context) error {
	files, err := content.ReadFiles(content.Default())
	if err != nil {
		return err
	}
	p, err := content.Parse(files)
	if err != nil {
		return fmt.Errorf("embedded default pack: %w", err)
	}
	versions, err := a.courses.FindVersions(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, v := range versions {
		if v.Version == p.Version || (v.Live && content.CompareVersions(v.Version, p.Version) > 0) {
			return a.catalog.SyncExams(ctx)
		}
	}
	ctx = safedesk.WithActor(ctx, safedesk.Actor{Email: "system"})
	if _, _, err := a.catalog.Install(ctx, files, "system"); err != nil {
		return err
	}
	a.log.Info("course pack installed", "course", p.ID, "version", p.Version)
	return nil
}

// newLogger logs JSON unless stderr is a terminal or text was asked for.
func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
