package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"safedesk"
	"safedesk/sqlstore"
)

// registerEnv is a test server with four certificates, one per status, held by people in
// two teams, one of them to be renewed.
type registerEnv struct {
	*testEnv
	certs   *sqlstore.CertificateService
	teamB   *safedesk.Team
	li      *safedesk.User
	valid   *safedesk.Certificate // 李四, team B, to recertify
	soon    *safedesk.Certificate // the trainee, team A, expiring
	expired *safedesk.Certificate // no team, a holder named like a formula
	revoked *safedesk.Certificate // team B
}

// issueCert passes an exam with unlimited attempts for u and stores the certificate the
// grading issues, with the holder name and dates given.
func (e *testEnv) issueCert(u *safedesk.User, holder string, issued, expires time.Time) *safedesk.Certificate {
	e.t.Helper()
	ctx := context.Background()
	exams := sqlstore.NewExamService(e.db)
	exam := &safedesk.Exam{ID: "default-register-test", CourseID: "default", Kind: safedesk.ExamCertification,
		Title: safedesk.Text{"en": "Register test"}, Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch01", Count: 1}},
		PassMark: 80, TimeLimit: time.Hour, Review: "answers", MultipleChoice: "all_or_nothing", ValidityMonths: 12}
	if err := exams.UpsertExam(ctx, exam); err != nil {
		e.t.Fatal(err)
	}
	a, err := exams.StartAttempt(ctx, &safedesk.Attempt{ExamID: exam.ID, UserID: u.ID, VersionID: "v", Lang: "en",
		Paper: json.RawMessage(`{"items":[]}`), Deadline: time.Now().Add(time.Hour)}, exam)
	if err != nil {
		e.t.Fatal(err)
	}
	_, c, err := exams.SubmitAttempt(ctx, a.ID, false, func(a *safedesk.Attempt, _ map[string]json.RawMessage) (*safedesk.Grading, error) {
		return &safedesk.Grading{Score: 100, Passed: true, Results: json.RawMessage(`[]`), Certificate: &safedesk.Certificate{
			Code: "REG-" + strings.ToUpper(a.ID[:8]), UserID: u.ID, Holder: holder, CourseID: "default",
			CourseTitle: safedesk.Text{"zh-CN": "电商客服安全培训", "en": "E-commerce CS Security"}, CourseVersion: "1.0.0",
			ExamID: "default-certification", AttemptID: a.ID, IssuedAt: issued, ExpiresAt: expires, KeyID: "k", Payload: "{}", Signature: "s"}}, nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func newRegisterEnv(t *testing.T) *registerEnv {
	t.Helper()
	e := &registerEnv{testEnv: newEnv(t)}
	ctx := context.Background()
	us := sqlstore.NewUserService(e.db)
	e.certs = sqlstore.NewCertificateService(e.db)
	var err error
	if e.teamB, err = us.CreateTeam(ctx, "Team B"); err != nil {
		t.Fatal(err)
	}
	person := func(email, name, team string) *safedesk.User {
		u := &safedesk.User{Email: email, Name: name, Role: safedesk.RoleTrainee, Active: true, TeamID: team, EmployeeNo: "E-" + name}
		if err := us.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.li = person("lisi@corp.example", "李四", e.teamB.ID)
	zhang := person("zhang@corp.example", "张三", "")
	wang := person("wang@corp.example", "王五", e.teamB.ID)
	now := time.Now()
	e.valid = e.issueCert(e.li, "李四", now.AddDate(0, -1, 0), now.AddDate(0, 0, 200))
	e.soon = e.issueCert(e.users["trainee"], e.users["trainee"].Name, now.AddDate(-1, 0, 10), now.AddDate(0, 0, 10))
	e.expired = e.issueCert(zhang, "=HYPERLINK(\"http://evil.example\")", now.AddDate(-1, 0, -1), now.AddDate(0, 0, -1))
	e.revoked = e.issueCert(wang, "王五", now.AddDate(0, -2, 0), now.AddDate(0, 0, 100))
	if _, err := e.certs.RevokeCertificate(ctx, e.revoked.Code, "shared answers"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.certs.MarkRecertify(ctx, safedesk.CertificateFilter{Codes: []string{e.valid.Code}}, now.AddDate(0, 0, 90),
		safedesk.MajorVersionReason("2.0.0")); err != nil {
		t.Fatal(err)
	}
	return e
}

// get sends a GET with a token (API) or a session (page) of role and returns status, body
// and headers.
func (e *registerEnv) get(role, path, lang string) (int, []byte, http.Header) {
	e.t.Helper()
	req := e.req("GET", path, "")
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+e.token(role, "api"))
	} else {
		c, _ := e.session(role)
		req.AddCookie(c)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
		req.AddCookie(&http.Cookie{Name: "sd_lang", Value: lang})
	}
	st, body, hdr := e.do(req)
	return st, []byte(body), hdr
}

type registerJSON struct {
	Total   int                    `json:"total"`
	Counts  map[string]int         `json:"counts"`
	Entries []map[string]any       `json:"entries"`
	Error   *struct{ Code string } `json:"error"`
}

func (e *registerEnv) register(role, query string) (int, registerJSON) {
	e.t.Helper()
	st, body, _ := e.get(role, "/api/v1/certificates/register"+query, "en")
	var out registerJSON
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatalf("register%s: %d %s", query, st, body)
	}
	return st, out
}

func entryCodes(entries []map[string]any) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e["code"].(string))
	}
	slices.Sort(out)
	return out
}

func TestRegisterAPI(t *testing.T) {
	e := newRegisterEnv(t)
	st, all := e.register("trainer", "")
	want := map[string]int{"valid": 1, "expiring": 1, "expired": 1, "revoked": 1, "recertify": 1, "total": 4}
	if st != 200 || all.Total != 4 || len(all.Entries) != 4 || !mapsEqual(all.Counts, want) {
		t.Fatalf("register = %d %+v", st, all)
	}
	byCode := map[string]map[string]any{}
	for _, en := range all.Entries {
		byCode[en["code"].(string)] = en
	}
	li := byCode[e.valid.Code]
	if li["holder"] != "李四" || li["email"] != "lisi@corp.example" || li["team"] != "Team B" || li["status"] != "valid" ||
		li["employee_no"] != "E-李四" || li["recertify_by"] == nil || li["recertify_reason"] != "the course has a new major version, 2.0.0" ||
		li["course"] != "E-commerce CS Security" {
		t.Errorf("李四's entry = %v", li)
	}
	if byCode[e.soon.Code]["status"] != "expiring" || byCode[e.expired.Code]["status"] != "expired" ||
		byCode[e.revoked.Code]["status"] != "revoked" || byCode[e.revoked.Code]["revoke_reason"] != "shared answers" {
		t.Errorf("statuses: %v", byCode)
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?team=" + e.teamB.ID, []string{e.valid.Code, e.revoked.Code}},
		{"?team=" + e.teamB.ID + "&status=revoked", []string{e.revoked.Code}},
		{"?status=expiring", []string{e.soon.Code}},
		{"?status=recertify", []string{e.valid.Code}},
		{"?course=default&status=expired", []string{e.expired.Code}},
		{"?course=other", nil},
		{"?limit=1&offset=3", []string{all.Entries[3]["code"].(string)}},
	} {
		st, got := e.register("admin", tc.query)
		if w := slices.Sorted(slices.Values(tc.want)); st != 200 || !slices.Equal(entryCodes(got.Entries), w) {
			t.Errorf("%s: %d %v, want %v", tc.query, st, entryCodes(got.Entries), w)
		}
	}
	_, teamB := e.register("admin", "?team="+e.teamB.ID+"&status=revoked")
	if teamB.Total != 1 || teamB.Counts["valid"] != 1 || teamB.Counts["total"] != 2 {
		t.Errorf("team B counts follow the team but not the status: %+v", teamB)
	}
	for _, q := range []string{"?status=bogus", "?limit=0", "?limit=5000", "?offset=x"} {
		if st, got := e.register("admin", q); st != 400 || got.Error == nil || got.Error.Code != "invalid" {
			t.Errorf("%s: %d %+v, want 400", q, st, got)
		}
	}

	// Auditors see names, but e-mail addresses masked.
	_, aud := e.register("auditor", "")
	for _, en := range aud.Entries {
		if email := en["email"].(string); !strings.Contains(email, "***@") {
			t.Errorf("auditor sees e-mail %q", email)
		}
		if en["code"] == e.valid.Code && (en["holder"] != "李四" || en["email"] != "l***@corp.example") {
			t.Errorf("auditor's entry = %v", en)
		}
	}
	if st, _ := e.register("trainee", ""); st != 403 {
		t.Errorf("trainee reading the register: %d", st)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRegisterPages(t *testing.T) {
	e := newRegisterEnv(t)
	st, body, _ := e.get("auditor", "/admin/certificates", "zh-CN")
	page := string(body)
	if st != 200 || !strings.Contains(page, "证书登记册") || !strings.Contains(page, "李四") || !strings.Contains(page, "l***@corp.example") ||
		strings.Contains(page, "lisi@corp.example") || !strings.Contains(page, "审计员视图") {
		t.Fatalf("auditor's register page: %d\n%s", st, page)
	}
	if !strings.Contains(page, "/api/v1/certificates/register/xlsx") || !strings.Contains(page, "须在 ") || !strings.Contains(page, "即将到期 <strong>1</strong>") {
		t.Errorf("register page lacks exports, recertification or counts:\n%s", page)
	}
	st, body, _ = e.get("trainer", "/admin/certificates?status=expiring&team="+url.QueryEscape(e.users["trainee"].TeamID), "en")
	page = string(body)
	if st != 200 || !strings.Contains(page, e.soon.Code) || strings.Contains(page, e.valid.Code) || !strings.Contains(page, "trainee@test.example") ||
		!strings.Contains(page, "/api/v1/certificates/register/csv?status=expiring&amp;team=") {
		t.Errorf("trainer's filtered page: %d\n%s", st, page)
	}
	if st, _, _ := e.get("admin", "/admin/certificates?status=bogus", "en"); st != 400 {
		t.Errorf("bad status on the page: %d", st)
	}

	// One certificate: auditors read it; admins may revoke it with a reason.
	st, body, _ = e.get("auditor", "/admin/certificates/"+e.valid.Code, "en")
	if page := string(body); st != 200 || !strings.Contains(page, "the course has a new major version, 2.0.0") || strings.Contains(page, "/revoke") ||
		strings.Contains(page, "/pdf") {
		t.Errorf("auditor's certificate page: %d\n%s", st, page)
	}
	st, body, _ = e.get("admin", "/admin/certificates/"+strings.ToLower(e.soon.Code), "en")
	if page := string(body); st != 200 || !strings.Contains(page, "/admin/certificates/"+e.soon.Code+"/revoke") {
		t.Fatalf("admin's certificate page: %d\n%s", st, page)
	}
	c, csrf := e.session("admin")
	post := func(reason string) (int, http.Header) {
		req := e.req("POST", "/admin/certificates/"+e.soon.Code+"/revoke", url.Values{"csrf": {csrf}, "reason": {reason}}.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		st, _, hdr := e.do(req)
		return st, hdr
	}
	if st, _ := post("  "); st != 400 {
		t.Errorf("revoke without a reason: %d", st)
	}
	if st, hdr := post("left the company"); st != 303 || hdr.Get("Location") != "/admin/certificates/"+e.soon.Code+"?flash=cert_revoked" {
		t.Fatalf("revoke: %d %v", st, hdr)
	}
	if got, _ := e.certs.FindCertificate(context.Background(), e.soon.Code); got.RevokeReason != "left the company" {
		t.Errorf("after revoking: %+v", got)
	}
	if st, _ := post("again"); st != 409 {
		t.Errorf("revoking twice: %d", st)
	}
	if st, _, _ := e.get("auditor", "/admin/certificates/NOPE-NOPE", "en"); st != 404 {
		t.Errorf("unknown certificate: %d", st)
	}
}

func TestMyCertificatesPage(t *testing.T) {
	e := newRegisterEnv(t)
	now := time.Now()
	// The trainee renews: the expiring certificate is superseded and no longer nags.
	st, body, _ := e.get("trainee", "/certificates", "en")
	page := string(body)
	if st != 200 || !strings.Contains(page, e.soon.Code) || !strings.Contains(page, "Expiring") ||
		!strings.Contains(page, "pass the recertification exam before then") || !strings.Contains(page, "/exams/default-certification") ||
		strings.Contains(page, e.valid.Code) {
		t.Fatalf("my certificates: %d\n%s", st, page)
	}
	renewed := e.issueCert(e.users["trainee"], e.users["trainee"].Name, now, now.AddDate(1, 0, 0))
	_, body, _ = e.get("trainee", "/certificates", "zh-CN")
	page = string(body)
	if !strings.Contains(page, renewed.Code) || !strings.Contains(page, "已被新证书取代") || strings.Contains(page, "请在到期前通过复认证考试") {
		t.Errorf("after renewing:\n%s", page)
	}
	// The holder to recertify is told by when and why, in their language.
	tok := e.token("trainee", "api")
	if _, _, err := e.certs.RemindExpiry(context.Background(), renewed.Code, 7); err != nil {
		t.Fatal(err)
	}
	st, notes := e.api(tok, "GET", "/api/v1/notifications", nil)
	list, _ := notes["notifications"].([]any)
	if st != 200 || len(list) != 1 {
		t.Fatalf("notifications: %d %v", st, notes)
	}
	n := list[0].(map[string]any)
	if text := n["text"].(string); !strings.Contains(text, "证书将于 "+renewed.ExpiresAt.UTC().Format("2006-01-02")+" 到期") ||
		!strings.Contains(text, "不超过 7 天") || n["link"] != "/exams/default-certification" {
		t.Errorf("reminder = %v", n)
	}
}

func TestRegisterNotesInEnglish(t *testing.T) {
	e := newRegisterEnv(t)
	li := e.li
	notes, _, err := sqlstore.NewNotificationService(e.db).FindNotifications(context.Background(), li.ID, 10)
	if err != nil || len(notes) != 1 || notes[0].Kind != safedesk.NotifyCertRecertify {
		t.Fatalf("李四's notifications = %+v, %v", notes, err)
	}
	// Render through the API as 李四 would see it, by token.
	secret := safedesk.NewID() + safedesk.NewID()
	now := time.Now()
	if err := e.auth.CreateToken(context.Background(), &safedesk.Token{UserID: li.ID, Name: "t", Scopes: []string{"api"},
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, sum(secret)); err != nil {
		t.Fatal(err)
	}
	req := e.req("GET", "/api/v1/notifications", "")
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Accept-Language", "en")
	_, body, _ := e.do(req)
	c, _ := e.certs.FindCertificate(context.Background(), e.valid.Code)
	if !strings.Contains(body, `must be renewed by `+c.RecertifyBy.Format("2006-01-02")+`: the course has a new major version, 2.0.0.`) ||
		!strings.Contains(body, `"link":"/exams/default-certification"`) {
		t.Errorf("recertify notification in English: %s", body)
	}
}

func TestRegisterExports(t *testing.T) {
	e := newRegisterEnv(t)
	ctx := context.Background()
	audit := sqlstore.NewAuditService(e.db)

	// CSV for a trainer, in English: a BOM, then every certificate of the filter.
	st, body, hdr := e.get("trainer", "/api/v1/certificates/register/csv", "en")
	if st != 200 || hdr.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(hdr.Get("Content-Disposition"), ".csv") {
		t.Fatalf("csv: %d %v %s", st, hdr, body)
	}
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("csv has no UTF-8 byte order mark: % x", body[:8])
	}
	recs, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0][0] != "Certificate code" || recs[0][1] != "Holder" || len(recs[0]) != 14 {
		t.Fatalf("csv = %q", recs)
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[0]] = r
	}
	li := rows[e.valid.Code]
	if li[1] != "李四" || li[2] != "lisi@corp.example" || li[4] != "Team B" || li[7] != e.valid.IssuedAt.UTC().Format("2006-01-02") ||
		li[9] != "Valid" || li[10] == "" {
		t.Errorf("李四's row = %q", li)
	}
	if got := rows[e.expired.Code][1]; got != `'=HYPERLINK("http://evil.example")` {
		t.Errorf("a formula-like name is exported as %q, want it defused", got)
	}
	if rows[e.revoked.Code][13] != "shared answers" || rows[e.soon.Code][9] != "Expiring" {
		t.Errorf("rows = %q", rows)
	}

	// XLSX for an auditor, in Chinese, expiring only: masked e-mail, real dates.
	st, body, hdr = e.get("auditor", "/api/v1/certificates/register/xlsx?status=expiring", "zh-CN")
	if st != 200 || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx: %d %v", st, hdr)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1 || sheets[0] != "证书登记册" {
		t.Fatalf("sheets = %v", sheets)
	}
	xrows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != 2 || xrows[0][0] != "证书编号" || xrows[1][0] != e.soon.Code || xrows[1][2] != "t***@test.example" || xrows[1][9] != "即将到期" {
		t.Fatalf("xlsx rows = %q", xrows)
	}
	if xrows[1][8] != e.soon.ExpiresAt.UTC().Format("2006-01-02") {
		t.Errorf("expiry cell shows %q", xrows[1][8])
	}
	if typ, _ := f.GetCellType(sheets[0], "I2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("expiry is stored as %v, want a date number", typ)
	}

	// Both exports are in the audit log with their filter and row count.
	entries, total, err := audit.FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditCertExported})
	if err != nil || total != 2 {
		t.Fatalf("export audit entries = %d, %v", total, err)
	}
	var last struct {
		Format string                     `json:"format"`
		Rows   int                        `json:"rows"`
		Masked bool                       `json:"emails_masked"`
		Filter safedesk.CertificateFilter `json:"filter"`
	}
	json.Unmarshal([]byte(entries[0].Detail), &last)
	if last.Format != "xlsx" || last.Rows != 1 || !last.Masked || last.Filter.Status != "expiring" || !last.Filter.Current ||
		entries[0].Actor != "auditor@test.example" {
		t.Errorf("audit entry = %+v %s", entries[0], entries[0].Detail)
	}
	json.Unmarshal([]byte(entries[1].Detail), &last)
	if last.Format != "csv" || last.Rows != 4 || last.Masked {
		t.Errorf("csv audit entry = %s", entries[1].Detail)
	}

	// An empty export is still a valid workbook; other formats are not offered.
	if st, body, _ := e.get("admin", "/api/v1/certificates/register/xlsx?course=none", "en"); st != 200 {
		t.Errorf("empty xlsx: %d", st)
	} else if f, err := excelize.OpenReader(bytes.NewReader(body)); err != nil {
		t.Errorf("empty xlsx does not open: %v", err)
	} else {
		f.Close()
	}
	if st, _, _ := e.get("admin", "/api/v1/certificates/register/pdf", "en"); st != 404 {
		t.Errorf("pdf export: %d", st)
	}
	if st, _, _ := e.get("trainee", "/api/v1/certificates/register/csv", "en"); st != 403 {
		t.Errorf("trainee export: %d", st)
	}
}
