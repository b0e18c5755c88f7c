package risk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden checks every message of testdata/golden.jsonl against the complete result
// recorded in testdata/golden.out.jsonl. After an intended change, rerun with -update and
// review the diff.
func TestGolden(t *testing.T) {
	e := newTestEngine(t)
	in, err := os.ReadFile("testdata/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(in))
	for sc.Scan() {
		var m struct {
			Role Role   `json:"role"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		r := e.Check(m.Role, m.Text)
		out.Write(r.AppendJSON(nil))
		out.WriteByte('\n')
	}
	const golden = "testdata/golden.out.jsonl"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	gotLines, wantLines := bytes.Split(out.Bytes(), []byte("\n")), bytes.Split(want, []byte("\n"))
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d results, golden file has %d", len(gotLines), len(wantLines))
	}
	inLines := bytes.Split(in, []byte("\n"))
	for i := range gotLines {
		if !bytes.Equal(gotLines[i], wantLines[i]) {
			t.Errorf("message %d %s\n got %s\nwant %s", i+1, inLines[i], gotLines[i], wantLines[i])
		}
	}
}
