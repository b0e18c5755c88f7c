package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"safedesk"
	"safedesk/exam"
)

// TestStatisticsPage sits the pre-test four times as first attempts, once more as a
// retake and once with an answer awaiting review: the page analyses the four first
// attempts only, says so, and draws both charts as inline SVG; the contract's API keeps
// reporting every submitted attempt with its reliability.
func TestStatisticsPage(t *testing.T) {
	e := newEnv(t)
	qs := seedStats(t, e)
	st, body, hdr := e.examPage("trainer", "GET", "/admin/exams/default-pretest/statistics", nil)
	if st != 200 {
		t.Fatalf("page: %d", st)
	}
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg"`, `id="score-histogram-title"`, `id="item-chart-title"`,
		"统计只计每位学员的第一次考试", "另有 1 场首次考试含待评阅的答案", `<th scope="row">首次考试人数</th><td>4</td>`,
		"信度（Cronbach α）", "选项分析", "<code>" + qs[0].ID + "</code>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
		t.Error("the page carries inline style or script, which the CSP refuses")
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Error("no CSP")
	}
	if st, _, _ := e.examPage("auditor", "GET", "/admin/exams/default-pretest/statistics", nil); st != 200 {
		t.Fatalf("auditor: %d", st)
	}
	if st, _, _ := e.examPage("trainee", "GET", "/admin/exams/default-pretest/statistics", nil); st != 403 {
		t.Fatalf("trainee: %d, want 403", st)
	}

	auditor := e.token("auditor", "api")
	st, all := e.api(auditor, "GET", "/api/v1/exams/default-pretest/statistics", nil)
	if _, ok := all["alpha"]; st != 200 || !ok || all["attempts"].(float64) != 4 { // first attempts, as the page
		t.Fatalf("contract statistics: %d attempts=%v alpha present=%v", st, all["attempts"], ok)
	}
	st, first := e.api(auditor, "GET", "/api/v1/admin/exams/default-pretest/statistics", nil)
	if st != 200 || first["attempts"].(float64) != 4 || first["selection"] != "first_attempts" || first["left_out_pending_review"].(float64) != 1 || first["alpha"] == nil {
		t.Fatalf("first-attempt statistics: %d %v", st, first)
	}
}

// TestLearningGain checks the gain figures on a small example worked by hand:
//
//	Team A: Ann 40 → 70 (g = 30/60 = 0.5), Bob 60 → 90 (g = 30/40 = 0.75)
//	Team B: Cai 100 → 100 (g undefined), Dan 20 → 60 (g = 40/80 = 0.5)
//	Eve took the pre-test only; Fay's post-test waits for review.
//
// Team A: means 50 → 80, ⟨g⟩ = 30/50 = 0.6, mean of gains 0.625.
// Team B: means 60 → 80, ⟨g⟩ = 20/40 = 0.5, mean of gains 0.5 (Cai excluded).
// Course: means 55 → 80, ⟨g⟩ = 25/45 = 0.5556, mean of gains 1.75/3 = 0.5833.
func TestLearningGain(t *testing.T) {
	e := newEnv(t)
	teamA := e.users["trainee"].TeamID
	teamB, err := sqlstoreTeam(e, "Team B")
	if err != nil {
		t.Fatal(err)
	}
	pair := func(name, team string, pre, post float64, pendingPost bool) {
		u := e.newTrainee(name, team)
		e.sit("default-pretest", u, `{"items":[]}`, nil, &safedesk.Grading{Score: pre}, nil)
		if post >= 0 {
			e.sit("default-posttest", u, `{"items":[]}`, nil, &safedesk.Grading{Score: post, Pending: map[bool]int{true: 1}[pendingPost]}, nil)
		}
	}
	pair("Ann", teamA, 40, 70, false)
	pair("Bob", teamA, 60, 90, false)
	pair("Cai", teamB, 100, 100, false)
	pair("Dan", teamB, 20, 60, false)
	pair("Eve", teamB, 50, -1, false)
	pair("Fay", teamA, 10, 90, true)

	st, rep := e.api(e.token("auditor", "api"), "GET", "/api/v1/courses/default/gain", nil)
	if st != 200 {
		t.Fatalf("gain: %d %v", st, rep)
	}
	if rep["pretest"].(map[string]any)["id"] != "default-pretest" || rep["posttest"].(map[string]any)["id"] != "default-posttest" || rep["same_blueprint"] != true {
		t.Fatalf("exams: %v %v %v", rep["pretest"], rep["posttest"], rep["same_blueprint"])
	}
	check := func(what string, g map[string]any, trainees, excluded int, pre, post, gom, mog float64) {
		t.Helper()
		if int(g["trainees"].(float64)) != trainees || int(g["excluded"].(float64)) != excluded {
			t.Errorf("%s: trainees %v excluded %v, want %d and %d", what, g["trainees"], g["excluded"], trainees, excluded)
		}
		for k, want := range map[string]float64{"mean_pre": pre, "mean_post": post, "gain_of_means": gom, "mean_of_gains": mog} {
			if got, _ := g[k].(float64); math.Abs(got-want) > 1e-4 {
				t.Errorf("%s: %s = %v, want %v", what, k, g[k], want)
			}
		}
	}
	check("course", rep["course"].(map[string]any), 4, 1, 55, 80, 25.0/45, 1.75/3)
	teams := rep["teams"].([]any)
	if len(teams) != 2 {
		t.Fatalf("teams: %v", teams)
	}
	check("Team A", teams[0].(map[string]any), 2, 0, 50, 80, 0.6, 0.625)
	check("Team B", teams[1].(map[string]any), 2, 1, 60, 80, 0.5, 0.5)
	byName := map[string]map[string]any{}
	for _, x := range rep["trainees"].([]any) {
		m := x.(map[string]any)
		byName[m["name"].(string)] = m
	}
	if len(byName) != 6 || byName["Bob"]["gain"].(float64) != 0.75 || byName["Cai"]["gain"] != nil || byName["Eve"]["post"] != nil ||
		byName["Fay"]["pending_review"] != true || byName["Fay"]["gain"] != nil {
		t.Fatalf("trainees: %v", byName)
	}

	st, body, _ := e.examPage("trainer", "GET", "/admin/gain?course=default", nil)
	if st != 200 || !strings.Contains(body, "<dd>0.56</dd>") || !strings.Contains(body, "0.58") || !strings.Contains(body, "Team B") {
		t.Fatalf("gain page: %d", st)
	}
	if st, body := e.api(e.token("trainer", "api"), "GET", "/api/v1/courses/default/gain?pretest=default-posttest", nil); st != 400 || errField(body) != "pretest" {
		t.Fatalf("a post-test as the pre-test: %d %v", st, body)
	}
}

// seedStats sits the pre-test as four first attempts, one retake and one first attempt
// awaiting review, on a paper of six single-choice questions, which it returns.
func seedStats(t *testing.T, e *testEnv) []*safedesk.Question {
	t.Helper()
	live, _ := e.s.Catalog.Course(context.Background(), "default")
	var qs []*safedesk.Question
	for _, q := range live.Pack.Questions {
		if q.Type == safedesk.QuestionSingle && len(qs) < 6 {
			qs = append(qs, q)
		}
	}
	var items []string
	for _, q := range qs {
		items = append(items, fmt.Sprintf(`{"question_id":%q}`, q.ID))
	}
	paper := `{"items":[` + strings.Join(items, ",") + `]}`
	sit := func(name string, pattern []int, pending bool) {
		u := e.newTrainee(name, "")
		var results []exam.Result
		answers := map[string]string{}
		sum := 0
		for i, q := range qs {
			choice := q.AnswerIDs[0]
			if pattern[i] == 0 {
				for _, o := range q.Options {
					if o.ID != choice {
						choice = o.ID
						break
					}
				}
			}
			answers[q.ID] = fmt.Sprintf("%q", choice)
			results = append(results, exam.Result{QuestionID: q.ID, Score: float64(pattern[i]), Correct: pattern[i] == 1, Answered: true})
			sum += pattern[i]
		}
		g := &safedesk.Grading{Score: math.Round(float64(sum)*10000/float64(len(qs))) / 100}
		if pending {
			results[0].NeedsReview, g.Pending = true, 1
		}
		g.Results, _ = json.Marshal(results)
		e.sit("default-pretest", u, paper, answers, g, nil)
		if name == "Ann" { // a retake, which the page must not count
			e.sit("default-pretest", u, paper, answers, &safedesk.Grading{Score: 100, Passed: true}, func(x *safedesk.Exam) { x.Attempts = 0 })
		}
	}
	sit("Ann", []int{1, 1, 1, 1, 1, 0}, false)
	sit("Bob", []int{1, 1, 1, 0, 0, 0}, false)
	sit("Cai", []int{1, 0, 1, 0, 0, 0}, false)
	sit("Dan", []int{0, 0, 0, 1, 0, 0}, false)
	sit("Eve", []int{1, 1, 0, 0, 0, 0}, true)

	return qs
}
