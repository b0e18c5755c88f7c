// Package jobs runs SafeDesk's background work on River, a durable job queue that keeps
// its jobs in the same database as everything else (SQLite or PostgreSQL), so that several
// app nodes share one queue and a restart loses no job.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"

	"safedesk"
	"safedesk/content"
)

// Deps are the services the workers use.
type Deps struct {
	Courses       safedesk.CourseService
	Notifications safedesk.NotificationService
	Catalog       *content.Catalog
	Sessions      interface {
		DeleteExpired(ctx context.Context) (int64, error)
	}
	// AutoSubmit submits attempts whose time is up; it runs every AutoSubmitEvery.
	AutoSubmit      func(ctx context.Context) (int, error)
	AutoSubmitEvery time.Duration
	Clock           safedesk.Clock
	Logger          *slog.Logger
	// RemindBefore is how long before the due date learners are reminded.
	RemindBefore time.Duration
	// Every is how often the periodic jobs run.
	Every time.Duration
	// Certificates, when set, turns on the certificate pass (CertWorker): expiry reminders,
	// renewal assignments and recertification after a major upgrade, which gives holders
	// RecertifyWithin (safedesk.RecertifyWithin when zero).
	Certificates    safedesk.CertificateService
	RecertifyWithin time.Duration
}

// Migrate creates or updates River's own tables.
func Migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// Start starts a River client with SafeDesk's workers and periodic jobs. Stop it with
// client.Stop.
func Start[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], d Deps) (*river.Client[TTx], error) {
	if d.RemindBefore == 0 {
		d.RemindBefore = 72 * time.Hour
	}
	if d.Every == 0 {
		d.Every = time.Hour
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &DueReminderWorker{d: d}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &CleanupWorker{d: d}); err != nil {
		return nil, err
	}
	if d.AutoSubmitEvery == 0 {
		d.AutoSubmitEvery = 30 * time.Second
	}
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(d.Every), func() (river.JobArgs, *river.InsertOpts) {
			return DueReminderArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(d.Every), func() (river.JobArgs, *river.InsertOpts) {
			return CleanupArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
	}
	if d.Certificates != nil {
		if err := river.AddWorkerSafely(workers, &CertWorker{d: d}); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(d.Every), func() (river.JobArgs, *river.InsertOpts) {
			return CertArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	if d.AutoSubmit != nil {
		if err := river.AddWorkerSafely(workers, &AutoSubmitWorker{d: d}); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(d.AutoSubmitEvery), func() (river.JobArgs, *river.InsertOpts) {
			return AutoSubmitArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	client, err := river.NewClient(driver, &river.Config{
		Logger:       slog.New(quiet{d.Logger.Handler()}),
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:      workers,
		PeriodicJobs: periodic,
	})
	if err != nil {
		return nil, err
	}
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	return client, nil
}

// DueReminderArgs asks for one pass of due-date reminders.
type DueReminderArgs struct{}

// Kind names the job in the queue.
func (DueReminderArgs) Kind() string { return "due_reminder" }

// DueReminderWorker notifies every learner whose assigned course falls due soon and who has
// not read all of it. A reminder is sent once per learner, course and due date, however
// often the job runs and on however many nodes.
type DueReminderWorker struct {
	river.WorkerDefaults[DueReminderArgs]
	d Deps
}

// Work runs one pass.
func (w *DueReminderWorker) Work(ctx context.Context, job *river.Job[DueReminderArgs]) error {
	n, err := RemindDue(ctx, w.d)
	if err != nil {
		return err
	}
	if n > 0 {
		w.d.Logger.Info("due-date reminders sent", "count", n)
	}
	return nil
}

// RemindDue sends the reminders that are due now and returns how many were new.
func RemindDue(ctx context.Context, d Deps) (int, error) {
	due, err := d.Notifications.FindDueSoon(ctx, d.Clock.Now().Add(d.RemindBefore))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range due {
		p, err := d.Catalog.Course(ctx, r.CourseID)
		if err != nil {
			if safedesk.ErrorCode(err) == safedesk.ENOTFOUND {
				continue // the course was withdrawn
			}
			return sent, err
		}
		prog, err := d.Courses.FindProgress(ctx, r.UserID, r.CourseID)
		if err != nil {
			return sent, err
		}
		read := 0
		for _, pr := range prog {
			if pr.Read && p.Pack.Lesson(pr.LessonID) != nil {
				read++
			}
		}
		if read >= p.Pack.LessonCount() {
			continue
		}
		params, _ := json.Marshal(map[string]any{"course_id": r.CourseID, "due_at": r.DueAt})
		ok, err := d.Notifications.Notify(ctx, &safedesk.Notification{UserID: r.UserID, Kind: safedesk.NotifyDueSoon,
			Ref: r.CourseID + "@" + r.DueAt.Format(time.RFC3339), Params: string(params)})
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// CleanupArgs asks for expired sessions and tokens to be removed.
type CleanupArgs struct{}

// Kind names the job in the queue.
func (CleanupArgs) Kind() string { return "cleanup" }

// CleanupWorker removes expired sessions and tokens.
type CleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	d Deps
}

// Work runs one pass.
func (w *CleanupWorker) Work(ctx context.Context, job *river.Job[CleanupArgs]) error {
	_, err := w.d.Sessions.DeleteExpired(ctx)
	return err
}

// AutoSubmitArgs asks for overdue exam attempts to be submitted.
type AutoSubmitArgs struct{}

// Kind names the job in the queue.
func (AutoSubmitArgs) Kind() string { return "exam_auto_submit" }

// AutoSubmitWorker submits attempts whose deadline and grace have passed, so an
// unfinished attempt is graded on what was saved in time.
type AutoSubmitWorker struct {
	river.WorkerDefaults[AutoSubmitArgs]
	d Deps
}

// Work runs one pass.
func (w *AutoSubmitWorker) Work(ctx context.Context, job *river.Job[AutoSubmitArgs]) error {
	n, err := w.d.AutoSubmit(ctx)
	if n > 0 {
		w.d.Logger.Info("attempts submitted at their deadline", "count", n)
	}
	return err
}

// quiet passes on only warnings and errors: the queue's routine progress reports would
// otherwise fill the log every few seconds.
type quiet struct{ slog.Handler }

func (q quiet) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && q.Handler.Enabled(ctx, l)
}

func (q quiet) WithAttrs(a []slog.Attr) slog.Handler { return quiet{q.Handler.WithAttrs(a)} }
func (q quiet) WithGroup(g string) slog.Handler      { return quiet{q.Handler.WithGroup(g)} }
