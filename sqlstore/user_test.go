package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

func TestUsers(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		us := sqlstore.NewUserService(db)
		team, err := us.CreateTeam(ctx, "售前一组")
		if err != nil {
			t.Fatal(err)
		}
		_, err = us.CreateTeam(ctx, "售前一组")
		wantCode(t, err, safedesk.ECONFLICT)

		u := mustCreateUser(t, db, " Agent01@Demo.Example ", safedesk.RoleTrainee, team.ID)
		if u.Email != "agent01@demo.example" {
			t.Fatalf("email not normalised: %q", u.Email)
		}
		got, err := us.FindUserByEmail(ctx, "AGENT01@demo.example")
		if err != nil || got.ID != u.ID || got.TeamName != "售前一组" {
			t.Fatalf("FindUserByEmail = %+v, %v", got, err)
		}
		err = us.CreateUser(ctx, &safedesk.User{Email: "agent01@demo.example", Name: "Dup", Role: safedesk.RoleTrainee})
		wantCode(t, err, safedesk.ECONFLICT)
		err = us.CreateUser(ctx, &safedesk.User{Email: "not-an-email", Name: "X", Role: safedesk.RoleTrainee})
		wantCode(t, err, safedesk.EINVALID)
		err = us.CreateUser(ctx, &safedesk.User{Email: "x@demo.example", Name: "X", Role: "boss"})
		wantCode(t, err, safedesk.EINVALID)

		role, inactive := safedesk.RoleTrainer, false
		upd, err := us.UpdateUser(ctx, u.ID, safedesk.UserUpdate{Role: &role, Active: &inactive})
		if err != nil || upd.Role != safedesk.RoleTrainer || upd.Active {
			t.Fatalf("UpdateUser = %+v, %v", upd, err)
		}
		_, err = us.UpdateUser(ctx, "nope", safedesk.UserUpdate{Role: &role})
		wantCode(t, err, safedesk.ENOTFOUND)

		q := "agent01"
		list, total, err := us.FindUsers(ctx, safedesk.UserFilter{Query: q})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("FindUsers(query) = %d/%d, %v", len(list), total, err)
		}
		teams, err := us.FindTeams(ctx)
		if err != nil || len(teams) != 1 || teams[0].Members != 0 {
			t.Fatalf("FindTeams = %+v, %v (deactivated users are not members)", teams, err)
		}
	})
}

func TestImportUsersAllOrNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		us := sqlstore.NewUserService(db)
		if _, err := us.CreateTeam(ctx, "Night"); err != nil {
			t.Fatal(err)
		}
		mustCreateUser(t, db, "old@demo.example", safedesk.RoleTrainee, "")

		bad := []safedesk.ImportRow{
			{Line: 2, Name: "A", Email: "a@demo.example", Team: "Night", Role: "trainee"},
			{Line: 3, Name: "B", Email: "b@demo.example", Team: "Nowhere", Role: "trainee"},
			{Line: 4, Name: "C", Email: "c@demo", Team: "Night", Role: "trainee"},
		}
		_, err := us.ImportUsers(ctx, bad)
		var ie *safedesk.ImportError
		if !errors.As(err, &ie) || len(ie.Rows) != 2 || ie.Rows[0].Line != 3 || ie.Rows[0].Field != "team" || ie.Rows[1].Field != "email" {
			t.Fatalf("ImportUsers(bad) = %v %+v", err, ie)
		}
		if _, n, _ := us.FindUsers(ctx, safedesk.UserFilter{}); n != 1 {
			t.Fatalf("a refused import wrote %d users, want the 1 that existed", n)
		}

		good := []safedesk.ImportRow{
			{Line: 2, Name: "A", Email: "a@demo.example", Team: "Night", Role: "trainee", EmployeeNo: "E1"},
			{Line: 3, Name: "Old renamed", Email: "old@demo.example", Team: "", Role: "auditor"},
		}
		res, err := us.ImportUsers(ctx, good)
		if err != nil || res.Created != 1 || res.Updated != 1 {
			t.Fatalf("ImportUsers(good) = %+v, %v", res, err)
		}
		old, _ := us.FindUserByEmail(ctx, "old@demo.example")
		if old.Name != "Old renamed" || old.Role != safedesk.RoleAuditor {
			t.Fatalf("update by import: %+v", old)
		}

		// Employee numbers stay one person's each: against the file's earlier lines and
		// against people stored, unless the file renumbers them too.
		for _, c := range []struct {
			name  string
			rows  []safedesk.ImportRow
			lines []int // refused lines; none: accepted
		}{
			{"twice in the file", []safedesk.ImportRow{
				{Line: 2, Name: "D", Email: "d@demo.example", Role: "trainee", EmployeeNo: "E7"},
				{Line: 3, Name: "F", Email: "f@demo.example", Role: "trainee", EmployeeNo: "e7"},
			}, []int{3}},
			{"held by someone stored", []safedesk.ImportRow{
				{Line: 2, Name: "G", Email: "g@demo.example", Role: "trainee", EmployeeNo: "E1"},
			}, []int{2}},
			{"the holder keeps their own", []safedesk.ImportRow{
				{Line: 2, Name: "A", Email: "A@demo.example", Role: "trainee", EmployeeNo: "E1"},
			}, nil},
			{"a swap in one file", []safedesk.ImportRow{
				{Line: 2, Name: "A", Email: "a@demo.example", Role: "trainee", EmployeeNo: "E2"},
				{Line: 3, Name: "Old", Email: "old@demo.example", Role: "auditor", EmployeeNo: "E1"},
			}, nil},
		} {
			_, err := us.ImportUsers(ctx, c.rows)
			var ie *safedesk.ImportError
			errors.As(err, &ie)
			var lines []int
			if ie != nil {
				for _, r := range ie.Rows {
					if r.Field != "employee_no" {
						t.Errorf("%s: refusal names %q", c.name, r.Field)
					}
					lines = append(lines, r.Line)
				}
			} else if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if fmt.Sprint(lines) != fmt.Sprint(c.lines) {
				t.Errorf("%s: refused lines %v (%v), want %v", c.name, lines, err, c.lines)
			}
		}
		if a, _ := us.FindUserByEmail(ctx, "old@demo.example"); a.EmployeeNo != "E1" {
			t.Errorf("after the swap old@ has %q, want E1", a.EmployeeNo)
		}
	})
}

// TestEmployeeNumbersStayUnique: the store refuses an employee number someone else holds,
// compared without regard to case or surrounding space, on create and on update; empty
// numbers never clash, and a person may retype their own number.
func TestEmployeeNumbersStayUnique(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		us := sqlstore.NewUserService(db)
		create := func(email, no string) (*safedesk.User, error) {
			u := &safedesk.User{Email: email, Name: "Name " + email, EmployeeNo: no, Role: safedesk.RoleTrainee, Active: true}
			return u, us.CreateUser(ctx, u)
		}
		a, err := create("a@demo.example", "E1001")
		if err != nil {
			t.Fatal(err)
		}
		b, err := create("b@demo.example", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := create("c@demo.example", ""); err != nil {
			t.Errorf("a second person without a number: %v", err)
		}
		for _, no := range []string{"E1001", "e1001", " E1001 "} {
			_, err := create("d@demo.example", no)
			wantCode(t, err, safedesk.ECONFLICT)
			if e, ok := errors.AsType[*safedesk.Error](err); !ok || e.Field != "employee_no" {
				t.Errorf("refusal of %q does not name the field: %v", no, err)
			}
		}
		set := func(u *safedesk.User, no string) error {
			_, err := us.UpdateUser(ctx, u.ID, safedesk.UserUpdate{EmployeeNo: &no})
			return err
		}
		wantCode(t, set(b, "e1001"), safedesk.ECONFLICT)
		if err := set(a, "e1001"); err != nil {
			t.Errorf("retyping one's own number: %v", err)
		}
		if err := set(b, "E1002"); err != nil {
			t.Errorf("a free number: %v", err)
		}
		if got, _ := us.FindUserByID(ctx, b.ID); got.EmployeeNo != "E1002" {
			t.Errorf("b's number = %q", got.EmployeeNo)
		}
	})
}

// TestEmployeeNumbersUniqueUnderRace: people created at the same moment with the same
// number (two trainers adding the same agent, an import beside a form) end with one
// holder. On PostgreSQL each transaction sees only what was committed before it, so the
// check alone would let every one of them through.
func TestEmployeeNumbersUniqueUnderRace(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		us := sqlstore.NewUserService(db)
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				errs <- us.CreateUser(ctx, &safedesk.User{Email: fmt.Sprintf("race%d@demo.example", i), Name: "Race",
					EmployeeNo: "E7007", Role: safedesk.RoleTrainee, Active: true})
			}()
		}
		created := 0
		for range n {
			if err := <-errs; err == nil {
				created++
			} else {
				wantCode(t, err, safedesk.ECONFLICT)
			}
		}
		if created != 1 {
			t.Errorf("%d people created with the same employee number, want 1", created)
		}
	})
}
