package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"safedesk/risk"
)

// scanRun runs the scan command on stdin and returns its output, errors and status.
func scanRun(t testing.TB, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := runScan(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	var ec exitCode
	switch {
	case err == nil:
	case errors.As(err, &ec):
		code = int(ec)
	default:
		t.Fatalf("runScan: %v", err)
	}
	return out.String(), errb.String(), code
}

type scanOut struct {
	ID       any            `json:"id"`
	Findings []risk.Finding `json:"findings"`
	Emotion  risk.Emotion   `json:"emotion"`
	Masked   string         `json:"masked"`
}

func parseOut(t *testing.T, s string) []scanOut {
	t.Helper()
	var res []scanOut
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if line == "" {
			continue
		}
		var o scanOut
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		if o.Findings == nil {
			t.Fatalf("findings missing or null in %s", line)
		}
		res = append(res, o)
	}
	return res
}

func TestScanContractExample(t *testing.T) {
	in := `{"id": "m-0001", "role": "customer", "text": "亲，加我微信 wx123456 私下转账更便宜"}` + "\n"
	stdout, stderr, code := scanRun(t, in)
	if code != 0 || stderr != "" {
		t.Fatalf("status %d, stderr %q", code, stderr)
	}
	out := parseOut(t, stdout)
	if len(out) != 1 || out[0].ID != "m-0001" {
		t.Fatalf("output %+v", out)
	}
	f := out[0].Findings[0]
	if f.Type != risk.FraudOffPlatform || f.Start != 2 || f.End != 6 || f.Text != "加我微信" {
		t.Errorf("finding %+v", f)
	}
	if out[0].Masked != "亲，加我微信 wx****** 私下转账更便宜" || out[0].Emotion.Label != "neutral" {
		t.Errorf("masked %q, emotion %+v", out[0].Masked, out[0].Emotion)
	}
	if !strings.HasPrefix(stdout, `{"id":"m-0001","findings":[`) {
		t.Errorf("id is not the first field: %s", stdout)
	}
}

func TestScanBadLines(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a","role":"customer","text":"加我微信转账"}`,
		`this is not json`,
		``,
		`{"id":"b","role":"agent"}`,
		`{"id":"c","text":"身份证 11010519491231002X"}`,
		`{"id":"d","text":`,
		`["not", "an", "object"]`,
		`{"id":"e","role":"bot","text":"hi"}`,
		`{"id":"f","text":42}`,
		`   `,
		`{"id":7,"text":"no role, number id"}`,
	}, "\n")
	stdout, stderr, code := scanRun(t, in)
	if code != 1 {
		t.Errorf("status %d, want 1", code)
	}
	var ids []string
	for _, o := range parseOut(t, stdout) {
		b, _ := json.Marshal(o.ID)
		ids = append(ids, string(b))
	}
	if got := strings.Join(ids, ","); got != `"a","c",7` {
		t.Errorf("scanned ids %s", got)
	}
	for _, want := range []string{"line 2: invalid JSON", `line 4: no "text"`, "line 6: invalid JSON",
		"line 7: not a JSON object", `line 8: role "bot"`, `line 9: "text" is not a string`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, quiet := range []string{"line 3", "line 10"} {
		if strings.Contains(stderr, quiet) {
			t.Errorf("blank %s reported:\n%s", quiet, stderr)
		}
	}
}

func TestScanFilesOrderAndFormats(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.jsonl")
	b := filepath.Join(dir, "b.jsonl")
	os.WriteFile(a, []byte("\xef\xbb\xbf{\"id\":\"1\",\"text\":\"电话 13800138000\"}\r\n{\"id\":\"2\",\"text\":\"你好\"}\r\n"), 0o644)
	os.WriteFile(b, []byte("{\"id\":\"3\",\"text\":\"谢谢亲，很满意\"}\nbroken\n"), 0o644)
	stdout, stderr, code := scanRun(t, "", a, b, filepath.Join(dir, "missing.jsonl"))
	if code != 1 {
		t.Errorf("status %d, want 1", code)
	}
	out := parseOut(t, stdout)
	if len(out) != 3 || out[0].ID != "1" || out[1].ID != "2" || out[2].ID != "3" {
		t.Fatalf("output %+v", out)
	}
	if out[0].Masked != "电话 138****8000" || out[2].Emotion.Label != "positive" {
		t.Errorf("results %+v", out)
	}
	if !strings.Contains(stderr, "b.jsonl: line 2: invalid JSON") || !strings.Contains(stderr, "missing.jsonl") {
		t.Errorf("stderr %q", stderr)
	}

	stdout, stderr, code = scanRun(t, `{"id":"x","text":"电话 13800138000，加我微信"}`+"\n"+`{"text":"ok"}`, "--format", "table", "--summary", "-")
	if code != 0 {
		t.Fatalf("status %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[1], "pii.phone") ||
		!strings.Contains(lines[2], "fraud.off_platform") || !strings.HasPrefix(lines[3], "null") {
		t.Errorf("table:\n%s", stdout)
	}
	if !strings.Contains(stderr, "scanned 2 messages, 1 with findings, 0 bad lines") || !strings.Contains(stderr, "pii.phone") {
		t.Errorf("summary:\n%s", stderr)
	}
}

func TestScanUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "xml"}, "--format"},
		{[]string{"--nosuch"}, "-nosuch"},
		{[]string{"--risk-dir", "/nonexistent/dir/x"}, "--risk-dir"},
	} {
		_, stderr, code := scanRun(t, "", tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: status %d, stderr %q", tt.args, code, stderr)
		}
	}
	if _, _, code := scanRun(t, "", "--help"); code != 0 {
		t.Errorf("--help status %d", code)
	}
}

func TestScanRiskDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, risk.FileShorteners), []byte("sho.rt\n"), 0o644)
	stdout, _, code := scanRun(t, `{"text":"https://sho.rt/x"}`, "--risk-dir", dir)
	if code != 0 || !strings.Contains(stdout, `"url.shortener"`) {
		t.Errorf("status %d, output %s", code, stdout)
	}
}

func TestScanLongLineAndCancel(t *testing.T) {
	long := `{"text":"` + strings.Repeat("a", maxLine) + `"}`
	stdout, stderr, code := scanRun(t, long+"\n"+`{"id":"after","text":"hi"}`+"\n")
	if code != 1 || !strings.Contains(stderr, "line 1: longer than") || !strings.Contains(stdout, `"after"`) {
		t.Errorf("status %d, stderr %q", code, stderr)
	}
	big := strings.Repeat("好", 100_000) + " 13800138000"
	stdout, _, code = scanRun(t, `{"id":"big","text":"`+big+`"}`)
	if code != 0 || !strings.Contains(stdout, `"pii.phone"`) {
		t.Errorf("a 300 KB line: status %d", code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := strings.Repeat(`{"text":"x"}`+"\n", 1000)
	err := runScan(ctx, nil, strings.NewReader(in), &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan returned %v", err)
	}
}

// BenchmarkScan measures the scan command end to end (JSON in, check, JSON out) over
// the risk package's labelled corpus, in MB/s of input.
func BenchmarkScan(b *testing.B) {
	f, err := os.ReadFile("../../risk/testdata/corpus.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var in bytes.Buffer
	for i := 0; in.Len() < 4<<20; i++ {
		for j, line := range bytes.Split(bytes.TrimSpace(f), []byte("\n")) {
			var m map[string]any
			json.Unmarshal(line, &m)
			m["id"] = "m-" + strings.Repeat("0", 3) + string(rune('a'+j%26))
			delete(m, "types")
			delete(m, "emotion")
			l, _ := json.Marshal(m)
			in.Write(l)
			in.WriteByte('\n')
		}
	}
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := runScan(context.Background(), nil, bytes.NewReader(in.Bytes()), io_Discard{}, io_Discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// io_Discard is a writer that keeps nothing (not io.Discard, so the benchmark also
// exercises the buffered writer's real write path).
type io_Discard struct{}

func (io_Discard) Write(p []byte) (int, error) { return len(p), nil }
