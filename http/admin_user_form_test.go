package http_test

import (
	"testing"
)

// TestUserAPIRefusesUnknownTeamAndTakenEmployeeNo checks that the API, which shares the
// checks with the forms, names the field at fault instead of failing inside.
func TestUserAPIRefusesUnknownTeamAndTakenEmployeeNo(t *testing.T) {
	e := newEnv(t)
	tok := e.token("admin", "api")
	body := map[string]any{"name": "New", "email": "new@test.example", "role": "trainee", "password": "a-long-password",
		"team_id": "no-such-team"}
	if st, res := e.api(tok, "POST", "/api/v1/users", body); st != 400 || errField(res) != "team" {
		t.Fatalf("unknown team: %d %v", st, res)
	}
	body["team_id"], body["employee_no"] = "", "E7"
	if st, res := e.api(tok, "POST", "/api/v1/users", body); st != 201 {
		t.Fatalf("create: %d %v", st, res)
	}
	body["email"] = "other@test.example"
	if st, res := e.api(tok, "POST", "/api/v1/users", body); st != 409 || errField(res) != "employee_no" {
		t.Fatalf("employee number taken: %d %v", st, res)
	}
	if st, res := e.api(tok, "PATCH", "/api/v1/users/"+e.users["trainee"].ID, map[string]any{"employee_no": "e7"}); st != 409 || errField(res) != "employee_no" {
		t.Fatalf("employee number taken by an edit: %d %v", st, res)
	}
	if st, res := e.api(tok, "PATCH", "/api/v1/users/"+e.users["trainee"].ID, map[string]any{"team_id": "no-such-team"}); st != 400 || errField(res) != "team" {
		t.Fatalf("unknown team by an edit: %d %v", st, res)
	}
}
