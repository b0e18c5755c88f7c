package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"safedesk"
	"safedesk/sqlstore"
)

// examPage sends a browser request as role (a session that passed MFA) and returns the
// status, body and headers; a form is posted with the session's CSRF token.
func (e *testEnv) examPage(role, method, path string, form url.Values) (int, string, http.Header) {
	e.t.Helper()
	c, csrf := e.session(role)
	var req *http.Request
	if form != nil {
		form = cloneValues(form)
		form.Set("csrf", csrf)
		req = e.req(method, path, form.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = e.req(method, path, "")
	}
	req.AddCookie(c)
	return e.do(req)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// assignDefault assigns the default course to the test team, so its trainee may sit its
// exams.
func (e *testEnv) assignDefault() {
	e.t.Helper()
	cs := sqlstore.NewCourseService(e.db)
	if err := cs.CreateAssignment(context.Background(), &safedesk.Assignment{CourseID: "default", TeamID: e.users["trainee"].TeamID,
		DueAt: time.Now().AddDate(0, 1, 0), CreatedBy: "t"}); err != nil {
		e.t.Fatal(err)
	}
}

// newTrainee creates an active trainee in a team ("" for none).
func (e *testEnv) newTrainee(name, teamID string) *safedesk.User {
	e.t.Helper()
	u := &safedesk.User{Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@test.example", Name: name,
		Role: safedesk.RoleTrainee, Active: true, TeamID: teamID}
	if err := sqlstore.NewUserService(e.db).CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// sit stores a submitted attempt of u at the exam with the given paper, answers and
// grading, straight through the store; rules lets a test lift the exam's attempt limit
// and cooldown.
func (e *testEnv) sit(examID string, u *safedesk.User, paper string, answers map[string]string, g *safedesk.Grading, rules func(*safedesk.Exam)) *safedesk.Attempt {
	e.t.Helper()
	ctx := context.Background()
	es := sqlstore.NewExamService(e.db)
	ex, err := es.FindExamByID(ctx, examID)
	if err != nil {
		e.t.Fatal(err)
	}
	if rules != nil {
		rules(ex)
	}
	live, err := e.s.Catalog.Course(ctx, ex.CourseID)
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := es.StartAttempt(ctx, &safedesk.Attempt{ExamID: ex.ID, UserID: u.ID, VersionID: live.Version.ID,
		Paper: json.RawMessage(paper), Lang: safedesk.LangZH, Deadline: time.Now().Add(time.Hour)}, ex)
	if err != nil {
		e.t.Fatal(err)
	}
	for q, resp := range answers {
		if err := es.SaveAnswer(ctx, a.ID, u.ID, q, json.RawMessage(resp)); err != nil {
			e.t.Fatal(err)
		}
	}
	if g.Results == nil {
		g.Results = json.RawMessage(`[]`)
	}
	done, _, err := es.SubmitAttempt(ctx, a.ID, false, func(*safedesk.Attempt, map[string]json.RawMessage) (*safedesk.Grading, error) {
		return g, nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return done
}

// errField returns the field an API error names.
func errField(body map[string]any) string {
	if e, ok := body["error"].(map[string]any); ok {
		f, _ := e["field"].(string)
		return f
	}
	return ""
}

// sqlstoreTeam creates a team and returns its id.
func sqlstoreTeam(e *testEnv, name string) (string, error) {
	t, err := sqlstore.NewUserService(e.db).CreateTeam(context.Background(), name)
	if err != nil {
		return "", err
	}
	return t.ID, nil
}
