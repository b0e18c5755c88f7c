package cert

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"safedesk"
)

var codeShape = regexp.MustCompile(`^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$`)

func TestCodeAlphabet(t *testing.T) {
	for _, c := range "0O1IL" {
		if strings.ContainsRune(CodeAlphabet, c) {
			t.Errorf("alphabet holds the ambiguous %q", c)
		}
	}
	seen := map[rune]bool{}
	for _, c := range CodeAlphabet {
		if seen[c] {
			t.Errorf("alphabet repeats %q", c)
		}
		seen[c] = true
	}
	if bits := CodeLength * math.Log2(float64(len(CodeAlphabet))); bits < 50 {
		t.Errorf("a code carries %.1f bits, want at least 50", bits)
	}
}

func TestNewCode(t *testing.T) {
	const n = 20000
	seen := make(map[string]bool, n)
	counts := map[rune]int{}
	for range n {
		c := NewCode()
		if !codeShape.MatchString(c) {
			t.Fatalf("NewCode() = %q, not XXXX-XXXX-XXXX over the alphabet", c)
		}
		if seen[c] {
			t.Fatalf("NewCode() repeated %q within %d codes", c, n)
		}
		seen[c] = true
		for _, r := range strings.ReplaceAll(c, "-", "") {
			counts[r]++
		}
	}
	// Every symbol is equally likely: with 240,000 draws each count is about 7,742 with a
	// standard deviation near 87, so ±600 fails only on a real bias.
	want := float64(n*CodeLength) / float64(len(CodeAlphabet))
	for _, r := range CodeAlphabet {
		if got := float64(counts[r]); math.Abs(got-want) > 600 {
			t.Errorf("symbol %q drawn %.0f times, want about %.0f", r, got, want)
		}
	}
}

func TestNewCodeRejectsOutOfRange(t *testing.T) {
	// Bytes whose low five bits are 31 must be skipped, not folded onto a symbol.
	src := bytes.Repeat([]byte{0xFF, 0x1F, 0x00}, 16)
	c, err := newCode(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2222-2222-2222"; c != want {
		t.Errorf("newCode = %q, want %q", c, want)
	}
	if _, err := newCode(bytes.NewReader([]byte{1, 2, 3})); err == nil {
		t.Error("newCode with too little randomness succeeded")
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        string // part of the message, when an error is wanted
	}{
		{"printed", "7KQM-C2XH-9RTD", "7KQM-C2XH-9RTD", ""},
		{"lowercase", "7kqm-c2xh-9rtd", "7KQM-C2XH-9RTD", ""},
		{"no dashes", "7KQMC2XH9RTD", "7KQM-C2XH-9RTD", ""},
		{"spaces", "  7KQM C2XH 9RTD \n", "7KQM-C2XH-9RTD", ""},
		{"odd grouping", "7K-QMC2-XH9R-TD", "7KQM-C2XH-9RTD", ""},
		{"underscores and dots", "7KQM_C2XH.9RTD", "7KQM-C2XH-9RTD", ""},
		{"full-width", "７ＫＱＭ－Ｃ２ＸＨ－９ＲＴＤ", "7KQM-C2XH-9RTD", ""},
		{"ideographic space", "7KQM　C2XH　9RTD", "7KQM-C2XH-9RTD", ""},
		{"em dash", "7KQM—C2XH–9RTD", "7KQM-C2XH-9RTD", ""},
		{"empty", "", "", "has 0"},
		{"too short", "7KQM-C2XH", "", "has 8"},
		{"too long", "7KQM-C2XH-9RTD-A", "", "has more"},
		{"zero", "7KQM-C2XH-9RT0", "", "never contain"},
		{"letter O", "7KQM-C2XH-9RTO", "", "never contain"},
		{"lowercase o", "7kqm-c2xh-9rto", "", "never contain"},
		{"one", "7KQM-C2XH-9RT1", "", "never contain"},
		{"letter I", "7KQM-C2XH-9RTI", "", "never contain"},
		{"letter L", "7KQM-C2XH-9RTL", "", "never contain"},
		{"lowercase l", "7kqm-c2xh-9rtl", "", "never contain"},
		{"punctuation", "7KQM-C2XH-9RT!", "", "not allowed"},
		{"Cyrillic look-alike", "7KQM-C2XH-9RTА", "", "not allowed"},
		{"long s does not become S", "7KQM-C2XH-9RTſ", "", "not allowed"},
		{"Chinese", "证书-C2XH-9RTD", "", "not allowed"},
		{"invalid UTF-8", "7KQM-C2XH-9RT\xff", "", "not valid text"},
		{"essay", strings.Repeat("A", 200), "", "far longer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeCode(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("NormalizeCode(%q) = %q, want an error", tt.in, got)
				}
				if safedesk.ErrorCode(err) != safedesk.EINVALID || !strings.Contains(safedesk.ErrorMessage(err), tt.wantErr) {
					t.Errorf("NormalizeCode(%q) error = %v, want EINVALID containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"7KQM-C2XH-9RTD", "7kqmc2xh9rtd", "７ＫＱＭ－Ｃ２ＸＨ－９ＲＴＤ", "0O1IL", "", " - ", "\xff", "AAAA AAAA AAAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeCode(s)
		if err != nil {
			if safedesk.ErrorCode(err) != safedesk.EINVALID {
				t.Fatalf("NormalizeCode(%q) error %v is not EINVALID", s, err)
			}
			return
		}
		if !codeShape.MatchString(got) {
			t.Fatalf("NormalizeCode(%q) = %q, not a printed code", s, got)
		}
		if again, err := NormalizeCode(got); err != nil || again != got {
			t.Fatalf("NormalizeCode is not idempotent on %q: %q, %v", got, again, err)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("NormalizeCode accepted invalid UTF-8 %q", s)
		}
	})
}
