package http_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

// TestExamAPI walks an attempt through the API: the paper carries no key, answers save
// idempotently and read back, a perfect paper passes, a second submit returns the same
// result, a save after submission is refused, and another trainee cannot touch it.
func TestExamAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cs := sqlstore.NewCourseService(e.db)
	if err := cs.CreateAssignment(ctx, &safedesk.Assignment{CourseID: "default", TeamID: e.users["trainee"].TeamID,
		DueAt: e.users["trainee"].CreatedAt.AddDate(0, 1, 0), CreatedBy: "t"}); err != nil {
		t.Fatal(err)
	}
	trainee, trainer := e.token("trainee", "api"), e.token("trainer", "api")

	st, body := e.apiList(trainee, "GET", "/api/v1/exams")
	if st != 200 || len(body) == 0 || body[0]["kind"] != "certification" || body[0]["attempts_left"].(float64) != 3 {
		t.Fatalf("exams = %d %v", st, body)
	}
	examID := body[0]["id"].(string)
	st, pool := e.api(trainer, "GET", "/api/v1/exams/"+examID+"/questions", nil)
	if st != 200 {
		t.Fatalf("pool: %d", st)
	}
	key := map[string]any{}
	for _, q := range pool["questions"].([]any) {
		m := q.(map[string]any)
		key[m["id"].(string)] = m["answer"]
	}
	if st, _ := e.api(trainee, "GET", "/api/v1/exams/"+examID+"/questions", nil); st != 403 {
		t.Fatalf("trainee reading the pool: %d", st)
	}

	st, att := e.api(trainee, "POST", "/api/v1/exams/"+examID+"/attempts", nil)
	if st != 201 {
		t.Fatalf("start: %d %v", st, att)
	}
	raw, _ := json.Marshal(att)
	if json.Valid(raw) && containsKey(att, "answer") {
		t.Fatal("the paper carries an answer key")
	}
	id := att["id"].(string)
	qs := att["questions"].([]any)
	if len(qs) != 30 {
		t.Fatalf("paper has %d questions, want 30", len(qs))
	}
	if st, body := e.api(trainee, "POST", "/api/v1/exams/"+examID+"/attempts", nil); st != 409 || body["attempt_id"] != id {
		t.Fatalf("second start while running: %d %v", st, body)
	}
	for _, q := range qs {
		qid := q.(map[string]any)["id"].(string)
		for i := 0; i < 2; i++ {
			if st, b := e.api(trainee, "PUT", "/api/v1/attempts/"+id+"/answers/"+qid, map[string]any{"response": key[qid]}); st != 200 {
				t.Fatalf("save %s: %d %v", qid, st, b)
			}
		}
	}
	first := qs[0].(map[string]any)["id"].(string)
	if st, _ := e.api(trainee, "PUT", "/api/v1/attempts/"+id+"/answers/"+first, map[string]any{"response": 42}); st != 400 {
		t.Fatalf("a number as response: %d, want 400", st)
	}
	other := e.token("auditor", "api")
	if st, _ := e.api(other, "PUT", "/api/v1/attempts/"+id+"/answers/"+first, map[string]any{"response": key[first]}); st != 403 {
		t.Fatalf("another person's save: %d, want 403", st)
	}
	if st, _ := e.api(other, "GET", "/api/v1/attempts/"+id, nil); st != 403 {
		t.Fatalf("another person's attempt read: %d, want 403", st)
	}
	st, log := e.api(other, "GET", "/api/v1/audit?action="+safedesk.AuditAttemptDenied, nil)
	if st != 200 || log["total"].(float64) != 2 {
		t.Fatalf("refused reaches into the attempt are not audited: %d %v", st, log)
	}
	if ent := log["entries"].([]any)[0].(map[string]any); ent["target"] != id {
		t.Errorf("audit entry names %v, want the attempt %s", ent["target"], id)
	}
	st, resumed := e.api(trainee, "GET", "/api/v1/attempts/"+id, nil)
	if st != 200 || len(resumed["answers"].(map[string]any)) != 30 || resumed["submitted"] != false {
		t.Fatalf("resume: %d %v", st, resumed["answers"])
	}
	st, res := e.api(trainee, "POST", "/api/v1/attempts/"+id+"/submit", nil)
	if st != 200 || res["passed"] != true || res["score"].(float64) != 100 {
		t.Fatalf("submit: %d %v", st, res)
	}
	st, res2 := e.api(trainee, "POST", "/api/v1/attempts/"+id+"/submit", nil)
	if st != 200 || res2["score"] != res["score"] || res2["submitted_at"] != res["submitted_at"] {
		t.Fatalf("second submit: %v vs %v", res2, res)
	}
	if st, _ := e.api(trainee, "PUT", "/api/v1/attempts/"+id+"/answers/"+first, map[string]any{"response": key[first]}); st != 409 {
		t.Fatalf("save after submit: %d, want 409", st)
	}
	if len(res["review"].([]any)) != 30 {
		t.Fatalf("review policy 'answers' shows %d entries", len(res["review"].([]any)))
	}
	// The first submission shows the answers it graded; a repeat reads them back. Both
	// must show the same review, with every answer given.
	if !reflect.DeepEqual(res["review"], res2["review"]) {
		t.Errorf("the review of a repeated submit differs from the first")
	}
	for _, r := range res["review"].([]any) {
		if r.(map[string]any)["response"] == nil {
			t.Errorf("review entry without the answer given: %v", r)
		}
	}
	st, stats := e.api(trainer, "GET", "/api/v1/exams/"+examID+"/statistics", nil)
	if st != 200 || stats == nil {
		t.Fatalf("statistics: %d", st)
	}
}

func containsKey(v any, k string) bool {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x[k]; ok {
			return true
		}
		for _, y := range x {
			if containsKey(y, k) {
				return true
			}
		}
	case []any:
		for _, y := range x {
			if containsKey(y, k) {
				return true
			}
		}
	}
	return false
}
