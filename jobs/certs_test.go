package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"

	"safedesk"
	"safedesk/content"
	"safedesk/jobs"
	"safedesk/sqlstore"
)

// clock is a settable clock shared by the store and the jobs.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// certEnv is a store with the default course installed and a certification exam anyone
// may sit any number of times, so tests can issue certificates with any dates.
type certEnv struct {
	t       *testing.T
	db      *sqlstore.DB
	clock   *clock
	deps    jobs.Deps
	catalog *content.Catalog
	exams   *sqlstore.ExamService
	exam    *safedesk.Exam
	users   *sqlstore.UserService
	notes   *sqlstore.NotificationService
}

func newCertEnv(t *testing.T) *certEnv {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	db.Clock = clk
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cs := sqlstore.NewCourseService(db)
	cat := content.NewCatalog(cs)
	files, _ := content.ReadFiles(content.Default())
	if _, _, err := cat.Install(ctx, files, "test"); err != nil {
		t.Fatal(err)
	}
	e := &certEnv{t: t, db: db, clock: clk, catalog: cat, exams: sqlstore.NewExamService(db), users: sqlstore.NewUserService(db),
		notes: sqlstore.NewNotificationService(db)}
	e.exam = &safedesk.Exam{ID: "default-certification", CourseID: "default", SpecID: "certification", Kind: safedesk.ExamCertification,
		Title: safedesk.Text{"en": "Certification"}, Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch01", Count: 1}}, PassMark: 80,
		TimeLimit: time.Hour, Review: "answers", MultipleChoice: "all_or_nothing", ValidityMonths: 12}
	if err := e.exams.UpsertExam(ctx, e.exam); err != nil {
		t.Fatal(err)
	}
	e.deps = jobs.Deps{Courses: cs, Notifications: e.notes, Catalog: cat, Sessions: sqlstore.NewAuthService(db),
		Certificates: sqlstore.NewCertificateService(db), Clock: clk, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return e
}

func (e *certEnv) user(email string) *safedesk.User {
	e.t.Helper()
	u := &safedesk.User{Email: email, Name: email, Role: safedesk.RoleTrainee, Active: true}
	if err := e.users.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// issue passes the exam for u now, on the course version given, with a certificate that
// expires at expires.
func (e *certEnv) issue(u *safedesk.User, version string, expires time.Time) *safedesk.Certificate {
	e.t.Helper()
	ctx := context.Background()
	now := e.clock.Now()
	a, err := e.exams.StartAttempt(ctx, &safedesk.Attempt{ExamID: e.exam.ID, UserID: u.ID, VersionID: "v", Lang: "en",
		Paper: json.RawMessage(`{"items":[]}`), Deadline: now.Add(time.Hour)}, e.exam)
	if err != nil {
		e.t.Fatal(err)
	}
	_, c, err := e.exams.SubmitAttempt(ctx, a.ID, false, func(a *safedesk.Attempt, _ map[string]json.RawMessage) (*safedesk.Grading, error) {
		return &safedesk.Grading{Score: 100, Passed: true, Results: json.RawMessage(`[]`), Certificate: &safedesk.Certificate{
			Code: "C-" + a.ID[:12], UserID: u.ID, Holder: u.Name, CourseID: "default", CourseTitle: safedesk.Text{"en": "Default"},
			CourseVersion: version, ExamID: e.exam.ID, AttemptID: a.ID, IssuedAt: now, ExpiresAt: expires, KeyID: "k", Payload: "{}", Signature: "s"}}, nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// notes returns u's certificate notifications of a kind, oldest first.
func (e *certEnv) certNotes(u *safedesk.User, kind string) []safedesk.CertNoteParams {
	e.t.Helper()
	list, _, err := e.notes.FindNotifications(context.Background(), u.ID, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []safedesk.CertNoteParams
	for _, n := range slices.Backward(list) {
		if n.Kind != kind {
			continue
		}
		var p safedesk.CertNoteParams
		if err := json.Unmarshal([]byte(n.Params), &p); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func daysOf(ps []safedesk.CertNoteParams) []int {
	var out []int
	for _, p := range ps {
		out = append(out, p.Days)
	}
	return out
}

const day = 24 * time.Hour

// TestRemindExpiringOncePerThreshold walks the clock towards a certificate's expiry and
// runs the pass twice at every step: each threshold reminds once, and the course is
// assigned again once, when the last 30 days begin.
func TestRemindExpiringOncePerThreshold(t *testing.T) {
	e := newCertEnv(t)
	ctx := context.Background()
	start := e.clock.Now()
	holder := e.user("holder@demo.example")
	late := e.user("late@demo.example")
	early := e.user("early@demo.example")
	expires := start.Add(40 * day)
	c := e.issue(holder, "1.0.0", expires)
	e.issue(early, "1.0.0", expires)
	e.clock.set(start.Add(day))
	e.issue(early, "1.0.0", start.Add(day).AddDate(1, 0, 0)) // recertified early: never reminded

	steps := []struct {
		at                 time.Time
		reminded, assigned int
		then               func()
	}{
		{at: start},
		{at: expires.Add(-30*day - time.Millisecond)},
		{at: expires.Add(-30 * day), reminded: 1, assigned: 1}, // the 30-day boundary reminds and assigns
		{at: expires.Add(-20 * day), then: func() {
			// A certificate first seen with 6 days left at the next step (short-lived, or
			// the server was down) gets the 7-day reminder only.
			e.issue(late, "1.0.0", expires.Add(-8*day))
		}},
		{at: expires.Add(-14 * day), reminded: 2, assigned: 1},
		{at: expires.Add(-7 * day), reminded: 1},
		{at: expires.Add(-time.Millisecond)},
		{at: expires}, // expired: nothing
	}
	for i, st := range steps {
		e.clock.set(st.at)
		r, a, err := jobs.RemindExpiring(ctx, e.deps)
		if err != nil || r != st.reminded || a != st.assigned {
			t.Fatalf("step %d (%s): reminded %d, assigned %d, %v; want %d, %d", i, st.at, r, a, err, st.reminded, st.assigned)
		}
		if r, a, err := jobs.RemindExpiring(ctx, e.deps); err != nil || r != 0 || a != 0 {
			t.Fatalf("step %d again: reminded %d, assigned %d, %v; want nothing", i, r, a, err)
		}
		if st.then != nil {
			st.then()
		}
	}

	got := e.certNotes(holder, safedesk.NotifyCertExpiring)
	if !slices.Equal(daysOf(got), []int{30, 14, 7}) || got[0].Code != c.Code || !got[0].ExpiresAt.Equal(expires) || got[0].ExamID != e.exam.ID {
		t.Errorf("holder's reminders = %+v", got)
	}
	if got := daysOf(e.certNotes(late, safedesk.NotifyCertExpiring)); !slices.Equal(got, []int{7}) {
		t.Errorf("late holder's reminders = %v, want [7]", got)
	}
	if got := e.certNotes(early, safedesk.NotifyCertExpiring); len(got) != 0 {
		t.Errorf("a holder who recertified early was reminded: %+v", got)
	}
	due, _ := e.deps.Courses.FindUserAssignments(ctx, holder.ID)
	if len(due) != 1 || due[0].CourseID != "default" || !due[0].DueAt.Equal(expires) {
		t.Errorf("holder's assignments = %+v", due)
	}
	if due, _ := e.deps.Courses.FindUserAssignments(ctx, early.ID); len(due) != 0 {
		t.Errorf("early holder was assigned again: %+v", due)
	}
}

// withVersion returns the default pack's files with another version number.
func withVersion(t *testing.T, version string) map[string][]byte {
	t.Helper()
	files, err := content.ReadFiles(content.Default())
	if err != nil {
		t.Fatal(err)
	}
	files = maps.Clone(files)
	files["pack.yaml"] = bytes.Replace(files["pack.yaml"], []byte("version: 1.0.0"), []byte("version: "+version), 1)
	return files
}

// TestRecertifyOnMajorUpgrade installs new versions through the catalog with the hook
// wired as cmd/safedesk wires it: a major upgrade marks the current certificates of older
// versions at once, a minor one does not, and the periodic pass catches a certificate
// issued on the old version after the upgrade.
func TestRecertifyOnMajorUpgrade(t *testing.T) {
	e := newCertEnv(t)
	ctx := context.Background()
	var hooked []string
	e.catalog.OnMajorUpgrade = func(ctx context.Context, courseID, oldVersion, newVersion string) {
		hooked = append(hooked, courseID+" "+oldVersion+"→"+newVersion)
		if _, err := jobs.RecertifyCourse(ctx, e.deps, courseID); err != nil {
			t.Error(err)
		}
	}
	start := e.clock.Now()
	a, b, c := e.user("a@demo.example"), e.user("b@demo.example"), e.user("c@demo.example")
	certA := e.issue(a, "1.0.0", start.AddDate(1, 0, 0))
	certB := e.issue(b, "1.0.0", start.AddDate(1, 0, 0))

	e.clock.set(start.Add(10 * day))
	installed := e.clock.Now()
	if _, _, err := e.catalog.Install(ctx, withVersion(t, "2.0.0"), "test"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(hooked, []string{"default 1.0.0→2.0.0"}) {
		t.Fatalf("hook calls = %v", hooked)
	}
	by := installed.Add(safedesk.RecertifyWithin)
	for _, code := range []string{certA.Code, certB.Code} {
		got, err := e.deps.Certificates.FindCertificate(ctx, code)
		if err != nil || !got.RecertifyBy.Equal(by) {
			t.Fatalf("%s: recertify by %v, %v; want %v", code, got.RecertifyBy, err, by)
		}
		if v, ok := safedesk.ParseMajorVersionReason(got.RecertifyReason); !ok || v != "2.0.0" {
			t.Errorf("reason = %q", got.RecertifyReason)
		}
	}
	if got := e.certNotes(a, safedesk.NotifyCertRecertify); len(got) != 1 || got[0].Code != certA.Code || !got[0].By.Equal(by) {
		t.Errorf("a's notifications = %+v", got)
	}

	// A minor version later: no hook; a certificate on 2.x is not marked, but one issued on
	// 1.0.0 after the upgrade (its attempt started before) is, by the periodic pass, with the
	// date of the first 2.x install.
	e.clock.set(start.Add(20 * day))
	if _, _, err := e.catalog.Install(ctx, withVersion(t, "2.1.0"), "test"); err != nil {
		t.Fatal(err)
	}
	if len(hooked) != 1 {
		t.Fatalf("a minor upgrade called the hook: %v", hooked)
	}
	onNew := e.issue(c, "2.0.0", start.AddDate(1, 0, 0))
	lateOld := e.issue(b, "1.0.0", start.AddDate(1, 0, 0)) // supersedes certB
	n, err := jobs.RecertifyUpgraded(ctx, e.deps)
	if err != nil || n != 1 {
		t.Fatalf("RecertifyUpgraded = %d, %v; want the late 1.0.0 certificate", n, err)
	}
	if got, _ := e.deps.Certificates.FindCertificate(ctx, lateOld.Code); !got.RecertifyBy.Equal(by) {
		t.Errorf("late certificate: recertify by %v, want %v", got.RecertifyBy, by)
	}
	if got, _ := e.deps.Certificates.FindCertificate(ctx, onNew.Code); !got.RecertifyBy.IsZero() {
		t.Errorf("a 2.0.0 certificate was marked: %v", got.RecertifyBy)
	}
	if n, err := jobs.RecertifyUpgraded(ctx, e.deps); err != nil || n != 0 {
		t.Fatalf("second pass = %d, %v", n, err)
	}
	if got := e.certNotes(b, safedesk.NotifyCertRecertify); len(got) != 2 {
		t.Errorf("b's notifications = %+v, want one per certificate", got)
	}
}

// TestQueueRunsCertPass starts the real River client with the certificate pass and waits
// for its reminder.
func TestQueueRunsCertPass(t *testing.T) {
	e := newCertEnv(t)
	ctx := context.Background()
	u := e.user("soon@demo.example")
	e.issue(u, "1.0.0", e.clock.Now().Add(5*day))
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
		if got := e.certNotes(u, safedesk.NotifyCertExpiring); len(got) == 1 && got[0].Days == 7 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the queue did not send the certificate reminder within 15 s")
}
