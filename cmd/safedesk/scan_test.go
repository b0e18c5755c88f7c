package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
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

// BenchmarkScan measures the scan command end to end (JSON in, check, JSON out) in MB/s
// of input, on 4 MB of generated lines: "chat" is the realistic mix that the 100 MB
// figure in docs/risk-engine.md uses, "corpus" the labelled corpus alone (hard cases,
// nearly half of them with findings).
func BenchmarkScan(b *testing.B) {
	// One worker, as on one core: the figure stays comparable across machines and with
	// the 100 MB measurement, whatever -cpu says.
	defer func(f func() int) { scanWorkers = f }(scanWorkers)
	scanWorkers = func() int { return 1 }
	for _, mix := range []string{"chat", "corpus"} {
		b.Run(mix, func(b *testing.B) {
			var in bytes.Buffer
			if err := writeScanCorpus(&in, 4<<20, mix, 1); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(in.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if err := runScan(context.Background(), nil, bytes.NewReader(in.Bytes()), io_Discard{}, io_Discard{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var (
	scanCorpusPath = flag.String("scan-corpus", "", "TestWriteScanCorpus writes generated scan input to this `file`")
	scanCorpusMB   = flag.Int("scan-corpus-mb", 100, "size of the generated scan input in MB (10^6 bytes)")
	scanCorpusMix  = flag.String("scan-corpus-mix", "chat", "mix of the generated scan input: chat or corpus")
	scanCorpusSeed = flag.Uint64("scan-corpus-seed", 1, "seed of the generated scan input")
)

// TestWriteScanCorpus writes the input of the 100 MB scan measurement when -scan-corpus
// names a file:
//
//	go test ./cmd/safedesk -run TestWriteScanCorpus -scan-corpus /tmp/scan100.jsonl
func TestWriteScanCorpus(t *testing.T) {
	if *scanCorpusPath == "" {
		t.Skip("no -scan-corpus file")
	}
	f, err := os.Create(*scanCorpusPath)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := writeScanCorpus(w, *scanCorpusMB*1e6, *scanCorpusMix, *scanCorpusSeed); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeScanCorpus writes at least size bytes of scan input lines drawn at random (from
// seed) from the risk package's test messages. The "chat" mix is what a shop's chat log
// looks like: most messages are everyday questions and answers (testdata/everyday.jsonl,
// 80 % of the lines), the rest come from the labelled corpus, about half of which holds
// something to find, so that roughly one message in eleven has a finding. The "corpus"
// mix draws every line from the labelled corpus.
func writeScanCorpus(w io.Writer, size int, mix string, seed uint64) error {
	type msg struct {
		Role string `json:"role"`
		Text string `json:"text"`
	}
	read := func(name string) ([]msg, error) {
		data, err := os.ReadFile(filepath.Join("..", "..", "risk", "testdata", name))
		if err != nil {
			return nil, err
		}
		var out []msg
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			var m msg
			if err := json.Unmarshal(line, &m); err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			out = append(out, m)
		}
		return out, nil
	}
	corpus, err := read("corpus.jsonl")
	if err != nil {
		return err
	}
	everyday, err := read("everyday.jsonl")
	if err != nil {
		return err
	}
	share := 0.8 // of lines drawn from the everyday messages
	switch mix {
	case "chat":
	case "corpus":
		share = 0
	default:
		return fmt.Errorf("unknown mix %q", mix)
	}
	rng := rand.New(rand.NewPCG(seed, 2026))
	var line []byte
	for n, i := 0, 1; n < size; i++ {
		m := corpus[rng.IntN(len(corpus))]
		if rng.Float64() < share {
			m = everyday[rng.IntN(len(everyday))]
		}
		line = fmt.Appendf(line[:0], `{"id":"m-%07d","role":%q,"text":`, i, m.Role)
		text, _ := json.Marshal(m.Text)
		line = append(append(line, text...), "}\n"...)
		if _, err := w.Write(line); err != nil {
			return err
		}
		n += len(line)
	}
	return nil
}

// io_Discard is a writer that keeps nothing (not io.Discard, so the benchmark also
// exercises the buffered writer's real write path).
type io_Discard struct{}

func (io_Discard) Write(p []byte) (int, error) { return len(p), nil }

// TestScanParallelMatchesSequential scans the same input one line at a time and with
// several workers: standard output, standard error (bad lines, the summary) and the
// status must be the same byte for byte, in both formats, over several files and
// standard input.
func TestScanParallelMatchesSequential(t *testing.T) {
	var in bytes.Buffer
	in.WriteString("\xef\xbb\xbf" + `{"id":"bom","text":"加我微信 wx123456"}` + "\n\n   \nnot json\n")
	if err := writeScanCorpus(&in, 3<<20, "corpus", 7); err != nil {
		t.Fatal(err)
	}
	in.WriteString(`{"id":"no text"}` + "\n" + `{"id":"last","text":"手机 13800138000"}`) // no final newline
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	if err := os.WriteFile(a, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(`{"id":1,"text":"ok"}`+"\n"+`{"bad`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(f func() int) { scanWorkers = f }(scanWorkers)
	for _, args := range [][]string{{"--summary", a, "-", b}, {"--format", "table", "--summary", a}} {
		var outs, errs [2]string
		var codes [2]int
		for i, w := range []int{1, 4} {
			scanWorkers = func() int { return w }
			outs[i], errs[i], codes[i] = scanRun(t, in.String(), args...)
		}
		if outs[0] != outs[1] || errs[0] != errs[1] || codes[0] != codes[1] {
			t.Errorf("%v: sequential and parallel differ: %d vs %d bytes out, status %d vs %d\nstderr:\n%s\n---\n%s",
				args, len(outs[0]), len(outs[1]), codes[0], codes[1], errs[0], errs[1])
		}
		if codes[0] != 1 || !strings.Contains(errs[0], "line 4: invalid JSON") || !strings.Contains(errs[0], "scanned ") {
			t.Errorf("%v: status %d, stderr %.300s", args, codes[0], errs[0])
		}
	}
}
