package http_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

// validExam is a definition the default pack's bank can fill.
func validExam() map[string]any {
	return map[string]any{
		"course_id": "default", "kind": "practice",
		"title":     map[string]string{"zh-CN": "退款诈骗专项练习", "en": "Refund scam drill"},
		"blueprint": []map[string]any{{"chapter": "ch02", "count": 4, "difficulty": []string{"easy", "medium"}}, {"chapter": "ch04", "count": 2}},
		"pass_mark": 80, "time_limit_minutes": 15, "attempts": 0, "cooldown_minutes": 0,
		"shuffle_options": true, "review": "answers", "multiple_choice": "partial",
	}
}

// chapterSize counts the default pack's questions in a chapter.
func chapterSize(t *testing.T, e *testEnv, chapter string) int {
	t.Helper()
	live, err := e.s.Catalog.Course(context.Background(), "default")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range live.Pack.Questions {
		if q.ChapterID == chapter {
			n++
		}
	}
	return n
}

// TestExamDefinitionValidation sends definitions with one thing wrong each: every refusal
// is 400 and names the field at fault, including a blueprint the bank cannot fill.
func TestExamDefinitionValidation(t *testing.T) {
	e := newEnv(t)
	trainer := e.token("trainer", "api")
	ch01 := chapterSize(t, e, "ch01")
	tests := []struct {
		name  string
		edit  func(d map[string]any)
		field string
	}{
		{"no title", func(d map[string]any) { d["title"] = map[string]string{} }, "title"},
		{"pass mark above 100", func(d map[string]any) { d["pass_mark"] = 101 }, "pass_mark"},
		{"no time limit", func(d map[string]any) { d["time_limit_minutes"] = 0 }, "time_limit_minutes"},
		{"unknown kind", func(d map[string]any) { d["kind"] = "quiz" }, "kind"},
		{"negative attempts", func(d map[string]any) { d["attempts"] = -1 }, "attempts"},
		{"unknown course", func(d map[string]any) { d["course_id"] = "nope" }, "course_id"},
		{"unknown review policy", func(d map[string]any) { d["review"] = "everything" }, "review"},
		{"answers after close without a close", func(d map[string]any) { d["review"] = "answers_after_close" }, "review"},
		{"closes before it opens", func(d map[string]any) {
			d["opens_at"], d["closes_at"] = "2030-01-02T00:00:00Z", "2030-01-01T00:00:00Z"
		}, "closes_at"},
		{"empty blueprint", func(d map[string]any) { d["blueprint"] = []any{} }, "blueprint"},
		{"unknown chapter", func(d map[string]any) {
			d["blueprint"] = []map[string]any{{"chapter": "ch01", "count": 1}, {"chapter": "ch99", "count": 1}}
		}, "blueprint[1].chapter"},
		{"unknown difficulty", func(d map[string]any) {
			d["blueprint"] = []map[string]any{{"chapter": "ch01", "count": 1, "difficulty": []string{"brutal"}}}
		}, "blueprint[0].difficulty"},
		{"more than the bank holds", func(d map[string]any) {
			d["blueprint"] = []map[string]any{{"chapter": "ch01", "count": ch01 + 1}}
		}, "blueprint[0].count"},
		{"rows competing for the same questions", func(d map[string]any) {
			d["blueprint"] = []map[string]any{{"chapter": "ch01", "count": ch01 - 1}, {"chapter": "ch01", "count": 2, "difficulty": []string{"easy", "medium", "hard"}}}
		}, "blueprint[1].count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validExam()
			tt.edit(d)
			st, body := e.api(trainer, "POST", "/api/v1/admin/exams", d)
			if st != 400 || errField(body) != tt.field {
				t.Fatalf("got %d %v, want 400 naming %s", st, body, tt.field)
			}
		})
	}
	t.Run("the bank's numbers in the message", func(t *testing.T) {
		d := validExam()
		d["blueprint"] = []map[string]any{{"chapter": "ch01", "count": ch01 + 1}}
		_, body := e.api(trainer, "POST", "/api/v1/admin/exams", d)
		msg := body["error"].(map[string]any)["message"].(string)
		if !strings.Contains(msg, strconv.Itoa(ch01+1)) || !strings.Contains(msg, strconv.Itoa(ch01)) {
			t.Fatalf("message %q does not give the numbers %d and %d", msg, ch01+1, ch01)
		}
	})
}

// TestExamDefinitionLifecycle creates, reads and edits an exam through the API and the
// pages, and checks that a pack's exam cannot be edited.
func TestExamDefinitionLifecycle(t *testing.T) {
	e := newEnv(t)
	e.assignDefault()
	trainer, trainee, auditor := e.token("trainer", "api"), e.token("trainee", "api"), e.token("auditor", "api")

	st, created := e.api(trainer, "POST", "/api/v1/admin/exams", validExam())
	if st != 201 || created["id"] == "" || created["from_pack"] != false || created["questions"].(float64) != 6 {
		t.Fatalf("create: %d %v", st, created)
	}
	id := created["id"].(string)
	if st, got := e.api(auditor, "GET", "/api/v1/admin/exams/"+id, nil); st != 200 || got["multiple_choice"] != "partial" {
		t.Fatalf("auditor reads: %d %v", st, got)
	}
	if st, _ := e.api(auditor, "PUT", "/api/v1/admin/exams/"+id, validExam()); st != 403 {
		t.Fatalf("auditor edits: %d, want 403", st)
	}
	// The trainee whose course it is can sit it.
	_, mine := e.apiList(trainee, "GET", "/api/v1/exams")
	found := false
	for _, x := range mine {
		found = found || x["id"] == id
	}
	if !found {
		t.Fatalf("the trainee does not see the new exam: %v", mine)
	}

	upd := validExam()
	upd["pass_mark"] = 70
	if st, got := e.api(trainer, "PUT", "/api/v1/admin/exams/"+id, upd); st != 200 || got["pass_mark"].(float64) != 70 {
		t.Fatalf("update: %d %v", st, got)
	}
	upd["course_id"] = "other"
	if st, body := e.api(trainer, "PUT", "/api/v1/admin/exams/"+id, upd); st != 400 || errField(body) != "course_id" {
		t.Fatalf("moving the exam to another course: %d %v", st, body)
	}
	if st, _ := e.api(trainer, "PUT", "/api/v1/admin/exams/default-certification", validExam()); st != 409 {
		t.Fatalf("editing the pack's exam: %d, want 409", st)
	}
	st, list := e.apiList(auditor, "GET", "/api/v1/admin/exams")
	if st != 200 || len(list) != 4 {
		t.Fatalf("list: %d, %d exams, want the pack's 3 and ours", st, len(list))
	}
	audit := sqlstore.NewAuditService(e.db)
	for _, action := range []string{safedesk.AuditExamCreated, safedesk.AuditExamUpdated} {
		if entries, _, _ := audit.FindAudit(context.Background(), safedesk.AuditFilter{Action: action}); len(entries) != 1 || entries[0].Target != id {
			t.Fatalf("%s audited %d times", action, len(entries))
		}
	}

	// The pages: a bad number re-renders the form in Chinese, marking the field.
	form := url.Values{"title_zh": {"页面建的考试"}, "course_id": {"default"}, "kind": {"pretest"}, "pass_mark": {"八十"},
		"time_limit_minutes": {"20"}, "attempts": {"1"}, "review": {"score"}, "multiple_choice": {"all_or_nothing"},
		"bp_rows": {"4"}, "bp_chapter_0": {""}, "bp_chapter_1": {"ch03"}, "bp_count_1": {"２"}, "bp_difficulty_1": {"easy", "medium"}}
	st, body, _ := e.examPage("trainer", "POST", "/admin/exams", form)
	if st != 400 || !strings.Contains(body, "及格分须为 0 到 100 的整数") || !strings.Contains(body, `id="f-pass_mark" name="pass_mark" type="number" inputmode="numeric" min="0" max="100" value="八十" aria-invalid="true"`) {
		t.Fatalf("bad pass mark: %d\n%s", st, body)
	}
	// The filled row closed up to the top: row 0 is now ch03.
	if !strings.Contains(body, `name="bp_count_0" type="number" inputmode="numeric" min="1" max="500" value="２"`) {
		t.Fatal("the blueprint row was not kept as typed")
	}
	form.Set("pass_mark", "60")
	st, _, hdr := e.examPage("trainer", "POST", "/admin/exams", form)
	loc := hdr.Get("Location")
	if st != 303 || !strings.HasPrefix(loc, "/admin/exams/") || !strings.HasSuffix(loc, "flash=exam_created") {
		t.Fatalf("create by form: %d %s", st, loc)
	}
	pageID := strings.TrimSuffix(strings.TrimPrefix(loc, "/admin/exams/"), "?flash=exam_created")
	ex, err := sqlstore.NewExamService(e.db).FindExamByID(context.Background(), pageID)
	if err != nil || ex.Kind != safedesk.ExamPretest || len(ex.Blueprint) != 1 || ex.Blueprint[0].Count != 2 || ex.Blueprint[0].ChapterID != "ch03" {
		t.Fatalf("stored from the form: %+v %v", ex, err)
	}
	form.Set("time_limit_minutes", "25")
	if st, _, hdr := e.examPage("trainer", "POST", "/admin/exams/"+pageID, form); st != 303 || !strings.HasSuffix(hdr.Get("Location"), "flash=exam_saved") {
		t.Fatalf("edit by form: %d %s", st, hdr.Get("Location"))
	}
	if st, body, _ := e.examPage("auditor", "GET", "/admin/exams/"+pageID, nil); st != 200 || strings.Contains(body, `name="pass_mark"`) || !strings.Contains(body, "<td>25 分钟</td>") {
		t.Fatalf("auditor's view is not read-only: %d", st)
	}
	st, body, _ = e.examPage("trainer", "GET", "/admin/exams/default-certification", nil)
	if st != 200 || !strings.Contains(body, "这场考试来自课程包") || !strings.Contains(body, "/admin/exams/new?copy=default-certification") {
		t.Fatalf("pack exam page: %d", st)
	}
	if st, _, _ := e.examPage("trainer", "POST", "/admin/exams/default-certification", form); st != 409 {
		t.Fatalf("form edit of the pack's exam: %d, want 409", st)
	}
	if st, body, _ := e.examPage("trainer", "GET", "/admin/exams/new?copy=default-certification", nil); st != 200 || !strings.Contains(body, "（副本）") {
		t.Fatalf("copy: %d", st)
	}
	if st, body, _ := e.examPage("auditor", "GET", "/admin/exams", nil); st != 200 || !strings.Contains(body, "页面建的考试") {
		t.Fatalf("list page: %d", st)
	}
}
