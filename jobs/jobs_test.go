package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"

	"safedesk"
	"safedesk/content"
	"safedesk/jobs"
	"safedesk/sqlstore"
)

type env struct {
	db    *sqlstore.DB
	deps  jobs.Deps
	users *sqlstore.UserService
	read  *safedesk.User
	slow  *safedesk.User
}

// setup makes a store with the default course assigned to two learners due in two days,
// one of whom has read every lesson.
func setup(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "j.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cs := sqlstore.NewCourseService(db)
	cat := content.NewCatalog(cs)
	files, _ := content.ReadFiles(content.Default())
	_, pack, err := cat.Install(ctx, files, "test")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, users: sqlstore.NewUserService(db)}
	for i, email := range []string{"read@demo.example", "slow@demo.example"} {
		u := &safedesk.User{Email: email, Name: email, Role: safedesk.RoleTrainee, Active: true}
		if err := e.users.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := cs.CreateAssignment(ctx, &safedesk.Assignment{CourseID: pack.ID, UserID: u.ID, DueAt: time.Now().Add(48 * time.Hour), CreatedBy: "t"}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			e.read = u
			for _, ch := range pack.Chapters {
				for _, l := range ch.Lessons {
					cs.SaveProgress(ctx, &safedesk.Progress{UserID: u.ID, CourseID: pack.ID, LessonID: l.ID, Read: true, Position: 100})
				}
			}
		} else {
			e.slow = u
		}
	}
	e.deps = jobs.Deps{Courses: cs, Notifications: sqlstore.NewNotificationService(db), Catalog: cat,
		Sessions: sqlstore.NewAuthService(db), Clock: safedesk.SystemClock{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		RemindBefore: 72 * time.Hour}
	return e
}

func TestRemindDue(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	n, err := jobs.RemindDue(ctx, e.deps)
	if err != nil || n != 1 {
		t.Fatalf("RemindDue = %d, %v; want 1 (the learner who has not finished)", n, err)
	}
	if n, _ := jobs.RemindDue(ctx, e.deps); n != 0 {
		t.Fatalf("second pass sent %d reminders again", n)
	}
	notes, unread, _ := e.deps.Notifications.FindNotifications(ctx, e.slow.ID, 10)
	if unread != 1 || notes[0].Kind != safedesk.NotifyDueSoon {
		t.Fatalf("slow learner's notifications: %+v", notes)
	}
	if _, unread, _ := e.deps.Notifications.FindNotifications(ctx, e.read.ID, 10); unread != 0 {
		t.Fatal("a learner who finished was reminded")
	}
}

// TestQueueRunsReminders starts the real River client on SQLite and waits for the periodic
// job to deliver the reminder.
func TestQueueRunsReminders(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	driver := riversqlite.New(e.db.SQL())
	if err := jobs.Migrate(ctx, driver); err != nil {
		t.Fatal(err)
	}
	client, err := jobs.Start(ctx, driver, e.deps)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if _, unread, _ := e.deps.Notifications.FindNotifications(ctx, e.slow.ID, 1); unread == 1 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the queue did not deliver the reminder within 15 s")
}
