package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

const demoPassword = "test-Demo-Pass-2026"

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs the real `safedesk serve --demo` in-process and waits until it is ready.
func startServer(t *testing.T, data string, vars map[string]string) (url string, stop func()) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out syncBuffer
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", addr, "--data", data}, env(vars), nil, &out, &out)
	}()
	url = "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		select {
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return url, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v\n%s", err, out.String())
		}
	}
}

func call(t *testing.T, method, url, token string, body any, hdr ...string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func login(t *testing.T, url, who string) string {
	t.Helper()
	st, b := call(t, "POST", url+"/api/v1/auth/login", "", map[string]string{"login": who, "password": demoPassword})
	if st != 200 {
		t.Fatalf("login %s: %d %s", who, st, b)
	}
	var r struct {
		Token string `json:"token"`
		User  struct {
			Roles []string `json:"roles"`
		} `json:"user"`
	}
	json.Unmarshal(b, &r)
	return r.Token
}

// TestServeDemoEndToEnd drives the real binary's serve command as a newcomer would through
// the API, then checks the audit chain with the audit command.
func TestServeDemoEndToEnd(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_FORMAT": "text", "SAFEDESK_LOG_LEVEL": "warn"}
	url, stop := startServer(t, data, vars)

	tok := login(t, url, "agent01@demo.example")
	if st, _ := call(t, "POST", url+"/api/v1/auth/login", "", map[string]string{"login": "agent01@demo.example", "password": "wrong-password"}); st != 401 {
		t.Errorf("wrong password: %d, want 401", st)
	}
	if st, _ := call(t, "GET", url+"/api/v1/courses", "", nil); st != 401 {
		t.Errorf("anonymous courses: %d, want 401", st)
	}
	titles := map[string]string{}
	var firstLesson string
	for _, lang := range []string{"zh-CN", "en"} {
		st, b := call(t, "GET", url+"/api/v1/courses", tok, nil, "Accept-Language", lang)
		if st != 200 {
			t.Fatalf("courses %s: %d %s", lang, st, b)
		}
		var cs []struct {
			ID       string
			DueAt    *time.Time `json:"due_at"`
			Chapters []struct {
				Title   string
				Lessons []struct{ ID, Title string }
			}
		}
		json.Unmarshal(b, &cs)
		if len(cs) != 1 || len(cs[0].Chapters) != 6 || cs[0].DueAt == nil {
			t.Fatalf("courses %s: %s", lang, b)
		}
		titles[lang] = cs[0].Chapters[0].Title
		firstLesson = cs[0].Chapters[0].Lessons[0].ID
	}
	if titles["zh-CN"] == titles["en"] {
		t.Errorf("chapter title is the same in both languages: %q", titles["en"])
	}
	st, b := call(t, "PUT", url+"/api/v1/courses/default/lessons/"+firstLesson+"/progress", tok, map[string]any{"read": true, "position": 100})
	if st != 200 {
		t.Fatalf("progress: %d %s", st, b)
	}
	st, b = call(t, "GET", url+"/api/v1/courses/default/progress", tok, nil)
	if st != 200 || !strings.Contains(string(b), `"read":1`) {
		t.Fatalf("progress read back: %d %s", st, b)
	}
	// Roles are enforced on the API too.
	if st, _ := call(t, "GET", url+"/api/v1/users", tok, nil); st != 403 {
		t.Errorf("trainee listing users: %d, want 403", st)
	}
	admin := login(t, url, "admin@demo.example")
	st, b = call(t, "GET", url+"/api/v1/users?limit=100", admin, nil)
	if st != 200 || !strings.Contains(string(b), `"total":33`) {
		t.Fatalf("admin users: %d %.200s", st, b)
	}
	stop()

	// The audit chain of the fresh demo verifies; editing any row breaks it.
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--data", data}, env(nil), nil, &out, &errb); err != nil {
		t.Fatalf("audit verify: %v %s", err, errb.String())
	}
	db, err := sql.Open("sqlite", filepath.Join(data, "safedesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	errb.Reset()
	err = run(context.Background(), []string{"audit", "verify", "--data", data}, env(nil), nil, &out, &errb)
	if code, ok := err.(exitCode); !ok || code != 1 || !strings.Contains(errb.String(), "entry 3") {
		t.Fatalf("tampered audit verify = %v, %q", err, errb.String())
	}
}

func TestContentCommands(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"content", "validate", "../../content/default"}, env(nil), nil, &out, &errb); err != nil {
		t.Fatalf("validate default: %v %s", err, errb.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"content", "stats"}, env(nil), nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	var stats struct {
		Chapters  int            `json:"chapters"`
		Lessons   map[string]int `json:"lessons"`
		Questions int            `json:"questions"`
	}
	if err := json.Unmarshal(out.Bytes(), &stats); err != nil || stats.Chapters != 6 || stats.Lessons["en"] != stats.Lessons["zh-CN"] || stats.Questions < 150 {
		t.Fatalf("stats = %+v, %v: %s", stats, err, out.String())
	}

	// A broken pack is refused with file:line: field.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pack.yaml"), []byte("id: x\nversion: 1.0\ntitle: {zh-CN: 甲}\n"), 0o644)
	errb.Reset()
	err := run(context.Background(), []string{"content", "validate", dir}, env(nil), nil, &out, &errb)
	if code, ok := err.(exitCode); !ok || code != 1 {
		t.Fatalf("broken pack: %v", err)
	}
	for _, want := range []string{"pack.yaml:2: version", "pack.yaml:3: title.en: missing translation", "description: required field is missing"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("validate output lacks %q:\n%s", want, errb.String())
		}
	}
	if err := run(context.Background(), []string{"content", "validate", filepath.Join(dir, "nope")}, env(nil), nil, &out, &errb); err == nil {
		t.Error("validate of a missing folder succeeded")
	}
}

func TestUsersImportCommand(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"SAFEDESK_LOG_LEVEL": "error"}
	// Create the database and a team through the store.
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--data", data}, env(vars), nil, &out, &errb); err != nil {
		t.Fatalf("migrate: %v %s", err, errb.String())
	}
	db, _ := sql.Open("sqlite", filepath.Join(data, "safedesk.db"))
	db.Exec(`INSERT INTO teams (id, name, created_at) VALUES ('t1', '售后一组', 0)`)
	db.Close()

	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("姓名,邮箱,团队,角色,工号\n张三,zhang@shop.example,售后一组,学员,E1\n李四,li@shop,售后一组,学员,E2\n王五,wang@shop.example,不存在,学员,E3\n"), 0o644)
	errb.Reset()
	err := run(context.Background(), []string{"users", "import", "--data", data, bad}, env(vars), nil, &out, &errb)
	if code, ok := err.(exitCode); !ok || code != 1 || !strings.Contains(errb.String(), "bad.csv:3: email") {
		t.Fatalf("bad import: %v %s", err, errb.String())
	}
	good := filepath.Join(t.TempDir(), "good.csv")
	os.WriteFile(good, []byte("\ufeffname,email,team,role,employee_no\nZhang San,zhang@shop.example,售后一组,trainee,E1\n"), 0o644)
	out.Reset()
	if err := run(context.Background(), []string{"users", "import", "--data", data, good}, env(vars), nil, &out, &errb); err != nil {
		t.Fatalf("good import: %v %s", err, errb.String())
	}
	if !strings.Contains(out.String(), "1 created") {
		t.Fatalf("good import said %q", out.String())
	}
}

func TestConfigMasksSecrets(t *testing.T) {
	var out, errb bytes.Buffer
	vars := map[string]string{"SAFEDESK_DATABASE_URL": "postgres://app:hunter2@db:5432/sd", "SAFEDESK_DEMO_PASSWORD": "secret-demo"}
	if err := run(context.Background(), []string{"config", "--addr", "0.0.0.0:9000"}, env(vars), nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "hunter2") || strings.Contains(s, "secret-demo") || !strings.Contains(s, "0.0.0.0:9000") || !strings.Contains(s, "app:xxxxx@db") {
		t.Fatalf("config output:\n%s", s)
	}
	if err := run(context.Background(), []string{"config", "--session-ttl", "1s"}, env(nil), nil, &out, &errb); err == nil {
		t.Error("a one-second session was accepted")
	}
	if err := run(context.Background(), []string{"nonsense"}, env(nil), nil, &out, &errb); err == nil {
		t.Error("an unknown command succeeded")
	}
}
