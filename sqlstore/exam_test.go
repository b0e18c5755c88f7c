package sqlstore_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"safedesk"
	"safedesk/sqlstore"
)

func testExam() *safedesk.Exam {
	return &safedesk.Exam{ID: "demo-cert", CourseID: "demo", SpecID: "cert", Kind: safedesk.ExamCertification,
		Title: safedesk.Text{"zh-CN": "考试", "en": "Exam"}, Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch01", Count: 2}},
		PassMark: 80, TimeLimit: 40 * time.Minute, Attempts: 2, Cooldown: time.Hour, ShuffleOptions: true,
		Review: "answers", MultipleChoice: "all_or_nothing", ValidityMonths: 12}
}

var paper = json.RawMessage(`{"items":[{"question_id":"q1","rule":0},{"question_id":"q2","rule":0}]}`)

func TestExamAttempts(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es := sqlstore.NewExamService(db)
		cs := sqlstore.NewCertificateService(db)
		e := testExam()
		if err := es.UpsertExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		e.PassMark = 70
		if err := es.UpsertExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := es.FindExamByID(ctx, e.ID)
		if err != nil || got.PassMark != 70 || got.TimeLimit != 40*time.Minute || got.Title["en"] != "Exam" || got.Blueprint[0].Count != 2 {
			t.Fatalf("FindExamByID = %+v, %v", got, err)
		}
		u := mustCreateUser(t, db, "taker@demo.example", safedesk.RoleTrainee, "")
		other := mustCreateUser(t, db, "other@demo.example", safedesk.RoleTrainee, "")

		start := func() (*safedesk.Attempt, error) {
			return es.StartAttempt(ctx, &safedesk.Attempt{ExamID: e.ID, UserID: u.ID, VersionID: "v1", Paper: paper, Lang: "zh-CN",
				Deadline: clock.t.Add(e.TimeLimit)}, e)
		}
		a, err := start()
		if err != nil || a.Number != 1 {
			t.Fatalf("StartAttempt = %+v, %v", a, err)
		}
		again, err := start()
		if safedesk.ErrorCode(err) != safedesk.ECONFLICT || again == nil || again.ID != a.ID {
			t.Fatalf("second start while one runs = %+v, %v; want the running attempt and conflict", again, err)
		}
		// Concurrent saves of the same answer are harmless; the last one wins.
		var wg sync.WaitGroup
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := es.SaveAnswer(ctx, a.ID, u.ID, "q1", json.RawMessage(`"b"`)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if err := es.SaveAnswer(ctx, a.ID, u.ID, "q2", json.RawMessage(`["a","c"]`)); err != nil {
			t.Fatal(err)
		}
		if err := es.SaveAnswer(ctx, a.ID, other.ID, "q1", json.RawMessage(`"a"`)); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("another user's save: %v, want not found", err)
		}
		answers, err := es.FindAnswers(ctx, a.ID)
		if err != nil || string(answers["q1"]) != `"b"` || len(answers) != 2 {
			t.Fatalf("FindAnswers = %v, %v", answers, err)
		}
		usage, _ := es.QuestionUsage(ctx, e.ID)
		if usage["q1"] != 1 {
			t.Fatalf("usage = %v", usage)
		}

		grades := 0
		grade := func(at *safedesk.Attempt, ans map[string]json.RawMessage) (*safedesk.Grading, error) {
			grades++
			return &safedesk.Grading{Score: 100, Passed: true, Results: json.RawMessage(`[]`), Certificate: &safedesk.Certificate{
				Code: "ABCD-EFGH-JKMN", UserID: at.UserID, Holder: "Taker", CourseID: "demo", CourseTitle: safedesk.Text{"en": "Demo"},
				CourseVersion: "1.0.0", ExamID: at.ExamID, AttemptID: at.ID, IssuedAt: clock.t, ExpiresAt: clock.t.AddDate(1, 0, 0),
				KeyID: "k1", Payload: "{}", Signature: "sig"}}, nil
		}
		if _, _, err := es.SubmitAttempt(ctx, a.ID, true, grade); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("auto-submit before the deadline: %v", err)
		}
		done, cert, err := es.SubmitAttempt(ctx, a.ID, false, grade)
		if err != nil || !done.Passed || done.Score != 100 || cert == nil || cert.Code != "ABCD-EFGH-JKMN" {
			t.Fatalf("SubmitAttempt = %+v, %+v, %v", done, cert, err)
		}
		done2, cert2, err := es.SubmitAttempt(ctx, a.ID, false, grade)
		if err != nil || grades != 2 || !done2.SubmittedAt.Equal(done.SubmittedAt) || cert2 == nil || cert2.Code != cert.Code {
			t.Fatalf("second submit regraded (%d) or differs: %+v %+v %v", grades, done2, cert2, err)
		}
		if err := es.SaveAnswer(ctx, a.ID, u.ID, "q1", json.RawMessage(`"a"`)); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("save after submit: %v", err)
		}
		// Cooldown, then the last attempt, then none left.
		if _, err := start(); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("start during cooldown: %v", err)
		}
		clock.t = clock.t.Add(2 * time.Hour)
		b, err := start()
		if err != nil || b.Number != 2 {
			t.Fatalf("second attempt = %+v, %v", b, err)
		}
		// Past the deadline a save is refused and the attempt is overdue.
		clock.t = clock.t.Add(41 * time.Minute)
		if err := es.SaveAnswer(ctx, b.ID, u.ID, "q1", json.RawMessage(`"a"`)); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("save after deadline: %v", err)
		}
		over, err := es.FindOverdueAttempts(ctx, clock.t)
		if err != nil || len(over) != 1 || over[0].ID != b.ID {
			t.Fatalf("overdue = %+v, %v", over, err)
		}
		if _, _, err := es.SubmitAttempt(ctx, b.ID, true, func(*safedesk.Attempt, map[string]json.RawMessage) (*safedesk.Grading, error) {
			return &safedesk.Grading{Score: 10, Results: json.RawMessage(`[]`)}, nil
		}); err != nil {
			t.Fatal(err)
		}
		// The first attempt passed, so the limit of two counts from there: one more try
		// (as someone recertifying gets), then none.
		clock.t = clock.t.Add(2 * time.Hour)
		third, err := start()
		if err != nil || third.Number != 3 {
			t.Fatalf("second try since the pass = %+v, %v", third, err)
		}
		if _, _, err := es.SubmitAttempt(ctx, third.ID, false, func(*safedesk.Attempt, map[string]json.RawMessage) (*safedesk.Grading, error) {
			return &safedesk.Grading{Score: 20, Results: json.RawMessage(`[]`)}, nil
		}); err != nil {
			t.Fatal(err)
		}
		clock.t = clock.t.Add(2 * time.Hour)
		if _, err := start(); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("third try since the pass, of two: %v", err)
		}
		subs, _ := es.FindSubmittedAttempts(ctx, e.ID)
		if len(subs) != 3 || !subs[1].AutoSubmit {
			t.Fatalf("submitted = %+v", subs)
		}

		// Certificates: found, listed, revoked once.
		c, err := cs.FindCertificate(ctx, "ABCD-EFGH-JKMN")
		if err != nil || c.StatusAt(clock.t) != safedesk.CertValid || c.CourseTitle["en"] != "Demo" {
			t.Fatalf("FindCertificate = %+v, %v", c, err)
		}
		if c.StatusAt(c.ExpiresAt) != safedesk.CertExpired || c.StatusAt(c.ExpiresAt.Add(-time.Millisecond)) != safedesk.CertValid {
			t.Fatal("expiry boundary wrong")
		}
		if _, err := cs.RevokeCertificate(ctx, c.Code, "cheating"); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.RevokeCertificate(ctx, c.Code, "again"); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("second revoke: %v", err)
		}
		c, _ = cs.FindCertificate(ctx, c.Code)
		if c.StatusAt(clock.t) != safedesk.CertRevoked || c.RevokeReason != "cheating" {
			t.Fatalf("after revoke: %+v", c)
		}
	})
}
