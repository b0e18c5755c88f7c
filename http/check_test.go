package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

// TestAPICheck drives POST /api/v1/check with good and bad bodies: the answer is the scan
// object of the real engine, and a bad body is a 400 that says what is wrong.
func TestAPICheck(t *testing.T) {
	e := newEnv(t)
	tok := e.token("trainee", safedesk.ScopeCheck)
	for _, tc := range []struct {
		name, body string
		status     int
		want       string // part of the response body
	}{
		{"risky", `{"role":"customer","text":"加我微信私下转账，手机13912345678"}`, 200, `"masked":"加我微信私下转账，手机139****5678"`},
		{"clean", `{"role":"agent","text":"您好，已为您备注优先发货"}`, 200, `{"findings":[],"emotion":{"label":"neutral","score":0},"masked":"您好，已为您备注优先发货"}`},
		{"escaped", `{"text":"\u52a0\u6211\u5fae\u4fe1 \"now\"\n"}`, 200, `"type":"fraud.off_platform"`},
		{"no role", `{"text":"hi"}`, 200, `"masked":"hi"`},
		{"bad role", `{"role":"bot","text":"hi"}`, 400, `role is agent or customer`},
		{"unknown field", `{"text":"hi","lang":"en"}`, 400, `unknown field \"lang\"`},
		{"two values", `{"text":"hi"}{"text":"again"}`, 400, `more than one value`},
		{"not json", `text=hi`, 400, `not valid JSON`},
		{"too long", `{"text":"` + strings.Repeat("好", safedeskMaxCheck/3+1) + `"}`, 400, `longer than 20000 bytes`},
		{"too large", `{"text":"` + strings.Repeat("a", 1<<20) + `"}`, 400, `larger than 1 MiB`},
	} {
		st, body, h := e.do(e.postJSON(tok, "/api/v1/check", tc.body))
		if st != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s\nwant %d with %s", tc.name, st, body, tc.status, tc.want)
		}
		if st == 200 && (h.Get("Content-Type") != "application/json; charset=utf-8" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") ||
			h.Get("Cache-Control") != "no-store" || !strings.HasSuffix(body, "}\n")) {
			t.Errorf("%s: headers %v, body %q", tc.name, h, body)
		}
	}
}

const safedeskMaxCheck = 20000

func (e *testEnv) postJSON(tok, path, body string) *http.Request {
	r := e.req("POST", path, body)
	r.Header.Set("Authorization", "Bearer "+tok)
	r.Header.Set("Content-Type", "application/json")
	return r
}

// BenchmarkAPICheck is the server's own cost of one live check, through the whole handler
// (middleware, token, rate limit, request and response JSON, the engine) without a
// network, on a typical risky customer message.
//
//	go test ./http -run '^$' -bench APICheck -benchmem
func BenchmarkAPICheck(b *testing.B) {
	e := newEnv(b)
	h := e.s.Handler()
	// Twenty callers, as in the load test: their rate limits together stay above the pace.
	toks := make([]string, 20)
	us := sqlstore.NewUserService(e.db)
	for i := range toks {
		u := &safedesk.User{Email: fmt.Sprintf("check%d@test.example", i), Name: "Check", Role: safedesk.RoleTrainee, Active: true}
		if err := us.CreateUser(context.Background(), u); err != nil {
			b.Fatal(err)
		}
		e.users["trainee"] = u
		toks[i] = "Bearer " + e.token("trainee", safedesk.ScopeCheck)
	}
	body := `{"role":"customer","text":"亲，加我微信 wx123456 私下转账更便宜，我手机13912345678"}`
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := httptest.NewRequest("POST", "/api/v1/check", strings.NewReader(body))
		r.Header.Set("Authorization", toks[i%len(toks)])
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		i++
	}
}

// TestCheckPage drives the risk-check page as a signed-in agent: the form, a risky
// message with its findings named in the reader's language and no personal data on the
// page, a clean message, and an empty one.
func TestCheckPage(t *testing.T) {
	e := newEnv(t)
	c, csrf := e.session("trainee")
	get := e.req("GET", "/check", "")
	get.AddCookie(c)
	if st, body, _ := e.do(get); st != 200 || !strings.Contains(body, `name="text"`) || !strings.Contains(body, `value="customer" checked`) {
		t.Fatalf("form: %d %s", st, body)
	}
	post := func(role, text string) (int, string) {
		form := url.Values{"csrf": {csrf}, "role": {role}, "text": {text}}
		r := e.req("POST", "/check", form.Encode())
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(c)
		st, body, _ := e.do(r)
		return st, body
	}
	st, body := post("customer", "亲，加我微信私下转账更便宜，我手机13912345678，退款点 http://taobao-refund.top/claim")
	for _, want := range []string{"引导站外沟通或交易", "电话号码", "仿冒域名", "139****5678", "pii.phone.mobile", `value="customer" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("risky message: %d, no %q in the page", st, want)
		}
	}
	if n := strings.Count(body, "13912345678"); n != 1 { // once: in the form, as typed
		t.Errorf("the phone number is on the page %d times, want only in the form", n)
	}
	if st, body := post("agent", "您好，已为您备注优先发货"); st != 200 || !strings.Contains(body, "没有发现") || !strings.Contains(body, `value="agent" checked`) {
		t.Errorf("clean message: %d %s", st, body)
	}
	if st, body := post("customer", "  "); st != 400 || !strings.Contains(body, "请先输入") {
		t.Errorf("empty message: %d %s", st, body)
	}
}
