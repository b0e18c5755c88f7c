package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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

// storedExam stores testExam, changed by edit when given, and returns it with its service.
func storedExam(t *testing.T, db *sqlstore.DB, edit func(*safedesk.Exam)) (*sqlstore.ExamService, *safedesk.Exam) {
	t.Helper()
	es := sqlstore.NewExamService(db)
	e := testExam()
	if edit != nil {
		edit(e)
	}
	if err := es.UpsertExam(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return es, e
}

// started starts an attempt at e on the test paper for userID, due at deadline.
func started(t *testing.T, es *sqlstore.ExamService, e *safedesk.Exam, userID string, deadline time.Time) *safedesk.Attempt {
	t.Helper()
	a, err := es.StartAttempt(context.Background(), &safedesk.Attempt{ExamID: e.ID, UserID: userID, VersionID: "v1", Paper: paper, Deadline: deadline}, e)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// unlimited lets a test exam be sat any number of times.
func unlimited(e *safedesk.Exam) { e.Attempts = 0 }

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

// TestExamStartSurge: starts arriving together share transactions yet each gets its own
// outcome, its own audit entry under its own name, and one attempt per person however
// many tabs race to start it.
func TestExamStartSurge(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es := sqlstore.NewExamService(db)
		e := testExam()
		if err := es.UpsertExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		const people, tabs = 40, 3
		var users []*safedesk.User
		for i := range people {
			users = append(users, mustCreateUser(t, db, fmt.Sprintf("surge%02d@demo.example", i), safedesk.RoleTrainee, ""))
		}
		type outcome struct {
			id  string
			err error
		}
		got := make([][tabs]outcome, people)
		var wg sync.WaitGroup
		for i, u := range users {
			for tab := range tabs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					uctx := safedesk.WithActor(ctx, safedesk.Actor{UserID: u.ID, Email: u.Email, Role: u.Role})
					a, err := es.StartAttempt(uctx, &safedesk.Attempt{ExamID: e.ID, UserID: u.ID, VersionID: "v1", Paper: paper,
						Lang: "en", Deadline: clock.t.Add(e.TimeLimit)}, e)
					o := outcome{err: err}
					if a != nil {
						o.id = a.ID
					}
					got[i][tab] = o
				}()
			}
		}
		wg.Wait()
		for i, u := range users {
			atts, err := es.FindUserAttempts(ctx, e.ID, u.ID)
			if err != nil || len(atts) != 1 {
				t.Fatalf("%s has %d attempts (%v), want 1", u.Email, len(atts), err)
			}
			started := 0
			for _, o := range got[i] {
				if o.id != atts[0].ID {
					t.Errorf("%s: a tab got attempt %q, want %q", u.Email, o.id, atts[0].ID)
				}
				switch {
				case o.err == nil:
					started++
				case safedesk.ErrorCode(o.err) != safedesk.ECONFLICT:
					t.Errorf("%s: %v, want the attempt in progress", u.Email, o.err)
				}
			}
			if started != 1 {
				t.Errorf("%s: %d tabs started an attempt, want 1", u.Email, started)
			}
		}
		usage, err := es.QuestionUsage(ctx, e.ID)
		if err != nil || usage["q1"] != people || usage["q2"] != people {
			t.Fatalf("usage = %v, %v; want %d each", usage, err, people)
		}
		audit := sqlstore.NewAuditService(db)
		entries, _, err := audit.FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditAttemptStarted, Limit: 500})
		if err != nil || len(entries) != people {
			t.Fatalf("%d start entries (%v), want %d", len(entries), err, people)
		}
		owner := map[string]string{} // attempt → email
		for i, u := range users {
			owner[got[i][0].id] = u.Email
		}
		for _, en := range entries {
			if owner[en.Target] != en.Actor {
				t.Errorf("start of %s recorded as by %q, want %q", en.Target, en.Actor, owner[en.Target])
			}
		}
		if seq, reason, _, err := audit.VerifyAudit(ctx); err != nil || seq != 0 {
			t.Fatalf("audit chain broken at %d: %s %v", seq, reason, err)
		}
	})
}

// TestExamHotReads: exams and question usage read on exam day are served from memory for a
// second, but what a caller does to its copy stays its own, a change made on this node is
// seen at once, and one made on another node within the second.
func TestExamHotReads(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		node1, node2 := sqlstore.NewExamService(db), sqlstore.NewExamService(db)
		e := testExam()
		if err := node1.UpsertExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := node1.FindExamByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Title["en"], got.Blueprint[0].Count = "Scribbled", 99
		if again, _ := node1.FindExamByID(ctx, e.ID); again.Title["en"] != "Exam" || again.Blueprint[0].Count != 2 {
			t.Fatalf("a caller's change reached the cache: %+v", again)
		}
		node2.FindExamByID(ctx, e.ID) // now cached on node 2 too
		e.PassMark = 95
		if err := node1.UpsertExam(ctx, e); err != nil {
			t.Fatal(err)
		}
		if got, _ := node1.FindExamByID(ctx, e.ID); got.PassMark != 95 {
			t.Fatalf("pass mark on the node that changed it: %d", got.PassMark)
		}

		u := mustCreateUser(t, db, "hot@demo.example", safedesk.RoleTrainee, "")
		v := mustCreateUser(t, db, "hot2@demo.example", safedesk.RoleTrainee, "")
		if uses, _ := node2.QuestionUsage(ctx, e.ID); len(uses) != 0 {
			t.Fatalf("usage before any start: %v", uses)
		}
		for _, n := range []*sqlstore.ExamService{node1, node2} {
			n.QuestionUsage(ctx, e.ID) // cached before the start
		}
		if _, err := node1.StartAttempt(ctx, &safedesk.Attempt{ExamID: e.ID, UserID: u.ID, VersionID: "v1", Paper: paper,
			Deadline: clock.t.Add(time.Hour)}, e); err != nil {
			t.Fatal(err)
		}
		if uses, _ := node1.QuestionUsage(ctx, e.ID); uses["q1"] != 1 || uses["q2"] != 1 {
			t.Fatalf("usage on the node that started: %v", uses)
		}
		if _, err := node2.StartAttempt(ctx, &safedesk.Attempt{ExamID: e.ID, UserID: v.ID, VersionID: "v1", Paper: paper,
			Deadline: clock.t.Add(time.Hour)}, e); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1100 * time.Millisecond)
		if uses, _ := node1.QuestionUsage(ctx, e.ID); uses["q1"] != 2 {
			t.Fatalf("usage a second after another node's start: %v", uses)
		}
		if got, _ := node2.FindExamByID(ctx, e.ID); got.PassMark != 95 {
			t.Fatalf("pass mark a second after another node changed it: %d", got.PassMark)
		}
	})
}

// TestSaveTogether: a group of saves written in one statement keeps every rule of a single
// save: only the owner's open attempt takes answers, a repeated answer ends with its last
// value, and each save learns whether it was written.
func TestSaveTogether(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es, e := storedExam(t, db, unlimited)
		u := mustCreateUser(t, db, "one@demo.example", safedesk.RoleTrainee, "")
		v := mustCreateUser(t, db, "two@demo.example", safedesk.RoleTrainee, "")
		au := started(t, es, e, u.ID, clock.t.Add(time.Hour))
		av := started(t, es, e, v.ID, clock.t.Add(time.Minute))
		now := clock.t.Add(30 * time.Second).UnixMilli()
		rows, err := sqlstore.SaveTogetherForTest(ctx, es, now, [][4]string{
			{au.ID, u.ID, "q1", `"a"`},
			{au.ID, u.ID, "q2", `["b"]`},
			{au.ID, u.ID, "q1", `"c"`}, // the same answer again: the last value stays
			{av.ID, u.ID, "q1", `"x"`}, // someone else's attempt
			{av.ID, v.ID, "q2", `"y"`},
			{"no-such-attempt", u.ID, "q1", `"z"`},
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{1, 1, 1, 0, 1, 0}; !slices.Equal(rows, want) {
			t.Errorf("rows = %v, want %v", rows, want)
		}
		got, _ := es.FindAnswers(ctx, au.ID)
		if string(got["q1"]) != `"c"` || string(got["q2"]) != `["b"]` || len(got) != 2 {
			t.Errorf("answers of the owner = %v", got)
		}
		if got, _ := es.FindAnswers(ctx, av.ID); len(got) != 1 || string(got["q2"]) != `"y"` {
			t.Errorf("answers of the other attempt = %v", got)
		}
		// Past v's deadline nothing of v's is written, and u's update goes through.
		late := clock.t.Add(2 * time.Minute).UnixMilli()
		rows, err = sqlstore.SaveTogetherForTest(ctx, es, late, [][4]string{{av.ID, v.ID, "q1", `"late"`}, {au.ID, u.ID, "q2", `"d"`}})
		if err != nil || !slices.Equal(rows, []int64{0, 1}) {
			t.Errorf("after v's deadline: %v, %v", rows, err)
		}
		// One answer saved by its owner and by someone else in one group: the statement
		// cannot tell which was written, so it refuses, and the group goes save by save.
		if _, err := sqlstore.SaveTogetherForTest(ctx, es, now, [][4]string{{au.ID, v.ID, "q1", `"theirs"`}, {au.ID, u.ID, "q1", `"mine"`}}); err == nil {
			t.Error("a group with one answer saved by two people was taken")
		}
	})
}

// TestSaveSurgeWithStrangers: saves that arrive together, some by people who do not own
// the attempt, are each answered for themselves: an owner's save is stored even when a
// stranger's save of the same answer shares its group, and a stranger's is refused.
func TestSaveSurgeWithStrangers(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es, e := storedExam(t, db, unlimited)
		var attempts []*safedesk.Attempt
		for i := range 4 {
			u := mustCreateUser(t, db, fmt.Sprintf("p%d@demo.example", i), safedesk.RoleTrainee, "")
			attempts = append(attempts, started(t, es, e, u.ID, clock.t.Add(time.Hour)))
		}
		var wg sync.WaitGroup
		errs := make(chan string, 200)
		for i := range 100 {
			wg.Go(func() {
				a := attempts[i%len(attempts)]
				stranger := i%10 == 9
				saver := a.UserID
				if stranger {
					saver = attempts[(i+1)%len(attempts)].UserID
				}
				err := es.SaveAnswer(ctx, a.ID, saver, fmt.Sprint("q", i%2+1), json.RawMessage(fmt.Sprintf(`"r%d"`, i)))
				if stranger && err == nil {
					errs <- fmt.Sprintf("save %d by someone else was taken", i)
				} else if !stranger && err != nil {
					errs <- fmt.Sprintf("save %d by the owner: %v", i, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		for _, a := range attempts {
			got, _ := es.FindAnswers(ctx, a.ID)
			for q, v := range got {
				var i int
				if _, err := fmt.Sscanf(string(v), `"r%d"`, &i); err != nil || i%10 == 9 {
					t.Errorf("attempt %s holds %s = %s", a.ID, q, v)
				}
			}
		}
	})
}

// TestStartTogether: starts decided together in one statement keep the rules of a start
// alone, including two starts by one person in the same group.
func TestStartTogether(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		es, e := storedExam(t, db, nil)
		a := mustCreateUser(t, db, "a@demo.example", safedesk.RoleTrainee, "")
		b := mustCreateUser(t, db, "b@demo.example", safedesk.RoleTrainee, "")
		c := mustCreateUser(t, db, "c@demo.example", safedesk.RoleTrainee, "")
		at := func(u *safedesk.User) *safedesk.Attempt {
			return &safedesk.Attempt{ExamID: e.ID, UserID: u.ID, VersionID: "v1", Paper: paper, Deadline: clock.t.Add(time.Hour)}
		}
		running, err := es.StartAttempt(ctx, at(c), e)
		if err != nil {
			t.Fatal(err)
		}
		outs, refusals, err := sqlstore.StartTogetherForTest(ctx, es, e, []*safedesk.Attempt{at(a), at(b), at(a), at(c)})
		if err != nil {
			t.Fatal(err)
		}
		if refusals[0] != nil || refusals[1] != nil || outs[0].Number != 1 || outs[1].Number != 1 {
			t.Fatalf("first starts: %v %v, %+v %+v", refusals[0], refusals[1], outs[0], outs[1])
		}
		if safedesk.ErrorCode(refusals[2]) != safedesk.ECONFLICT || outs[2] == nil || outs[2].ID != outs[0].ID {
			t.Errorf("a's second start in the group: %v, %+v; want the first, running", refusals[2], outs[2])
		}
		if safedesk.ErrorCode(refusals[3]) != safedesk.ECONFLICT || outs[3] == nil || outs[3].ID != running.ID {
			t.Errorf("c's start beside a running attempt: %v, %+v", refusals[3], outs[3])
		}
		for _, u := range []*safedesk.User{a, b, c} {
			if atts, _ := es.FindUserAttempts(ctx, e.ID, u.ID); len(atts) != 1 {
				t.Errorf("%s has %d attempts, want 1", u.Email, len(atts))
			}
		}
		if uses, _ := es.QuestionUsage(ctx, e.ID); uses["q1"] != 3 {
			t.Errorf("usage = %v, want 3 papers", uses)
		}
		audit := sqlstore.NewAuditService(db)
		if entries, _, _ := audit.FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditAttemptStarted}); len(entries) != 3 {
			t.Errorf("%d start entries, want 3", len(entries))
		}
		if seq, reason, _, err := audit.VerifyAudit(ctx); err != nil || seq != 0 {
			t.Fatalf("audit chain broken at %d: %s %v", seq, reason, err)
		}
	})
}
