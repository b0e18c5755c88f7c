package main

import (
	"os"
	"path/filepath"
	"testing"
)

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
