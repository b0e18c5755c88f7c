package risk

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheck checks the invariants of Check on any input: it never panics; findings are
// never nil; every span lies inside the text, on code-point boundaries, with Text equal
// to that slice of the original; scores and the emotion are in range; masked text never
// contains a detected personal value; AppendJSON equals encoding/json.
func FuzzCheck(f *testing.F) {
	for _, m := range chatMessages {
		f.Add(string(m.role), m.text)
	}
	for _, s := range []string{"", "\xff\xfe", "加\u200b微\u200d信", "１３８ ００１３ ８０００", "http://[::1]/x",
		"a@b.co(at)c.de", "身份证 11010519491231002X", "+++86 138", "http://", "。。。", "廣東省深圳市南山區科技園路88號"} {
		f.Add("customer", s)
	}
	e := newTestEngine(f)
	f.Fuzz(func(t *testing.T, role, text string) {
		r := e.Check(Role(role), text)
		if r.Findings == nil {
			t.Fatal("nil findings")
		}
		n := 0
		for range text {
			n++
		}
		offsets := make([]int, 0, n+1)
		for i := range text {
			offsets = append(offsets, i)
		}
		offsets = append(offsets, len(text))
		for _, fd := range r.Findings {
			if fd.Start < 0 || fd.End > n || fd.Start >= fd.End {
				t.Fatalf("span [%d,%d) outside text of %d code points: %q", fd.Start, fd.End, n, text)
			}
			if want := text[offsets[fd.Start]:offsets[fd.End]]; fd.Text != want {
				t.Fatalf("finding text %q, slice is %q", fd.Text, want)
			}
			if fd.Score <= 0 || fd.Score > 1 {
				t.Fatalf("score %v", fd.Score)
			}
			if fd.Type.IsPII() && strings.Contains(r.Masked, fd.Text) {
				t.Fatalf("masked %q still contains %s %q", r.Masked, fd.Type, fd.Text)
			}
		}
		if r.Emotion.Score < 0 || r.Emotion.Score > 1 || r.Emotion.Label == "" {
			t.Fatalf("emotion %v", r.Emotion)
		}
		if utf8.ValidString(text) && !utf8.ValidString(r.Masked) {
			t.Fatalf("masked text of valid input is not valid UTF-8: %q", r.Masked)
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Fatalf("AppendJSON\n got %s\nwant %s", got, want)
		}
	})
}
