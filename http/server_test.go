package http_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safedesk"
	"safedesk/content"
	"safedesk/drill"
	sdhttp "safedesk/http"
	"safedesk/passwd"
	"safedesk/risk"
	"safedesk/sqlstore"
)

const testPassword = "correct-horse-battery"

// testEnv is a real server on a real SQLite store, with one user per role.
type testEnv struct {
	t      testing.TB
	srv    *httptest.Server
	s      *sdhttp.Server
	db     *sqlstore.DB
	users  map[string]*safedesk.User // by role
	auth   *sqlstore.AuthService
	lesson string
}

// fakeCertifier signs nothing; it lets the routes that need a certifier run.
type fakeCertifier struct{}

func (fakeCertifier) Issue(u *safedesk.User, e *safedesk.Exam, a *safedesk.Attempt, p *safedesk.Pack, now time.Time) (*safedesk.Certificate, error) {
	return &safedesk.Certificate{Code: "TEST-" + a.ID[:9], UserID: u.ID, Holder: u.Name, CourseID: p.ID, CourseTitle: p.Title,
		CourseVersion: p.Version, ExamID: e.ID, AttemptID: a.ID, IssuedAt: now, ExpiresAt: now.AddDate(1, 0, 0), KeyID: "k", Payload: "{}", Signature: "s"}, nil
}
func (fakeCertifier) Verify(c *safedesk.Certificate, now time.Time) (string, error) {
	return c.StatusAt(now), nil
}
func (fakeCertifier) RenderPDF(w io.Writer, c *safedesk.Certificate, url string) error {
	_, err := io.WriteString(w, "%PDF-fake "+c.Holder)
	return err
}
func (fakeCertifier) KeySet() ([]byte, error)                { return []byte(`{"keys":[]}`), nil }
func (fakeCertifier) NormalizeCode(s string) (string, error) { return strings.ToUpper(s), nil }
func (fakeCertifier) MaskName(n string) string               { return "*" }

// engineChecker is cmd/safedesk's adapter of the risk engine to the server's Checker.
type engineChecker struct{ e *risk.Engine }

func (c engineChecker) AppendCheckJSON(dst []byte, role, text string) ([]byte, error) {
	r, err := risk.ParseRole(role)
	if err != nil {
		return dst, safedesk.FieldError("role", "%s", err.Error())
	}
	return c.e.AppendCheck(dst, r, text), nil
}

func newEnv(t testing.TB) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "t.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	courses := sqlstore.NewCourseService(db)
	catalog := content.NewCatalog(courses)
	exams := sqlstore.NewExamService(db)
	catalog.Exams = exams
	files, err := content.ReadFiles(content.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := catalog.Install(ctx, files, "test"); err != nil {
		t.Fatal(err)
	}
	rk := riskEngine(t)
	e := &testEnv{t: t, db: db, users: map[string]*safedesk.User{}, auth: sqlstore.NewAuthService(db)}
	us := sqlstore.NewUserService(db)
	team, err := us.CreateTeam(ctx, "Team A")
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := passwd.Hash(testPassword, passwd.Default)
	for _, role := range safedesk.Roles {
		u := &safedesk.User{Email: role + "@test.example", Name: "Test " + role, Role: role, Active: true, PasswordHash: hash, TeamID: team.ID}
		if err := us.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	live, _ := catalog.Live(ctx)
	e.lesson = live[0].Pack.Chapters[0].Lessons[0].ID
	e.s = &sdhttp.Server{Users: us, Auth: e.auth, Audit: sqlstore.NewAuditService(db), Courses: courses,
		Notifications: sqlstore.NewNotificationService(db), Catalog: catalog, Checker: engineChecker{rk}, Ping: db.Ping,
		Exams: exams, Certificates: sqlstore.NewCertificateService(db), Certifier: fakeCertifier{},
		Drills: sqlstore.NewDrillService(db), DrillEngine: drill.New(rk)}
	if err := e.s.Init(); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(e.s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func riskEngine(t testing.TB) *risk.Engine {
	e, err := risk.New(risk.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// session creates a browser session for role that has passed MFA, and returns its cookie
// and CSRF token.
func (e *testEnv) session(role string) (*http.Cookie, string) {
	e.t.Helper()
	secret := safedesk.NewID() + safedesk.NewID()
	csrf := safedesk.NewID()
	u := e.users[role]
	if safedesk.MFARequired(role) && !u.MFAEnabled {
		sqlstore.NewUserService(e.db).SetMFA(context.Background(), u.ID, "JBSWY3DPEHPK3PXP", true)
		u.MFAEnabled = true
	}
	now := time.Now()
	if err := e.auth.CreateSession(context.Background(), &safedesk.Session{ID: sum(secret), UserID: u.ID, CSRF: csrf, MFAPassed: true,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
	return &http.Cookie{Name: "sd_session", Value: secret}, csrf
}

// token creates an API token for role with the scopes.
func (e *testEnv) token(role string, scopes ...string) string {
	e.t.Helper()
	secret := safedesk.NewID() + safedesk.NewID()
	now := time.Now()
	if err := e.auth.CreateToken(context.Background(), &safedesk.Token{UserID: e.users[role].ID, Name: "t", Scopes: scopes,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, sum(secret)); err != nil {
		e.t.Fatal(err)
	}
	return secret
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// do sends a request and returns status and body.
func (e *testEnv) do(req *http.Request) (int, string, http.Header) {
	e.t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (e *testEnv) req(method, path, body string) *http.Request {
	r, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *testEnv) api(tok, method, path string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	r, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	r.Header.Set("Content-Type", "application/json")
	st, b, _ := e.do(r)
	var m map[string]any
	json.Unmarshal([]byte(b), &m)
	return st, m
}

// browser returns a client with a cookie jar, signed in through the real login form.
func (e *testEnv) browser(role string) *http.Client {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect}
	resp, err := c.PostForm(e.srv.URL+"/login", url.Values{"login": {role + "@test.example"}, "password": {testPassword}})
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login as %s: status %d", role, resp.StatusCode)
	}
	return c
}

func (e *testEnv) apiList(tok, method, path string) (int, []map[string]any) {
	e.t.Helper()
	r, _ := http.NewRequest(method, e.srv.URL+path, nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	st, b, _ := e.do(r)
	var m []map[string]any
	json.Unmarshal([]byte(b), &m)
	return st, m
}
