package sqlstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"safedesk"
	"safedesk/sqlstore"
)

// auditActions returns the actions of the newest n audit entries, newest first.
func auditActions(t *testing.T, db *sqlstore.DB, n int) []string {
	t.Helper()
	entries, _, err := sqlstore.NewAuditService(db).FindAudit(context.Background(), safedesk.AuditFilter{Limit: n})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

func TestExamCreateUpdate(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es := sqlstore.NewExamService(db)
		e := testExam()
		e.ID, e.SpecID = "own-1", ""
		if err := es.CreateExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := es.CreateExam(ctx, e); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("second create: %v, want conflict", err)
		}
		upd := *e
		upd.PassMark, upd.CourseID = 60, "other-course"
		upd.Blueprint = []safedesk.BlueprintRule{{ChapterID: "ch02", Count: 3, Difficulty: []string{"hard"}}}
		if err := es.UpdateExam(ctx, &upd); err != nil {
			t.Fatal(err)
		}
		got, err := es.FindExamByID(ctx, e.ID)
		if err != nil || got.PassMark != 60 || got.CourseID != "demo" || got.Blueprint[0].ChapterID != "ch02" || got.FromPack() {
			t.Fatalf("after update = %+v, %v (the course must stay)", got, err)
		}
		entries, _, _ := sqlstore.NewAuditService(db).FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditExamUpdated})
		if len(entries) != 1 || !strings.Contains(entries[0].Detail, `"pass_mark":{"from":80,"to":60}`) ||
			strings.Contains(entries[0].Detail, "time_limit") {
			for _, en := range entries {
				t.Log(en.Detail)
			}
			t.Fatalf("%d update audit entries, want 1 with the pass mark and not the time limit", len(entries))
		}
		// An unchanged save changes nothing and records nothing.
		if err := es.UpdateExam(ctx, got); err != nil {
			t.Fatal(err)
		}
		if entries, _, _ := sqlstore.NewAuditService(db).FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditExamUpdated}); len(entries) != 1 {
			t.Fatalf("an unchanged save was audited: %d entries", len(entries))
		}

		pack := testExam() // spec_id "cert": the pack's
		if err := es.UpsertExam(ctx, pack); err != nil {
			t.Fatal(err)
		}
		pack.PassMark = 10
		if err := es.UpdateExam(ctx, pack); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("editing a pack's exam: %v, want conflict", err)
		}
		missing := *e
		missing.ID = "nope"
		if err := es.UpdateExam(ctx, &missing); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("update of a missing exam: %v", err)
		}
	})
}

func TestExamAccommodations(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es := sqlstore.NewExamService(db)
		e := testExam()
		if err := es.UpsertExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		u := mustCreateUser(t, db, "slow@demo.example", safedesk.RoleTrainee, "")
		if m, err := es.FindAccommodation(ctx, e.ID, u.ID); err != nil || m != 1 {
			t.Fatalf("no accommodation = %v, %v; want 1", m, err)
		}
		set := func(m float64) error {
			return es.SetAccommodation(ctx, &safedesk.Accommodation{ExamID: e.ID, UserID: u.ID, Multiplier: m, Note: "dyslexia", SetBy: "trainer@x"})
		}
		if err := set(1.5); err != nil {
			t.Fatal(err)
		}
		if err := set(1.25); err != nil {
			t.Fatal(err)
		}
		if m, err := es.FindAccommodation(ctx, e.ID, u.ID); err != nil || m != 1.25 {
			t.Fatalf("accommodation = %v, %v; want 1.25", m, err)
		}
		list, err := es.FindAccommodations(ctx, e.ID)
		if err != nil || len(list) != 1 || list[0].Multiplier != 1.25 || list[0].Note != "dyslexia" || !list[0].UpdatedAt.Equal(clock.t) {
			t.Fatalf("FindAccommodations = %+v, %v", list, err)
		}
		if err := set(0.5); safedesk.ErrorCode(err) != safedesk.EINVALID {
			t.Fatalf("multiplier 0.5: %v", err)
		}
		if err := es.SetAccommodation(ctx, &safedesk.Accommodation{ExamID: e.ID, UserID: "nobody", Multiplier: 2}); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("unknown person: %v", err)
		}
		if err := es.SetAccommodation(ctx, &safedesk.Accommodation{ExamID: "nope", UserID: u.ID, Multiplier: 2}); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("unknown exam: %v", err)
		}
		if err := set(1); err != nil {
			t.Fatal(err)
		}
		if list, _ := es.FindAccommodations(ctx, e.ID); len(list) != 0 {
			t.Fatalf("a multiplier of 1 left %+v", list)
		}
		entries, _, _ := sqlstore.NewAuditService(db).FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditAccommodationSet})
		if len(entries) != 3 || !strings.Contains(entries[0].Detail, `"previous":1.25`) {
			for _, en := range entries {
				t.Log(en.Detail)
			}
			t.Fatalf("%d accommodation audit entries, want 3, the newest from 1.25", len(entries))
		}
	})
}

// TestExamReviewAndFirstAttempts covers the review queue (a pending answer accepted flips
// the attempt to a pass and issues its certificate once, in the same transaction) and the
// selection of first attempts for statistics.
func TestExamReviewAndFirstAttempts(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es := sqlstore.NewExamService(db)
		e := testExam()
		e.Cooldown = 0
		if err := es.UpsertExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		u := mustCreateUser(t, db, "pending@demo.example", safedesk.RoleTrainee, "")
		v := mustCreateUser(t, db, "second@demo.example", safedesk.RoleTrainee, "")
		sit := func(who *safedesk.User, g *safedesk.Grading) *safedesk.Attempt {
			t.Helper()
			a, err := es.StartAttempt(ctx, &safedesk.Attempt{ExamID: e.ID, UserID: who.ID, VersionID: "v1", Paper: paper, Lang: "en",
				Deadline: clock.t.Add(e.TimeLimit)}, e)
			if err != nil {
				t.Fatal(err)
			}
			if err := es.SaveAnswer(ctx, a.ID, who.ID, "q1", json.RawMessage(`"b"`)); err != nil {
				t.Fatal(err)
			}
			done, _, err := es.SubmitAttempt(ctx, a.ID, false, func(*safedesk.Attempt, map[string]json.RawMessage) (*safedesk.Grading, error) { return g, nil })
			if err != nil {
				t.Fatal(err)
			}
			clock.t = clock.t.Add(time.Minute)
			return done
		}
		pending := sit(u, &safedesk.Grading{Score: 50, Pending: 1, Results: json.RawMessage(`[{"question_id":"q1","needs_review":true}]`)})
		second := sit(u, &safedesk.Grading{Score: 100, Passed: true, Results: json.RawMessage(`[]`)})
		other := sit(v, &safedesk.Grading{Score: 0, Results: json.RawMessage(`[]`)})

		first, err := es.FindFirstAttempts(ctx, e.ID)
		if err != nil || len(first) != 2 || first[0].ID != pending.ID || first[1].ID != other.ID {
			t.Fatalf("first attempts = %+v, %v; want %s and %s, not the second attempt %s", first, err, pending.ID, other.ID, second.ID)
		}
		answers, err := es.FindFirstAttemptAnswers(ctx, e.ID)
		if err != nil || len(answers) != 2 || string(answers[pending.ID]["q1"]) != `"b"` || answers[second.ID] != nil {
			t.Fatalf("first attempt answers = %v, %v", answers, err)
		}
		counts, err := es.CountAttempts(ctx)
		if c := counts[e.ID]; err != nil || c != (safedesk.ExamCounts{Attempts: 3, Submitted: 3, Passed: 1, Pending: 1, People: 2}) {
			t.Fatalf("counts = %+v, %v", counts, err)
		}

		queue, err := es.FindPendingReviews(ctx, "", 10)
		if err != nil || len(queue) != 1 || queue[0].ID != pending.ID {
			t.Fatalf("pending reviews = %+v, %v", queue, err)
		}
		if q, _ := es.FindPendingReviews(ctx, "other-exam", 10); len(q) != 0 {
			t.Fatalf("the queue of another exam lists %d", len(q))
		}

		cert := &safedesk.Certificate{Code: "REVI-EWED-PASS", UserID: u.ID, Holder: "P", CourseID: "demo", CourseTitle: safedesk.Text{"en": "Demo"},
			CourseVersion: "1", ExamID: e.ID, AttemptID: pending.ID, IssuedAt: clock.t, ExpiresAt: clock.t.AddDate(1, 0, 0), KeyID: "k", Payload: "{}", Signature: "s"}
		regrades := 0
		accept := func(a *safedesk.Attempt, has bool) (*safedesk.Grading, error) {
			regrades++
			if strings.Contains(string(a.Results), `"needs_review":true`) {
				g := &safedesk.Grading{Score: 100, Passed: true, Results: json.RawMessage(`[{"question_id":"q1","score":1,"correct":true}]`)}
				if !has {
					g.Certificate = cert
				}
				return g, nil
			}
			return nil, safedesk.Errorf(safedesk.ECONFLICT, "already reviewed")
		}
		review := safedesk.AnswerReview{AttemptID: pending.ID, QuestionID: "q1", Score: 1}
		a, c, err := es.ReviewAnswer(ctx, review, accept)
		if err != nil || !a.Passed || a.Score != 100 || a.Pending != 0 || c == nil || c.Code != cert.Code {
			t.Fatalf("ReviewAnswer = %+v, %+v, %v", a, c, err)
		}
		if acts := auditActions(t, db, 2); acts[0] != safedesk.AuditCertIssued || acts[1] != safedesk.AuditAnswerReviewed {
			t.Fatalf("audit = %v", acts)
		}
		if _, _, err := es.ReviewAnswer(ctx, review, accept); safedesk.ErrorCode(err) != safedesk.ECONFLICT || regrades != 2 {
			t.Fatalf("second review: %v (regrades %d)", err, regrades)
		}
		certs, _ := sqlstore.NewCertificateService(db).FindUserCertificates(ctx, u.ID)
		if len(certs) != 1 {
			t.Fatalf("%d certificates, want 1", len(certs))
		}
		if q, _ := es.FindPendingReviews(ctx, "", 10); len(q) != 0 {
			t.Fatalf("the queue still lists %d", len(q))
		}
		stored, _ := es.FindAttempt(ctx, pending.ID)
		if !stored.Passed || stored.Pending != 0 || !strings.Contains(string(stored.Results), `"correct":true`) {
			t.Fatalf("stored after review = %+v", stored)
		}

		// A regrade that fails leaves the attempt as it was.
		boom := func(*safedesk.Attempt, bool) (*safedesk.Grading, error) {
			return nil, safedesk.Errorf(safedesk.EINVALID, "no")
		}
		if _, _, err := es.ReviewAnswer(ctx, safedesk.AnswerReview{AttemptID: other.ID, QuestionID: "q1"}, boom); safedesk.ErrorCode(err) != safedesk.EINVALID {
			t.Fatalf("failing regrade: %v", err)
		}
		if _, _, err := es.ReviewAnswer(ctx, safedesk.AnswerReview{AttemptID: "nope"}, accept); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("missing attempt: %v", err)
		}
		running, err := es.StartAttempt(ctx, &safedesk.Attempt{ExamID: e.ID, UserID: v.ID, VersionID: "v1", Paper: paper, Lang: "en",
			Deadline: clock.t.Add(e.TimeLimit)}, e)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := es.ReviewAnswer(ctx, safedesk.AnswerReview{AttemptID: running.ID}, accept); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("review of a running attempt: %v", err)
		}
	})
}
