package http_test

import (
	"context"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

// TestCertificateWaitsForDrills: a course that requires a passed drill issues the
// certificate of a passed exam only once the drill is passed.
func TestCertificateWaitsForDrills(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	es := sqlstore.NewExamService(e.db)
	base, err := es.FindExamByID(ctx, "default-certification")
	if err != nil {
		t.Fatal(err)
	}
	x := *base
	x.ID, x.SpecID, x.RequiredDrills = "default-cert-drills", "", 1
	if err := es.UpsertExam(ctx, &x); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.NewCourseService(e.db).CreateAssignment(ctx, &safedesk.Assignment{CourseID: "default", UserID: e.users["trainee"].ID,
		DueAt: e.users["trainee"].CreatedAt.AddDate(0, 1, 0), CreatedBy: "t"}); err != nil {
		t.Fatal(err)
	}
	trainee, trainer := e.token("trainee", "api"), e.token("trainer", "api")
	_, pool := e.api(trainer, "GET", "/api/v1/exams/"+x.ID+"/questions", nil)
	key := map[string]any{}
	for _, q := range pool["questions"].([]any) {
		m := q.(map[string]any)
		key[m["id"].(string)] = m["answer"]
	}
	st, att := e.api(trainee, "POST", "/api/v1/exams/"+x.ID+"/attempts", nil)
	if st != 201 {
		t.Fatalf("start: %d %v", st, att)
	}
	id := att["id"].(string)
	for _, q := range att["questions"].([]any) {
		qid := q.(map[string]any)["id"].(string)
		e.api(trainee, "PUT", "/api/v1/attempts/"+id+"/answers/"+qid, map[string]any{"response": key[qid]})
	}
	st, res := e.api(trainee, "POST", "/api/v1/attempts/"+id+"/submit", nil)
	if st != 200 || res["passed"] != true || res["certificate"] != nil {
		t.Fatalf("a pass before the required drill: %d passed=%v certificate=%v", st, res["passed"], res["certificate"])
	}
	st, run := e.api(trainee, "POST", "/api/v1/drills/pretext-buyer-data/runs", nil)
	if st != 201 {
		t.Fatalf("drill start: %d", st)
	}
	good := "理解您的着急。为保护买家隐私，我不能透露任何买家的电话、地址或订单信息。请买家本人用下单账号在平台内联系我们，我已记录此次咨询并上报主管。"
	for i := 0; i < 10; i++ {
		st, r := e.api(trainee, "POST", "/api/v1/drill-runs/"+run["id"].(string)+"/replies", map[string]string{"text": good})
		if st != 200 {
			t.Fatalf("reply: %d %v", st, r)
		}
		if r["done"] == true {
			break
		}
	}
	_, result := e.api(trainee, "GET", "/api/v1/drill-runs/"+run["id"].(string), nil)
	if result["passed"] != true {
		t.Fatalf("the drill did not pass: %v", result)
	}
	st, res = e.api(trainee, "POST", "/api/v1/attempts/"+id+"/submit", nil)
	if st != 200 || res["certificate"] == nil {
		t.Fatalf("after the drill the certificate is still missing: %v", res["certificate"])
	}
}
