package http_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"safedesk"
	"safedesk/sqlstore"
)

// TestAccommodationStretchesTheDeadline grants a trainee 1.5 × the time of the 40-minute
// certification exam; their attempt then runs 60 minutes, and the grant is audited.
func TestAccommodationStretchesTheDeadline(t *testing.T) {
	e := newEnv(t)
	e.assignDefault()
	trainer, trainee := e.token("trainer", "api"), e.token("trainee", "api")
	path := "/api/v1/admin/exams/default-certification/accommodations/" + e.users["trainee"].ID
	if st, body := e.api(trainer, "PUT", path, map[string]any{"multiplier": 11}); st != 400 || errField(body) != "multiplier" {
		t.Fatalf("multiplier 11: %d %v", st, body)
	}
	if st, body := e.api(trainer, "PUT", path, map[string]any{"multiplier": 1.5, "note": "ticket 42"}); st != 200 || body["multiplier"].(float64) != 1.5 {
		t.Fatalf("grant: %d %v", st, body)
	}
	if st, list := e.apiList(trainer, "GET", "/api/v1/admin/exams/default-certification/accommodations"); st != 200 || len(list) != 1 ||
		list[0]["name"] != "Test trainee" || list[0]["set_by"] != "trainer@test.example" {
		t.Fatalf("list: %d %v", st, list)
	}
	// The trainee's exam list shows their own time.
	if st, list := e.apiList(trainee, "GET", "/api/v1/exams"); st != 200 || len(list) == 0 || list[0]["time_limit_seconds"].(float64) != 3600 {
		t.Fatalf("the exam list does not show the stretched time: %d %v", st, list)
	}
	before := time.Now()
	st, att := e.api(trainee, "POST", "/api/v1/exams/default-certification/attempts", nil)
	if st != 201 {
		t.Fatalf("start: %d %v", st, att)
	}
	deadline, err := time.Parse(time.RFC3339, att["deadline"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if got := deadline.Sub(before); got < 60*time.Minute-2*time.Second || got > 60*time.Minute+2*time.Second {
		t.Fatalf("the attempt runs %v, want 60m (40m × 1.5)", got)
	}
	entries, _, _ := sqlstore.NewAuditService(e.db).FindAudit(context.Background(), safedesk.AuditFilter{Action: safedesk.AuditAccommodationSet})
	if len(entries) != 1 || entries[0].Actor != "trainer@test.example" || !strings.Contains(entries[0].Detail, `"multiplier":1.5`) {
		t.Fatalf("audit: %d entries", len(entries))
	}

	// The page: another trainee by e-mail, shown with the time it gives.
	other := e.newTrainee("Slow Reader", e.users["trainee"].TeamID)
	form := url.Values{"email": {other.Email}, "multiplier": {"1.25"}, "note": {""}}
	if st, _, hdr := e.examPage("trainer", "POST", "/admin/exams/default-certification/accommodations", form); st != 303 ||
		!strings.Contains(hdr.Get("Location"), "flash=accommodation_saved") {
		t.Fatalf("form: %d %s", st, hdr.Get("Location"))
	}
	st, body, _ := e.examPage("trainer", "GET", "/admin/exams/default-certification", nil)
	if st != 200 || !strings.Contains(body, "×1.25 · 50 分钟") || !strings.Contains(body, "×1.5 · 60 分钟") {
		t.Fatalf("page: %d", st)
	}
	form.Set("email", "nobody@test.example")
	if st, body, _ := e.examPage("trainer", "POST", "/admin/exams/default-certification/accommodations", form); st != 400 ||
		!strings.Contains(body, "没有人使用") {
		t.Fatalf("unknown person: %d", st)
	}
	// Auditors see no accommodations: they are personal.
	if _, body, _ := e.examPage("auditor", "GET", "/admin/exams/default-certification", nil); strings.Contains(body, "Slow Reader") {
		t.Fatal("an auditor sees the accommodations")
	}
}

// TestReviewFlipsAPassAndIssuesOnce sits a certification exam whose pass mark only a
// perfect paper meets, with every short answer written so that no accepted answer
// matches: the attempt fails pending review. Accepting the answers one by one (the last
// through the page) flips it to a pass and issues the certificate once, in the review's
// transaction.
func TestReviewFlipsAPassAndIssuesOnce(t *testing.T) {
	e := newEnv(t)
	e.assignDefault()
	ctx := context.Background()
	trainer, trainee := e.token("trainer", "api"), e.token("trainee", "api")
	live, _ := e.s.Catalog.Course(ctx, "default")
	n, shorts := 0, 0
	for _, q := range live.Pack.Questions {
		if q.ChapterID == "ch01" {
			n++
			if q.Type == safedesk.QuestionShort {
				shorts++
			}
		}
	}
	if shorts == 0 {
		t.Fatal("the default pack's ch01 has no short question")
	}
	d := validExam()
	d["kind"], d["pass_mark"], d["attempts"], d["review"] = "certification", 100, 1, "answers"
	d["blueprint"] = []map[string]any{{"chapter": "ch01", "count": n}}
	st, created := e.api(trainer, "POST", "/api/v1/admin/exams", d)
	if st != 201 {
		t.Fatalf("create: %d %v", st, created)
	}
	examID := created["id"].(string)
	_, pool := e.api(trainer, "GET", "/api/v1/exams/"+examID+"/questions", nil)
	key, types := map[string]any{}, map[string]string{}
	for _, q := range pool["questions"].([]any) {
		m := q.(map[string]any)
		key[m["id"].(string)], types[m["id"].(string)] = m["answer"], m["type"].(string)
	}
	st, att := e.api(trainee, "POST", "/api/v1/exams/"+examID+"/attempts", nil)
	if st != 201 {
		t.Fatalf("start: %d %v", st, att)
	}
	attemptID := att["id"].(string)
	for _, q := range att["questions"].([]any) {
		qid := q.(map[string]any)["id"].(string)
		resp := key[qid]
		if types[qid] == safedesk.QuestionShort {
			resp = "I would ask my team lead"
		}
		if st, b := e.api(trainee, "PUT", "/api/v1/attempts/"+attemptID+"/answers/"+qid, map[string]any{"response": resp}); st != 200 {
			t.Fatalf("save %s: %d %v", qid, st, b)
		}
	}
	st, res := e.api(trainee, "POST", "/api/v1/attempts/"+attemptID+"/submit", nil)
	if st != 200 || res["passed"] != false || int(res["pending_review"].(float64)) != shorts || res["certificate"] != nil {
		t.Fatalf("submit: %d %v", st, res)
	}

	st, queue := e.apiList(trainer, "GET", "/api/v1/admin/reviews")
	if st != 200 || len(queue) != shorts || queue[0]["response"] != "I would ask my team lead" || len(queue[0]["accepted"].([]any)) == 0 {
		t.Fatalf("queue: %d %v", st, queue)
	}
	if st, body := e.api(trainer, "POST", "/api/v1/admin/reviews/"+attemptID+"/"+queue[0]["question_id"].(string), map[string]any{"score": 1.5}); st != 400 || errField(body) != "score" {
		t.Fatalf("credit 1.5: %d %v", st, body)
	}
	if st, _ := e.api(trainee, "GET", "/api/v1/admin/reviews", nil); st != 403 {
		t.Fatalf("a trainee reads the queue: %d", st)
	}
	for _, item := range queue[:len(queue)-1] {
		st, out := e.api(trainer, "POST", "/api/v1/admin/reviews/"+attemptID+"/"+item["question_id"].(string), map[string]any{"score": 1})
		if st != 200 || out["passed"] != false || out["certificate"] != nil {
			t.Fatalf("review before the last: %d %v", st, out)
		}
	}
	st, page, _ := e.examPage("trainer", "GET", "/admin/reviews", nil)
	if st != 200 || !strings.Contains(page, "I would ask my team lead") || !strings.Contains(page, "Test trainee") {
		t.Fatalf("review page: %d", st)
	}
	last := queue[len(queue)-1]["question_id"].(string)
	st, _, hdr := e.examPage("trainer", "POST", "/admin/reviews/"+attemptID+"/"+last, url.Values{"decision": {"accept"}})
	if st != 303 || !strings.Contains(hdr.Get("Location"), "flash=reviewed_certified") {
		t.Fatalf("last review: %d %s", st, hdr.Get("Location"))
	}
	st, again := e.api(trainer, "POST", "/api/v1/admin/reviews/"+attemptID+"/"+last, map[string]any{"score": 1})
	if st != 409 {
		t.Fatalf("reviewing again: %d %v", st, again)
	}
	certs, err := sqlstore.NewCertificateService(e.db).FindUserCertificates(ctx, e.users["trainee"].ID)
	if err != nil || len(certs) != 1 || certs[0].AttemptID != attemptID {
		t.Fatalf("certificates = %d, %v; want exactly one for the attempt", len(certs), err)
	}
	st, view := e.api(trainee, "GET", "/api/v1/attempts/"+attemptID, nil)
	result := view["result"].(map[string]any)
	if st != 200 || result["score"].(float64) != 100 || result["passed"] != true || result["certificate"].(map[string]any)["code"] != certs[0].Code {
		t.Fatalf("the trainee's result: %d %v", st, result)
	}
	if st, queue := e.apiList(trainer, "GET", "/api/v1/admin/reviews"); st != 200 || len(queue) != 0 {
		t.Fatalf("queue after: %d %v", st, queue)
	}
	audit := sqlstore.NewAuditService(e.db)
	if entries, _, _ := audit.FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditAnswerReviewed}); len(entries) != shorts {
		t.Fatalf("%d reviews audited, want %d", len(entries), shorts)
	}
}

// TestReviewPartialCredit gives half credit through the page: the score moves by half a
// question, which meets the post-test's pass mark of 60; a post-test issues no
// certificate.
func TestReviewPartialCredit(t *testing.T) {
	e := newEnv(t)
	u := e.newTrainee("Half Right", "")
	a := e.sit("default-posttest", u, `{"items":[{"question_id":"q-ch01-cert-001"},{"question_id":"q-ch01-path-003"}]}`,
		map[string]string{"q-ch01-cert-001": `"eighty-ish"`}, &safedesk.Grading{Score: 50, Pending: 1,
			Results: []byte(`[{"question_id":"q-ch01-cert-001","answered":true,"needs_review":true},{"question_id":"q-ch01-path-003","score":1,"correct":true,"answered":true}]`)}, nil)
	if st, _, _ := e.examPage("trainer", "POST", "/admin/reviews/"+a.ID+"/q-ch01-cert-001", url.Values{"decision": {"partial"}, "credit": {"150"}}); st != 400 {
		t.Fatalf("150 %%: %d, want 400", st)
	}
	if st, _, hdr := e.examPage("trainer", "POST", "/admin/reviews/"+a.ID+"/q-ch01-cert-001", url.Values{"decision": {"partial"}, "credit": {"50"}}); st != 303 ||
		!strings.HasSuffix(hdr.Get("Location"), "flash=reviewed") {
		t.Fatalf("partial: %d %s", st, hdr.Get("Location"))
	}
	got, _ := sqlstore.NewExamService(e.db).FindAttempt(context.Background(), a.ID)
	if got.Score != 75 || !got.Passed || got.Pending != 0 {
		t.Fatalf("after half credit: score %v passed %v pending %d; want 75, true, 0", got.Score, got.Passed, got.Pending)
	}
	if certs, _ := sqlstore.NewCertificateService(e.db).FindUserCertificates(context.Background(), u.ID); len(certs) != 0 {
		t.Fatalf("a post-test issued %d certificates", len(certs))
	}
}
