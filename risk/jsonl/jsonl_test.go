package jsonl

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"safedesk/risk"
)

// TestDecodeFastMatchesSlow checks that the fast decoder agrees with encoding/json on
// every line it accepts.
func TestDecodeFastMatchesSlow(t *testing.T) {
	for _, line := range decodeSeeds {
		checkDecode(t, []byte(line))
	}
}

var decodeSeeds = []string{
	`{"id":"a","role":"agent","text":"hi"}`,
	` { "text" : "tab\there \"quoted\" \\ \/ \u4f60\u597d \u00e9" , "id" : "x\n" } `,
	`{"text":"a","text":"b"}`,
	`{"id":null,"role":null,"text":"x"}`,
	`{"extra":"y","text":"z"}`,
	`{"extra":1,"text":"z"}`,
	`{"text":"\ud83d\ude00"}`,
	`{"text":"bad \x01 control"}`,
	`{"text":"` + "\xff" + `"}`,
	`{"id":"<&>","text":"x"}`,
	`{"id":"h","text":"a<b & c>d"}`,
	`{"text":"line\u2028sep   para"}`,
	`{"text":"中文，plain ascii and 中文 é ä 😀"}`,
	`{"text":"truncated \xe4\xb8"}`,
	`{}`,
	`{"text":"x"} trailing`,
}

func checkDecode(t *testing.T, line []byte) {
	var fast, slow Message
	if !fast.decodeFast(line) {
		return
	}
	if err := slow.decodeSlow(line); err != nil {
		t.Fatalf("fast path accepted %q, encoding/json: %v", line, err)
	}
	if fast.Text != slow.Text || fast.Role != slow.Role || string(fast.AppendID(nil)) != string(slow.AppendID(nil)) {
		t.Fatalf("%q: fast %q %q %s, slow %q %q %s", line, fast.Text, fast.Role, fast.AppendID(nil), slow.Text, slow.Role, slow.AppendID(nil))
	}
	// Borrowing the line's bytes changes nothing but where the text lives.
	borrowed := Message{Borrow: true}
	if !borrowed.decodeFast(line) || borrowed.Text != fast.Text || borrowed.textPlain != fast.textPlain {
		t.Fatalf("%q: borrowed %q (plain %v), copied %q (plain %v)", line, borrowed.Text, borrowed.textPlain, fast.Text, fast.textPlain)
	}
	// A text taken as plain is written back as it came: that must be what encoding/json
	// writes for it.
	if want, _ := json.Marshal(fast.Text); fast.textPlain && string(want) != `"`+fast.Text+`"` {
		t.Fatalf("%q: text %q taken as plain, encoding/json writes %s", line, fast.Text, want)
	}
}

// FuzzDecode checks that the fast decoder agrees with encoding/json on every line it
// accepts, that decoding never panics, and that the output object is valid JSON.
func FuzzDecode(f *testing.F) {
	engine, err := risk.New(risk.DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		checkDecode(t, line)
		var m Message
		if m.Decode(line) != nil {
			return
		}
		r := engine.Check(m.Role, m.Text)
		out := AppendResult(nil, &m, &r)
		if !json.Valid(out) {
			t.Fatalf("invalid output %q", out)
		}
		// The output is the id and the result as AppendJSONFields writes it, whichever
		// path wrote the masked text.
		want := r.AppendJSONFields(append(m.AppendID([]byte(`{"id":`)), ','))
		if string(out) != string(want) {
			t.Fatalf("output\n got %s\nwant %s", out, want)
		}
	})
}

func TestDecodeErrors(t *testing.T) {
	for line, want := range map[string]string{
		`this is not json`:          "invalid JSON: ",
		`{"id":"d","text":`:         "invalid JSON: ",
		`["not","an","object"]`:     "not a JSON object",
		`null`:                      "not a JSON object",
		`{"id":"b","role":"agent"}`: `no "text"`,
		`{"text":null}`:             `no "text"`,
		`{"text":42}`:               `"text" is not a string`,
		`{"text":"x","role":"bot"}`: `role "bot"`,
		`{"text":"x","role":7}`:     `"role" is not a string`,
	} {
		var m Message
		err := m.Decode([]byte(line))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Decode(%s) = %v, want %q…", line, err, want)
		}
	}
	var m Message
	if err := m.Decode([]byte(`{"id":{"a": [1, 2]},"text":"x"}`)); err != nil || string(m.AppendID(nil)) != `{"a":[1,2]}` {
		t.Errorf("object id: %v %s", err, m.AppendID(nil))
	}
	if err := m.Decode([]byte(`{"text":"x"}`)); err != nil || string(m.AppendID(nil)) != "null" || m.IDText() != "null" {
		t.Errorf("missing id: %v %s", err, m.AppendID(nil))
	}
}

// BenchmarkDecode decodes the scan input lines made from the risk corpus.
func BenchmarkDecode(b *testing.B) {
	lines := corpusLines(b)
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	var m Message
	for b.Loop() {
		for _, l := range lines {
			if err := m.Decode(l); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAppendResult encodes the results of the corpus lines.
func BenchmarkAppendResult(b *testing.B) {
	engine, err := risk.New(risk.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	lines := corpusLines(b)
	msgs := make([]Message, len(lines))
	results := make([]risk.Result, len(lines))
	n := 0
	for i, l := range lines {
		if err := msgs[i].Decode(l); err != nil {
			b.Fatal(err)
		}
		results[i] = engine.Check(msgs[i].Role, msgs[i].Text)
		n += len(AppendResult(nil, &msgs[i], &results[i]))
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		for i := range msgs {
			buf = AppendResult(buf[:0], &msgs[i], &results[i])
		}
	}
}

// corpusLines returns the risk corpus as scan input lines: {"id", "role", "text"}.
func corpusLines(b *testing.B) [][]byte {
	data, err := os.ReadFile("../testdata/corpus.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var lines [][]byte
	for i, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var in struct{ Role, Text string }
		if err := json.Unmarshal(l, &in); err != nil {
			b.Fatal(err)
		}
		out, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("m-%06d", i), "role": in.Role, "text": in.Text})
		lines = append(lines, out)
	}
	return lines
}

// TestPlain8 holds the eight-byte test of scanText to the byte table: it never calls a
// word plain that has a byte the table does not call plain.
func TestPlain8(t *testing.T) {
	edge := []byte{0x00, 0x1F, 0x20, 0x21, '"', 0x23, 0x25, '&', 0x27, 0x3B, '<', 0x3D, '>', 0x3F, 'A', '[', '\\', ']', 'a', 0x7E, 0x7F, 0x80, 0xC3, 0xE4, 0xFF}
	rng := rand.New(rand.NewPCG(9, 10))
	var w [8]byte
	plainWords := 0
	for range 200000 {
		for i := range w {
			w[i] = edge[rng.IntN(len(edge))]
			if rng.IntN(3) > 0 {
				w[i] = byte(0x20 + rng.IntN(0x5F)) // mostly printable ASCII
			}
		}
		all := true
		for _, c := range w {
			all = all && textBytes[c] == bPlain
		}
		got := plain8(binary.LittleEndian.Uint64(w[:]))
		if got && !all {
			t.Fatalf("plain8(%q) = true", w[:])
		}
		if all {
			plainWords++
			if !got {
				t.Fatalf("plain8(%q) = false for plain bytes", w[:])
			}
		}
	}
	if plainWords == 0 {
		t.Fatal("no plain word drawn")
	}
}

// TestCJKPair holds the two-character test of scanText to the rules it stands for: it
// never passes six bytes that are not two valid, plain three-byte characters.
func TestCJKPair(t *testing.T) {
	leads := []byte{0x41, 0x80, 0xC3, 0xDF, 0xE0, 0xE1, 0xE2, 0xE3, 0xE4, 0xE9, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xFF}
	conts := []byte{0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xA8, 0xA9, 0xBF, 0xC0, 0xFF}
	passed := 0
	for _, l0 := range leads {
		for _, l1 := range leads {
			for _, c0 := range conts {
				for _, c1 := range conts {
					for _, c2 := range conts {
						for _, c3 := range conts {
							b := []byte{l0, c0, c1, l1, c2, c3, '"', 0}
							if !cjkPair(binary.LittleEndian.Uint64(b)) {
								continue
							}
							passed++
							r0, n0 := utf8.DecodeRune(b[:3])
							r1, n1 := utf8.DecodeRune(b[3:6])
							if n0 != 3 || n1 != 3 || // a valid character is three bytes long here
								r0 == '\u2028' || r0 == '\u2029' || r1 == '\u2028' || r1 == '\u2029' {
								t.Fatalf("% x passed the pair test", b[:6])
							}
						}
					}
				}
			}
		}
	}
	if passed == 0 {
		t.Fatal("the pair test passed nothing")
	}
}
