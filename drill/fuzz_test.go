package drill

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"safedesk"
)

// FuzzReply checks the invariants of Reply on any input: it never panics; it fails only
// with EINVALID, and only for an empty or overlong reply; every finding's span lies inside
// the masked reply of the transcript and Text is exactly that slice; the run stays valid
// JSON and its score in 0..100.
func FuzzReply(f *testing.F) {
	for _, s := range []string{
		"", " ", "抱歉，不能提供", "我不能提供她的电话", "她的电话是13800138000", "I can't share her address",
		"zhang.san@example.com a@b.co(at)c.de", "ab@x.co", "１３８ ００１３ ８０００", "\xff\xfe", "加\u200b微\u200d信",
		"don't worry, my WeChat is wl3321", "http://taobao-refund.top/claim", "’'’'", "不不不不不", "n't 's 'll",
	} {
		f.Add(s, "zh-CN")
		f.Add(s, "en")
	}
	e := newTestEngine(f)
	sc := loadTestScenario(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		run, _ := Start(sc, lang)
		_, err := e.Reply(run, sc, text)
		if err != nil {
			if safedesk.ErrorCode(err) != safedesk.EINVALID {
				t.Fatalf("Reply(%q): %v", text, err)
			}
			return
		}
		fb := run.Feedback[0]
		masked := []rune(run.Transcript[fb.Line].Text)
		for _, fd := range fb.Findings {
			if fd.Start < 0 || fd.Start > fd.End || fd.End > len(masked) {
				t.Fatalf("finding %+v outside the masked reply of %d code points %q", fd, len(masked), string(masked))
			}
			if string(masked[fd.Start:fd.End]) != fd.Text {
				t.Fatalf("finding text %q, slice is %q", fd.Text, string(masked[fd.Start:fd.End]))
			}
		}
		if !utf8.ValidString(run.Transcript[fb.Line].Text) {
			t.Fatalf("transcript text is not valid UTF-8: %q", run.Transcript[fb.Line].Text)
		}
		if run.Score < 0 || run.Score > 100 {
			t.Fatalf("score %d", run.Score)
		}
		if !run.Done {
			if _, err := e.Reply(run, sc, text); err != nil {
				t.Fatalf("second reply: %v", err)
			}
		}
		if _, err := json.Marshal(run); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzMatch checks that folding and matching any phrase against any reply never panics
// and that spans stay inside the folded reply.
func FuzzMatch(f *testing.F) {
	f.Add("不能提供", "我不能提供她的电话")
	f.Add("can't*", "I can't, sorry")
	f.Add("*", "***")
	f.Add("电话是1", "她的电话是13800138000不要外传")
	lx := newLexicon()
	f.Fuzz(func(t *testing.T, phrase, reply string) {
		p, ok := newPattern(phrase, true)
		if !ok {
			return
		}
		rd := lx.read(reply)
		p.each(rd.text, func(s, e int) bool {
			if s < 0 || e > len(rd.text) || s >= e || rd.text[s:e] != p.text {
				t.Fatalf("span [%d,%d) of %q in %q", s, e, p.text, rd.text)
			}
			rd.negated(s, e)
			return true
		})
	})
}
