package http_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

// formPage posts a form as role in lang (a session that passed MFA, with its CSRF token)
// and returns the status, the page with its HTML entities decoded, and the CSRF token.
func (e *testEnv) formPage(role, lang, path string, form url.Values) (int, string, string) {
	e.t.Helper()
	c, csrf := e.session(role)
	form = cloneValues(form)
	form.Set("csrf", csrf)
	req := e.req("POST", path, form.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c)
	req.AddCookie(&http.Cookie{Name: "sd_lang", Value: lang})
	st, body, _ := e.do(req)
	return st, html.UnescapeString(body), csrf
}

// postedForm returns the form of page that posts to action.
func postedForm(page, action string) string {
	i := strings.Index(page, `<form method="post" action="`+action+`"`)
	if i < 0 {
		return ""
	}
	end := strings.Index(page[i:], "</form>")
	if end < 0 {
		return page[i:]
	}
	return page[i : i+end]
}

var (
	valueAttr      = regexp.MustCompile(`\bvalue="([^"]*)"`)
	selectedOption = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// shown returns what the input, select or checkbox named name shows in form ("on" for a
// ticked checkbox), and whether the form has it at all.
func shown(form, name string) (string, bool) {
	i := strings.Index(form, ` name="`+name+`"`)
	if i < 0 {
		return "", false
	}
	start := strings.LastIndex(form[:i], "<")
	if strings.HasPrefix(form[start:], "<select") {
		end := strings.Index(form[start:], "</select>")
		if m := selectedOption.FindStringSubmatch(form[start : start+end]); m != nil {
			return m[1], true
		}
		return "", true
	}
	tag := form[start : i+strings.Index(form[i:], ">")]
	if strings.Contains(tag, `type="checkbox"`) {
		if strings.Contains(tag, " checked") {
			return "on", true
		}
		return "", true
	}
	if m := valueAttr.FindStringSubmatch(tag); m != nil {
		return m[1], true
	}
	return "", true
}

// besideField reports whether msg is shown once, just before the input or select named
// name, and that control is marked invalid.
func besideField(page, form, msg, name string) bool {
	if strings.Count(page, msg) != 1 {
		return false
	}
	at := strings.Index(form, ` name="`+name+`"`)
	if at < 0 {
		return false
	}
	start := strings.LastIndex(form[:at], "<")
	tag := form[start : at+strings.Index(form[at:], ">")]
	if !strings.Contains(tag, `aria-invalid="true"`) {
		return false
	}
	m, c := strings.Index(page, msg), strings.Index(page, form)+start
	return m < c && c-(m+len(msg)) < 300
}

// refusal is one form post that must be refused and shown again.
type refusal struct {
	name   string
	role   string // who posts
	form   url.Values
	status int
	field  string
	zh, en string   // the message in each language
	kept   []string // the inputs that must show what was typed
}

// checkRefusal posts the case in Chinese and in English and checks the page that comes
// back: the status, the form with the session's CSRF token, the message beside the field,
// the values as typed and no trace of the password.
func (e *testEnv) checkRefusal(t *testing.T, c refusal, path, action string) {
	t.Helper()
	for _, lang := range []string{safedesk.LangZH, safedesk.LangEN} {
		st, page, csrf := e.formPage(c.role, lang, path, c.form)
		if st != c.status {
			t.Fatalf("%s: status %d, want %d\n%s", lang, st, c.status, page)
		}
		form := postedForm(page, action)
		if form == "" {
			t.Fatalf("%s: the form is not shown again\n%s", lang, page)
		}
		if v, _ := shown(form, "csrf"); v != csrf {
			t.Errorf("%s: the form's CSRF token is %q, want the session's", lang, v)
		}
		msg := c.zh
		if lang == safedesk.LangEN {
			msg = c.en
		}
		if !besideField(page, form, msg, c.field) {
			t.Errorf("%s: %q is not shown beside a marked %s\n%s", lang, msg, c.field, form)
		}
		for _, k := range c.kept {
			if got, _ := shown(form, k); got != c.form.Get(k) {
				t.Errorf("%s: %s shows %q, want %q as typed", lang, k, got, c.form.Get(k))
			}
		}
		if pw := c.form.Get("password"); pw != "" && strings.Contains(page, pw) {
			t.Errorf("%s: the page echoes the password", lang)
		}
		if v, ok := shown(form, "password"); ok && v != "" {
			t.Errorf("%s: the password input holds %q", lang, v)
		}
	}
}

func userCount(t *testing.T, e *testEnv) int {
	t.Helper()
	_, n, err := sqlstore.NewUserService(e.db).FindUsers(context.Background(), safedesk.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestUserCreateFormRefusals checks that a refused new person comes back as typed, with
// the reason beside the field at fault, and that nobody was created.
func TestUserCreateFormRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	us := sqlstore.NewUserService(e.db)
	if _, err := us.UpdateUser(ctx, e.users["auditor"].ID, safedesk.UserUpdate{EmployeeNo: ptr("E1001")}); err != nil {
		t.Fatal(err)
	}
	team := e.users["trainee"].TeamID
	typed := func(change map[string]string) url.Values {
		v := url.Values{"name": {"王小明"}, "email": {"wang.xm@test.example"}, "team": {team}, "role": {"trainee"},
			"employee_no": {"E2002"}, "password": {"Horse-Staple-9931"}}
		for k, x := range change {
			v.Set(k, x)
		}
		return v
	}
	all := []string{"name", "email", "team", "role", "employee_no"}
	cases := []refusal{
		{name: "bad e-mail", role: "admin", form: typed(map[string]string{"email": "wang@shop"}), status: 400, field: "email",
			zh: `"wang@shop" 不是有效的邮箱地址。`, en: `"wang@shop" is not a valid e-mail address.`, kept: all},
		{name: "e-mail taken", role: "admin", form: typed(map[string]string{"email": "trainee@test.example"}), status: 409, field: "email",
			zh: "邮箱 trainee@test.example 已被其他人员使用。", en: "A user with the e-mail trainee@test.example already exists.", kept: all},
		{name: "employee number taken", role: "admin", form: typed(map[string]string{"employee_no": "e1001"}), status: 409, field: "employee_no",
			zh: "工号 e1001 已被其他人员使用。", en: "Another person already has the employee number e1001.", kept: all},
		{name: "no name", role: "trainer", form: typed(map[string]string{"name": "  "}), status: 400, field: "name",
			zh: "请填写姓名。", en: "Name is required.", kept: all},
		{name: "short password", role: "admin", form: typed(map[string]string{"password": "short-pw"}), status: 400, field: "password",
			zh: "密码至少需要 10 个字符。", en: "The password must have at least 10 characters.", kept: all},
		{name: "unknown team", role: "admin", form: typed(map[string]string{"team": "no-such-team"}), status: 400, field: "team",
			zh: "没有这个团队，请从列表中选择。", en: "There is no such team; choose one from the list.", kept: []string{"name", "email", "role", "employee_no"}},
		{name: "trainer grants admin", role: "trainer", form: typed(map[string]string{"role": "admin"}), status: 403, field: "role",
			zh: "只有管理员可以授予这个角色。", en: "Only an admin may grant this role.", kept: all},
	}
	before := userCount(t, e)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.checkRefusal(t, c, "/admin/users", "/admin/users")
			if n := userCount(t, e); n != before {
				t.Fatalf("%d people after a refused create, want %d", n, before)
			}
		})
	}
	// Corrected, the same form goes through.
	st, _, _ := e.formPage("admin", safedesk.LangZH, "/admin/users", typed(nil))
	if st != http.StatusSeeOther || userCount(t, e) != before+1 {
		t.Fatalf("corrected form: %d", st)
	}
}

func ptr[T any](v T) *T { return &v }

// TestUserEditFormRefusals checks the same for a change to a person, and that the stored
// person did not change.
func TestUserEditFormRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	us := sqlstore.NewUserService(e.db)
	if _, err := us.UpdateUser(ctx, e.users["auditor"].ID, safedesk.UserUpdate{EmployeeNo: ptr("E1001")}); err != nil {
		t.Fatal(err)
	}
	trainee, admin := e.users["trainee"], e.users["admin"]
	typed := func(u *safedesk.User, change map[string]string) url.Values {
		v := url.Values{"name": {"改过的名字"}, "employee_no": {"E3003"}, "team": {u.TeamID}, "role": {u.Role}, "active": {"on"}}
		for k, x := range change {
			if x == "" {
				v.Del(k)
			} else {
				v.Set(k, x)
			}
		}
		return v
	}
	all := []string{"name", "employee_no", "team", "role", "active"}
	cases := []struct {
		refusal
		who *safedesk.User
	}{
		{refusal{name: "no name", role: "admin", form: typed(trainee, map[string]string{"name": " "}), status: 400, field: "name",
			zh: "请填写姓名。", en: "Name is required.", kept: all}, trainee},
		{refusal{name: "unknown team", role: "trainer", form: typed(trainee, map[string]string{"team": "no-such-team"}), status: 400, field: "team",
			zh: "没有这个团队，请从列表中选择。", en: "There is no such team; choose one from the list.", kept: []string{"name", "employee_no", "role", "active"}}, trainee},
		{refusal{name: "employee number taken", role: "admin", form: typed(trainee, map[string]string{"employee_no": "E1001"}), status: 409, field: "employee_no",
			zh: "工号 E1001 已被其他人员使用。", en: "Another person already has the employee number E1001.", kept: all}, trainee},
		{refusal{name: "trainer promotes", role: "trainer", form: typed(trainee, map[string]string{"role": "auditor"}), status: 403, field: "role",
			zh: "只有管理员可以授予这个角色。", en: "Only an admin may grant this role.", kept: all}, trainee},
		{refusal{name: "admin demotes themself", role: "admin", form: typed(admin, map[string]string{"role": "trainer"}), status: 403, field: "role",
			zh: "您不能取消自己的管理员角色，请让其他管理员操作。", en: "You cannot remove your own admin role; ask another admin.", kept: all}, admin},
		{refusal{name: "admin deactivates themself", role: "admin", form: typed(admin, map[string]string{"active": ""}), status: 403, field: "active",
			zh: "您不能停用自己的账号。", en: "You cannot deactivate yourself.", kept: all}, admin},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, err := us.FindUserByID(ctx, c.who.ID)
			if err != nil {
				t.Fatal(err)
			}
			path := "/admin/users/" + c.who.ID
			e.checkRefusal(t, c.refusal, path, path)
			after, err := us.FindUserByID(ctx, c.who.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.Name != before.Name || after.EmployeeNo != before.EmployeeNo || after.TeamID != before.TeamID ||
				after.Role != before.Role || after.Active != before.Active || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Fatalf("a refused change was stored: %+v, was %+v", after, before)
			}
		})
	}
	// An edit of someone the trainer may not manage at all is refused on the error page, in
	// the reader's language.
	st, page, _ := e.formPage("trainer", safedesk.LangZH, "/admin/users/"+e.users["auditor"].ID, typed(e.users["auditor"], nil))
	if st != 403 || !strings.Contains(page, "只有管理员可以修改这位人员。") {
		t.Fatalf("trainer editing an auditor: %d\n%s", st, page)
	}
	// Corrected, the form goes through.
	if st, _, _ := e.formPage("admin", safedesk.LangZH, "/admin/users/"+trainee.ID, typed(trainee, nil)); st != http.StatusSeeOther {
		t.Fatalf("corrected form: %d", st)
	}
}

// TestTeamCreateFormRefusals checks that a refused team name comes back as typed with the
// reason beside it, and that no team was created.
func TestTeamCreateFormRefusals(t *testing.T) {
	e := newEnv(t)
	us := sqlstore.NewUserService(e.db)
	count := func() int {
		teams, err := us.FindTeams(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(teams)
	}
	long := strings.Repeat("长", safedesk.MaxNameLen+1)
	cases := []refusal{
		{name: "no name", role: "admin", form: url.Values{"name": {"   "}}, status: 400, field: "name",
			zh: "团队名称不能为空，且不超过 100 个字。", en: "A team needs a name of at most 100 characters.", kept: []string{"name"}},
		{name: "name too long", role: "trainer", form: url.Values{"name": {long}}, status: 400, field: "name",
			zh: "团队名称不能为空，且不超过 100 个字。", en: "A team needs a name of at most 100 characters.", kept: []string{"name"}},
		{name: "name taken", role: "admin", form: url.Values{"name": {"Team A"}}, status: 409, field: "name",
			zh: "已有名为 Team A 的团队。", en: "A team named Team A already exists.", kept: []string{"name"}},
	}
	before := count()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.checkRefusal(t, c, "/admin/teams", "/admin/teams")
			if n := count(); n != before {
				t.Fatalf("%d teams after a refused create, want %d", n, before)
			}
		})
	}
	if st, _, _ := e.formPage("admin", safedesk.LangZH, "/admin/teams", url.Values{"name": {"夜班"}}); st != http.StatusSeeOther || count() != before+1 {
		t.Fatalf("corrected form: %d", st)
	}
}

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

// TestRoleChoicesFollowWhatMayBeGranted: the create and edit forms offer a trainer the
// trainee role only, and an admin every role.
func TestRoleChoicesFollowWhatMayBeGranted(t *testing.T) {
	e := newEnv(t)
	options := func(role, path, action string) []string {
		t.Helper()
		c, _ := e.session(role)
		req := e.req("GET", path, "")
		req.AddCookie(c)
		st, body, _ := e.do(req)
		if st != http.StatusOK {
			t.Fatalf("%s GET %s: %d", role, path, st)
		}
		form := postedForm(body, action)
		i := strings.Index(form, `<select name="role"`)
		if i < 0 {
			t.Fatalf("%s: no role choice in the form of %s", role, path)
		}
		sel := form[i : i+strings.Index(form[i:], "</select>")]
		var got []string
		for _, m := range regexp.MustCompile(`<option value="([^"]*)"`).FindAllStringSubmatch(sel, -1) {
			got = append(got, m[1])
		}
		return got
	}
	trainee := e.users[safedesk.RoleTrainee].ID
	for _, c := range []struct{ path, action string }{{"/admin/users", "/admin/users"}, {"/admin/users/" + trainee, "/admin/users/" + trainee}} {
		if got := options(safedesk.RoleTrainer, c.path, c.action); strings.Join(got, ",") != safedesk.RoleTrainee {
			t.Errorf("trainer offered %v at %s, want trainee only", got, c.path)
		}
		if got := options(safedesk.RoleAdmin, c.path, c.action); len(got) != len(safedesk.Roles) {
			t.Errorf("admin offered %v at %s, want every role", got, c.path)
		}
	}
}
