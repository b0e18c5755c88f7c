package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

// The exam-day benchmarks measure the server's own cost of the two requests that make the
// exam-day load, through the whole handler (authentication, the route, the store, the JSON)
// without a network: starting an attempt, and saving one answer. At the opening of an exam
// the starts compete with the saves of those who started earlier, so what a start costs
// in CPU is what the saves wait for.
//
//	go test ./http -run '^$' -bench 'Exam(Start|Save)' -benchmem

// examBench is a server with the default course assigned to a team of trainees.
type examBench struct {
	e      *testEnv
	examID string
	h      http.Handler
}

func newExamBench(b *testing.B) *examBench {
	e := newEnv(b)
	ctx := context.Background()
	u := e.users["trainee"]
	if err := sqlstore.NewCourseService(e.db).CreateAssignment(ctx, &safedesk.Assignment{CourseID: "default", TeamID: u.TeamID,
		DueAt: u.CreatedAt.AddDate(0, 1, 0), CreatedBy: "t"}); err != nil {
		b.Fatal(err)
	}
	st, body := e.apiList(e.token("trainee", "api"), "GET", "/api/v1/exams")
	if st != 200 || len(body) == 0 {
		b.Fatalf("exams: %d %v", st, body)
	}
	return &examBench{e: e, examID: body[0]["id"].(string), h: e.s.Handler()}
}

// trainees creates n trainees in the team and returns an API token for each.
func (x *examBench) trainees(b *testing.B, n int) []string {
	ctx := context.Background()
	us := sqlstore.NewUserService(x.e.db)
	team := x.e.users["trainee"].TeamID
	toks := make([]string, n)
	for i := range toks {
		u := &safedesk.User{Email: fmt.Sprintf("bench%d-%s@test.example", i, safedesk.NewID()[:8]), Name: "Bench",
			Role: safedesk.RoleTrainee, Active: true, TeamID: team}
		if err := us.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		x.e.users["trainee"] = u
		toks[i] = x.e.token("trainee", "api")
	}
	return toks
}

// serve runs one request through the handler and returns the recorder.
func (x *examBench) serve(method, path, tok, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+tok)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	x.h.ServeHTTP(w, r)
	return w
}

func BenchmarkExamStart(b *testing.B) {
	x := newExamBench(b)
	toks := x.trainees(b, b.N)
	path := "/api/v1/exams/" + x.examID + "/attempts"
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	// Many at once, as at the opening of an exam: starts that arrive together share a
	// commit, so this measures what a start costs in a surge rather than alone.
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if w := x.serve("POST", path, toks[next.Add(1)-1], ""); w.Code != 201 {
				b.Errorf("start: %d %s", w.Code, w.Body)
				return
			}
		}
	})
}

func BenchmarkExamSave(b *testing.B) {
	x := newExamBench(b)
	// 64 trainees saving at once, as in the thick of an exam: saves that arrive together
	// share a commit.
	const trainees = 64
	var saves [][]benchSave
	for _, tok := range x.trainees(b, trainees) {
		saves = append(saves, x.startForSaves(b, tok))
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.SetParallelism(trainees / 2)
	b.RunParallel(func(pb *testing.PB) {
		mine := saves[(next.Add(1)-1)%trainees]
		for i := 0; pb.Next(); i++ {
			s := mine[i%len(mine)]
			if w := x.serve("PUT", s.path, s.tok, s.body); w.Code != 200 {
				b.Errorf("save: %d %s", w.Code, w.Body)
				return
			}
		}
	})
}

// benchSave is one answer to save: a choice on a single-choice question of a paper.
type benchSave struct{ tok, path, body string }

// startForSaves starts an attempt for tok and returns an answer to save for each
// single-choice question on its paper.
func (x *examBench) startForSaves(b *testing.B, tok string) []benchSave {
	w := x.serve("POST", "/api/v1/exams/"+x.examID+"/attempts", tok, "")
	if w.Code != 201 {
		b.Fatalf("start: %d %s", w.Code, w.Body)
	}
	var att struct {
		ID        string `json:"id"`
		Questions []struct {
			ID      string `json:"id"`
			Type    string `json:"type"`
			Options []struct {
				ID string `json:"id"`
			} `json:"options"`
		} `json:"questions"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &att); err != nil {
		b.Fatal(err)
	}
	var saves []benchSave
	for _, q := range att.Questions {
		if q.Type == safedesk.QuestionSingle && len(q.Options) > 0 {
			saves = append(saves, benchSave{tok, "/api/v1/attempts/" + att.ID + "/answers/" + q.ID, `{"response":"` + q.Options[0].ID + `"}`})
		}
	}
	if len(saves) == 0 {
		b.Fatal("no single-choice question on the paper")
	}
	return saves
}
