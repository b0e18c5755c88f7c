package http_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"safedesk"
	"safedesk/sqlstore"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	_, _, h := e.do(e.req("GET", "/login", ""))
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
}

func TestLoginFormAndCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.browser("trainee")
	resp, err := c.Get(e.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "我的学习") {
		t.Fatalf("home after sign-in: %d", resp.StatusCode)
	}
	// A form post without the CSRF token is refused even with a valid session.
	resp, _ = c.PostForm(e.srv.URL+"/notifications/read", url.Values{})
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("post without CSRF token: %d, want 403", resp.StatusCode)
	}
	// A cross-site post is refused before it reaches the handler.
	req, _ := http.NewRequest("POST", e.srv.URL+"/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, _ = c.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("cross-site post: %d, want 403", resp.StatusCode)
	}
	// Wrong password: 401 with the form again, and the attempt is audited.
	resp, _ = http.PostForm(e.srv.URL+"/login", url.Values{"login": {"trainee@test.example"}, "password": {"nope-nope-nope"}})
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(body), "登录邮箱或密码不正确") {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	entries, _, _ := sqlstore.NewAuditService(e.db).FindAudit(context.Background(), safedesk.AuditFilter{Action: safedesk.AuditSignInFailed})
	if len(entries) != 1 {
		t.Fatalf("failed sign-ins audited: %d", len(entries))
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	var last int
	for i := 0; i < 12; i++ {
		last, _ = e.api("", "POST", "/api/v1/auth/login", map[string]string{"login": "trainee@test.example", "password": "guess-" + string(rune('a'+i))})
	}
	if last != 429 {
		t.Fatalf("12th wrong password: %d, want 429", last)
	}
	// The right password is refused too while the account is cooling down.
	if st, _ := e.api("", "POST", "/api/v1/auth/login", map[string]string{"login": "trainee@test.example", "password": testPassword}); st != 429 {
		t.Fatalf("right password during lock-out: %d, want 429", st)
	}
	// Another account from elsewhere is unaffected.
	if st, _ := e.api("", "POST", "/api/v1/auth/login", map[string]string{"login": "auditor@test.example", "password": testPassword}); st != 200 {
		t.Fatalf("another account: %d", st)
	}
}

func TestAPILoginAsksForOTPOnceEnrolled(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key, _ := totp.Generate(totp.GenerateOpts{Issuer: "SafeDesk", AccountName: "trainer@test.example"})
	sqlstore.NewUserService(e.db).SetMFA(ctx, e.users["trainer"].ID, key.Secret(), true)
	st, body := e.api("", "POST", "/api/v1/auth/login", map[string]string{"login": "trainer@test.example", "password": testPassword})
	if st != 401 || !strings.Contains(body["error"].(map[string]any)["message"].(string), "otp") {
		t.Fatalf("without otp: %d %v", st, body)
	}
	code, _ := totp.GenerateCode(key.Secret(), time.Now())
	st, body = e.api("", "POST", "/api/v1/auth/login", map[string]string{"login": "trainer@test.example", "password": testPassword, "otp": code})
	if st != 200 || body["token"] == "" {
		t.Fatalf("with otp: %d %v", st, body)
	}
	tok := body["token"].(string)
	st, me := e.api(tok, "GET", "/api/v1/me", nil)
	if st != 200 || me["roles"].([]any)[0] != "trainer" {
		t.Fatalf("me = %d %v", st, me)
	}
	// A check-scoped token reaches the check and nothing else.
	check := e.token("trainee", safedesk.ScopeCheck)
	if st, _ := e.api(check, "POST", "/api/v1/check", map[string]string{"role": "agent", "text": "hi"}); st != 200 {
		t.Fatalf("check with a check token: %d", st)
	}
	if st, _ := e.api(check, "GET", "/api/v1/courses", nil); st != 403 {
		t.Fatalf("courses with a check token: %d, want 403", st)
	}
}

func multipartFile(t *testing.T, csrf, name string, data []byte) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", csrf)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	return &buf, w.FormDataContentType()
}

func TestImportPageReportsEveryBadRow(t *testing.T) {
	e := newEnv(t)
	cookie, csrf := e.session("trainer")
	csv := "姓名,邮箱,团队,角色,工号\n张三,zhang@shop.example,Team A,学员,E1\n李四,li@shop,Team A,学员,E2\n王五,wang@shop.example,Nowhere,学员,E3\n赵六,zhao@shop.example,Team A,管理员,E4\n"
	body, ct := multipartFile(t, csrf, "staff.csv", []byte(csv))
	req := e.req("POST", "/admin/import", "")
	req.Body = io.NopCloser(body)
	req.Header.Set("Content-Type", ct)
	req.AddCookie(cookie)
	st, page, _ := e.do(req)
	if st != 400 {
		t.Fatalf("bad import: %d", st)
	}
	for _, want := range []string{"<td>3</td><td>email</td>", "<td>4</td><td>team</td>", "<td>5</td><td>role</td>", "未导入任何人员"} {
		if !strings.Contains(page, want) {
			t.Errorf("import report lacks %q", want)
		}
	}
	if _, n, _ := sqlstore.NewUserService(e.db).FindUsers(context.Background(), safedesk.UserFilter{}); n != 4 {
		t.Fatalf("a refused import wrote users: %d", n)
	}
	// A trainer may not import an admin, even in an otherwise good file.
	good := "name,email,team,role\nZhao,zhao@shop.example,Team A,admin\n"
	req = e.req("POST", "/api/v1/users/import", good)
	req.Header.Set("Authorization", "Bearer "+e.token("trainer", "api"))
	if st, b, _ := e.do(req); st != 400 || !strings.Contains(b, "Only an admin") {
		t.Fatalf("trainer importing an admin: %d %s", st, b)
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

func TestContentUploadRefusesBrokenPack(t *testing.T) {
	e := newEnv(t)
	cookie, csrf := e.session("admin")
	z := zipOf(t, map[string]string{"mypack/pack.yaml": "id: default\nversion: 9.0.0\ntitle: {zh-CN: 甲}\n"})
	body, ct := multipartFile(t, csrf, "pack.zip", z)
	req := e.req("POST", "/admin/content", "")
	req.Body = io.NopCloser(body)
	req.Header.Set("Content-Type", ct)
	req.AddCookie(cookie)
	st, page, _ := e.do(req)
	if st != 400 || !strings.Contains(page, "pack.yaml:3") || !strings.Contains(page, "title.en") {
		t.Fatalf("broken pack upload: %d\n%.500s", st, page)
	}
	st, courses := e.api(e.token("admin", "api"), "GET", "/api/v1/audit?action=course.pack_installed", nil)
	if st != 200 || courses["total"].(float64) != 1 { // the default pack, installed by the set-up
		t.Fatalf("a refused pack was recorded as installed: %v", courses)
	}
}

func TestTrainerCannotPromote(t *testing.T) {
	e := newEnv(t)
	tok := e.token("trainer", "api")
	st, _ := e.api(tok, "PATCH", "/api/v1/users/"+e.users["trainee"].ID, map[string]any{"role": "admin"})
	if st != 403 {
		t.Fatalf("trainer promoting a trainee to admin: %d, want 403", st)
	}
	st, _ = e.api(tok, "PATCH", "/api/v1/users/"+e.users["auditor"].ID, map[string]any{"name": "X"})
	if st != 403 {
		t.Fatalf("trainer editing an auditor: %d, want 403", st)
	}
	st, u := e.api(tok, "POST", "/api/v1/users", map[string]any{"name": "New", "email": "new@test.example", "role": "trainee", "password": "a-long-password"})
	if st != 201 || u["email"] != "new@test.example" {
		t.Fatalf("trainer creating a trainee: %d %v", st, u)
	}
	admin := e.token("admin", "api")
	if st, _ := e.api(admin, "PATCH", "/api/v1/users/"+e.users["admin"].ID, map[string]any{"active": false}); st != 403 {
		t.Fatalf("admin deactivating themself: %d, want 403", st)
	}
}
