package drill

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"safedesk"
	"safedesk/content"
	"safedesk/risk"
)

// testRisk is the risk engine of the tests: building one takes a while, and it is
// immutable.
var testRisk = sync.OnceValues(func() (*risk.Engine, error) { return risk.New(risk.DefaultConfig()) })

// newTestEngine returns a fresh drill engine over the default risk configuration.
func newTestEngine(tb testing.TB) *Engine {
	tb.Helper()
	r, err := testRisk()
	if err != nil {
		tb.Fatal(err)
	}
	return New(r)
}

// loadTestScenario reads testdata/pack (a whole pack, through the real parser) and
// returns its one drill.
func loadTestScenario(tb testing.TB) *safedesk.DrillScenario {
	tb.Helper()
	p, err := content.Load(os.DirFS("testdata/pack"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(p.Drills) != 1 {
		tb.Fatalf("%d drills in testdata/pack, want 1", len(p.Drills))
	}
	return p.Drills[0]
}

// play starts a run and sends every reply, failing the test on an error.
func play(t *testing.T, e *Engine, s *safedesk.DrillScenario, lang string, replies ...string) *Run {
	t.Helper()
	run, _ := Start(s, lang)
	for i, r := range replies {
		if _, err := e.Reply(run, s, r); err != nil {
			t.Fatalf("reply %d %q: %v", i, r, err)
		}
	}
	return run
}

func hitRules(hs []Hit) []string {
	out := []string{}
	for _, h := range hs {
		if h.Counted {
			out = append(out, h.Rule)
		}
	}
	return out
}

func TestStart(t *testing.T) {
	s := loadTestScenario(t)
	for _, lang := range []string{"zh-CN", "en", "en-GB", "fr"} {
		run, msgs := Start(s, lang)
		want := safedesk.NormalizeLang(lang)
		if run.Lang != want || run.State != "ask" || run.Done || run.PassScore != 70 || run.GoodPoints != 50 {
			t.Errorf("%s: run %+v", lang, run)
		}
		if len(msgs) != 1 || msgs[0].From != FromCustomer || msgs[0].Text != s.States["ask"].Say[0][want] {
			t.Errorf("%s: messages %+v", lang, msgs)
		}
		if !reflect.DeepEqual(run.Transcript, msgs) {
			t.Errorf("%s: transcript %+v", lang, run.Transcript)
		}
	}
}

func TestReplyPaths(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	tests := []struct {
		name     string
		lang     string
		replies  []string
		end      string
		passed   bool
		score    int
		critical []string
		final    []string
	}{
		{
			name: "good zh", lang: "zh-CN",
			replies: []string{"抱歉，买家的联系方式不能提供哦。", "请买家本人登录账号在订单页面联系我们，这次询问我也会上报主管。"},
			end:     EndReached, passed: true, score: 100,
		},
		{
			name: "good en", lang: "en",
			replies: []string{"Sorry, I can't share the buyer's contact details.", "Please ask her to contact us from the order page of her own account; I'll escalate this to my supervisor."},
			end:     EndReached, passed: true, score: 100,
		},
		{
			name: "negated disclosure is a refusal", lang: "zh-CN",
			replies: []string{"我不能告诉你她的电话是多少", "这件事我会上报主管"},
			end:     EndReached, passed: true, score: 80, // refuse 20 + escalate 10 of 50
		},
		{
			name: "critical by intent ends the run in the bad ending", lang: "zh-CN",
			replies: []string{"好的，她的电话是一三八开头的"},
			end:     EndCritical, score: 50, critical: []string{"disclose"}, // nothing earned; missing rules do not count
		},
		{
			name: "critical by risk class", lang: "en",
			replies: []string{"Sorry, I can't share it. Well, OK: 138 0013 8000"},
			end:     EndCritical, score: 70, critical: []string{"disclose-pii"},
		},
		{
			name: "missing escalation and a partial disclosure", lang: "zh-CN",
			replies: []string{"抱歉，不能提供", "尾号是8000，别的请她在订单页面联系我们"},
			end:     EndReached, score: 55, final: []string{"no-escalation"},
		},
		{
			name: "jargon costs points", lang: "en",
			replies: []string{"Sorry, per SOP I can't share it.", "Please use the order page; I'll escalate this to my supervisor."},
			end:     EndReached, passed: true, score: 95,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := play(t, e, s, tt.lang, tt.replies...)
			res := run.Result()
			if !res.Done || res.End != tt.end || res.Passed != tt.passed {
				t.Errorf("done %v end %q passed %v, want end %q passed %v", res.Done, res.End, res.Passed, tt.end, tt.passed)
			}
			if tt.score != 0 && res.Score != tt.score {
				t.Errorf("score %d, want %d (earned %d, penalty %d)", res.Score, tt.score, run.Earned, run.Penalty)
			}
			if got := hitRules(res.Critical); !slices.Equal(got, nonNil(tt.critical)) {
				t.Errorf("critical %v, want %v", got, tt.critical)
			}
			if got := hitRules(res.Final); !slices.Equal(got, nonNil(tt.final)) {
				t.Errorf("final %v, want %v", got, tt.final)
			}
			if res.ModelAnswer != s.ModelAnswer.In(run.Lang) {
				t.Errorf("model answer %q", res.ModelAnswer)
			}
			if t.Failed() {
				b, _ := json.MarshalIndent(run.Feedback, "", "  ")
				t.Logf("feedback: %s", b)
			}
		})
	}
}

// TestReplyScoreArithmetic spells out the "missing escalation" path: refuse 20 + verify 20
// of 50 good points → 50 + 50×40/50 = 90; partial disclosure −15; no escalation −20 → 55.
func TestReplyScoreArithmetic(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	run := play(t, e, s, "zh-CN", "抱歉，不能提供", "尾号是8000，别的请她在订单页面联系我们")
	if run.Earned != 40 || run.Penalty != 35 || run.Score != 55 {
		t.Errorf("earned %d penalty %d score %d, want 40 35 55", run.Earned, run.Penalty, run.Score)
	}
}

func TestReplyCriticalOutsideAnEnding(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	run, _ := Start(s, "en")
	msgs, err := e.Reply(run, s, "Sure, my WeChat is lee_2024, add me")
	if err != nil {
		t.Fatal(err)
	}
	// agree-off-platform has no transition of its own in "ask": the default goes to
	// "push", which is not an ending, so the customer says nothing more.
	if len(msgs) != 0 || !run.Done || run.End != EndCritical || run.State != "ask" {
		t.Errorf("messages %v done %v end %q state %q", msgs, run.Done, run.End, run.State)
	}
}

func TestReplyMasksPersonalData(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	const phone = "13800138000"
	const email = "zhang.san@example.com"
	run := play(t, e, s, "en", "Her phone is "+phone+" and her e-mail is "+email+", OK?")
	b, err := json.Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{phone, email} {
		if strings.Contains(string(b), raw) {
			t.Errorf("the stored run contains %q: %s", raw, b)
		}
	}
	fb := run.Feedback[0]
	masked := []rune(run.Transcript[fb.Line].Text)
	if len(fb.Findings) < 2 {
		t.Fatalf("findings %+v", fb.Findings)
	}
	for _, f := range fb.Findings {
		if f.Start < 0 || f.End > len(masked) || f.Start > f.End || string(masked[f.Start:f.End]) != f.Text {
			t.Errorf("finding %+v does not slice %q", f, string(masked))
		}
		if f.Type == string(risk.PIIEmail) && (!strings.HasPrefix(f.Text, "z") || !strings.HasSuffix(f.Text, "@example.com")) {
			t.Errorf("e-mail finding %q", f.Text)
		}
	}
}

func TestReplyErrors(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	run, _ := Start(s, "zh-CN")
	before, _ := json.Marshal(run)
	check := func(name, text string, sc *safedesk.DrillScenario, code string) {
		t.Helper()
		_, err := e.Reply(run, sc, text)
		if got := safedesk.ErrorCode(err); got != code {
			t.Errorf("%s: code %q (%v), want %q", name, got, err, code)
		}
		if after, _ := json.Marshal(run); string(after) != string(before) {
			t.Errorf("%s: the run changed", name)
		}
	}
	check("empty", " \n\t ", s, safedesk.EINVALID)
	check("too long", strings.Repeat("好", DefaultMaxReplyRunes+1), s, safedesk.EINVALID)
	other := *s
	other.ID = "other"
	check("other scenario", "抱歉", &other, safedesk.ECONFLICT)
	check("no scenario", "抱歉", nil, safedesk.ECONFLICT)
	if _, err := e.Reply(run, s, strings.Repeat("好", DefaultMaxReplyRunes)); err != nil {
		t.Errorf("a reply of exactly the limit: %v", err)
	}

	run = play(t, e, s, "zh-CN", "她的电话是13800138000")
	if _, err := e.Reply(run, s, "抱歉"); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
		t.Errorf("reply after the end: %v", err)
	}
}

func TestMaxTurns(t *testing.T) {
	e := newTestEngine(t)
	e.MaxTurns = 5
	s := loadTestScenario(t)
	run, _ := Start(s, "zh-CN")
	n := 0
	for !run.Done {
		if _, err := e.Reply(run, s, "嗯嗯"); err != nil {
			t.Fatal(err)
		}
		n++
		if n > 5 {
			t.Fatal("the run did not end")
		}
	}
	if n != 5 || run.End != EndMaxTurns {
		t.Errorf("ended after %d replies with %q", n, run.End)
	}
	if got := hitRules(run.Final); !slices.Equal(got, []string{"no-escalation"}) {
		t.Errorf("final %v", got)
	}
	if got := run.Uncertain(); len(got) != 5 {
		t.Errorf("uncertain replies %v, want all five", got)
	}
}

// TestResume: a run stored as JSON and read back continues exactly as one kept in memory.
func TestResume(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	replies := []string{"Sorry, I can't share that.", "Per SOP, that is all I can say.", "I'll escalate this."}
	direct := play(t, e, s, "en", replies...)

	run, _ := Start(s, "en")
	for _, r := range replies {
		b, err := json.Marshal(run)
		if err != nil {
			t.Fatal(err)
		}
		run = new(Run)
		if err := json.Unmarshal(b, run); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Reply(run, s, r); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := json.Marshal(direct)
	b, _ := json.Marshal(run)
	if string(a) != string(b) {
		t.Errorf("resumed run differs\n direct %s\nresumed %s", a, b)
	}
}

func TestUncertain(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	tests := []struct {
		reply string
		want  bool
	}{
		{"嗯嗯好的", true},                     // nothing matched, nothing found
		{"抱歉，不能提供", false},                 // a good intent
		{"抱歉，她的电话是138开头", true},            // harmful and good together
		{"我的手机是13800138000", false},        // a finding a rule judges
		{"Sorry, I can't share it", false}, // a good intent in English
		{"好的，加我微信 wx123456 详聊", true},      // a finding no rule judges, no intent
	}
	for _, tt := range tests {
		run := play(t, e, s, "zh-CN", tt.reply)
		if got := run.Feedback[0].Uncertain; got != tt.want {
			t.Errorf("%q: uncertain %v, want %v (intents %v, findings %d)", tt.reply, got, tt.want, run.Feedback[0].Intents, len(run.Feedback[0].Findings))
		}
	}
}

func TestOverride(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)

	// A trainer passes the reply that ended the run: no critical error remains, the run
	// stays ended, and the missing rules now count.
	run := play(t, e, s, "zh-CN", "抱歉，她的电话是138开头")
	if run.Passed || len(run.Critical) != 1 {
		t.Fatalf("critical %v", run.Critical)
	}
	if err := run.Override(0, VerdictPass); err != nil {
		t.Fatal(err)
	}
	if len(run.Critical) != 0 || !run.Done || run.Feedback[0].Hits[0].Counted || !run.Final[0].Counted {
		t.Errorf("after pass: critical %v done %v hits %+v final %+v", run.Critical, run.Done, run.Feedback[0].Hits, run.Final)
	}
	if run.Score != 50 || run.Passed { // refuse 20 of 50 → 70, no escalation −20
		t.Errorf("after pass: score %d passed %v", run.Score, run.Passed)
	}

	// A trainer fails a good reply: the run fails, and the good points move to the next
	// reply that showed the same intent.
	run = play(t, e, s, "en", "Sorry, I can't share that.", "Sorry again: please use the order page, I'll escalate this.")
	if !run.Passed || run.Score != 100 {
		t.Fatalf("score %d passed %v", run.Score, run.Passed)
	}
	if err := run.Override(0, VerdictFail); err != nil {
		t.Fatal(err)
	}
	if run.Passed || len(run.Critical) != 1 || run.Critical[0].Rule != ruleTrainerFail || run.Score != 100 {
		t.Errorf("after fail: passed %v critical %v score %d", run.Passed, run.Critical, run.Score)
	}
	if h := run.Feedback[1].Hits; !slices.ContainsFunc(h, func(h Hit) bool { return h.Rule == "polite-refusal" && h.Counted }) {
		t.Errorf("the second refusal does not count: %+v", h)
	}
	// Withdrawing the verdict restores the engine's reading.
	if err := run.Override(0, VerdictNone); err != nil {
		t.Fatal(err)
	}
	if !run.Passed || len(run.Critical) != 0 || len(run.Feedback[0].Hits) != 1 {
		t.Errorf("after withdrawal: passed %v critical %v hits %+v", run.Passed, run.Critical, run.Feedback[0].Hits)
	}

	for _, bad := range []struct {
		i int
		v Verdict
	}{{-1, VerdictPass}, {2, VerdictPass}, {0, "maybe"}} {
		if err := run.Override(bad.i, bad.v); safedesk.ErrorCode(err) != safedesk.EINVALID {
			t.Errorf("Override(%d, %q): %v", bad.i, bad.v, err)
		}
	}
}

// TestDeterministic: the same replies give byte-identical runs.
func TestDeterministic(t *testing.T) {
	e := newTestEngine(t)
	s := loadTestScenario(t)
	replies := []string{"抱歉，不能提供她的电话，也不能加你微信", "尾号也不能说。请在订单页面联系，我会上报主管"}
	a, _ := json.Marshal(play(t, e, s, "zh-CN", replies...))
	for range 20 {
		b, _ := json.Marshal(play(t, e, s, "zh-CN", replies...))
		if string(a) != string(b) {
			t.Fatalf("runs differ\n%s\n%s", a, b)
		}
	}
}
