package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for safedesk when --baseline starts the bare
// server as a process of its own (os.Executable is the test binary here).
func TestMain(m *testing.M) {
	if len(os.Args) >= 3 && os.Args[1] == "loadtest" && os.Args[2] == "bare-server" {
		if err := runBareServer(context.Background(), os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestBaseline: --baseline starts the bare upsert server in a process of its own, every
// save reaches it, and the process is gone afterwards.
func TestBaseline(t *testing.T) {
	lt := &loadtest{out: io.Discard, ownConns: true, client: &http.Client{Timeout: ltTimeout}}
	sum, err := lt.baseline(context.Background(), 4, 5, 50*time.Millisecond, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Saved != 20 || sum.Errors != 0 || sum.P99 <= 0 {
		t.Fatalf("baseline = %+v; want 20 saves, no errors", sum)
	}
}

// TestTokenFile: sessions are kept between runs, a smaller run keeps the larger run's
// other sessions, and the file is the owner's alone.
func TestTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.txt")
	if got := readTokens(path); len(got) != 0 {
		t.Fatalf("missing file read as %v", got)
	}
	if err := writeTokens(path, []string{"a0", "a1", "a2"}); err != nil {
		t.Fatal(err)
	}
	if err := writeTokens(path, []string{"b0"}); err != nil {
		t.Fatal(err)
	}
	got := readTokens(path)
	want := map[string]string{"lt00000@loadtest.example": "b0", "lt00001@loadtest.example": "a1", "lt00002@loadtest.example": "a2"}
	if len(got) != len(want) {
		t.Fatalf("read %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

// TestTimeline: --latencies writes every request in the order sent, and a run without
// it records nothing.
func TestTimeline(t *testing.T) {
	var none *ltTimeline
	none.add("save", time.Second, time.Millisecond) // no timeline: nothing to record, no panic
	tl := &ltTimeline{}
	tl.add("save", 2*time.Second, 1500*time.Microsecond)
	tl.add("start", time.Second, 40*time.Millisecond)
	path := filepath.Join(t.TempDir(), "lat.csv")
	if err := tl.write(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "kind,at_s,ms\nstart,1.000,40.000\nsave,2.000,1.500\n"; string(b) != want {
		t.Errorf("timeline file:\n%s\nwant:\n%s", b, want)
	}
	if err := tl.write(filepath.Join(t.TempDir(), "no", "such", "dir.csv")); err == nil {
		t.Error("writing into a missing folder did not fail")
	}
}
