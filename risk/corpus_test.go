package risk

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// labelled is one message of the labelled corpus in testdata/corpus.jsonl.
type labelled struct {
	Role    Role   `json:"role"`
	Text    string `json:"text"`
	Types   []Type `json:"types"`
	Emotion string `json:"emotion"`
}

func readCorpus(t testing.TB, name string) []labelled {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("corpus line %d: %v", n, err)
		}
		out = append(out, l)
	}
	return out
}

// counts is a confusion tally for one label.
type counts struct{ tp, fp, fn int }

// record counts one decision: wanted or not, given or not.
func (c *counts) record(want, got bool) {
	switch {
	case want && got:
		c.tp++
	case want:
		c.fn++
	case got:
		c.fp++
	}
}

func (c counts) prf() (p, r, f float64) {
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	} else {
		p = 1
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	} else {
		r = 1
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// TestCorpusQuality measures precision, recall and F1 per finding type and per family on
// the labelled corpus, prints them, and fails below the targets of the issue: personal
// data F1 ≥ 0.97, links ≥ 0.95, fraud ≥ 0.90, anger ≥ 0.85, and no personal data left in
// masked text.
func TestCorpusQuality(t *testing.T) {
	corpus := readCorpus(t, corpusFile)
	if len(corpus) < 500 {
		t.Errorf("corpus has %d messages, want at least 500", len(corpus))
	}
	per := scoreCorpus(t, newTestEngine(t), corpus)
	for k, min := range map[string]float64{"pii": 0.97, "url": 0.95, "fraud": 0.90, "emotion.anger": 0.85} {
		if _, _, f := per[k].prf(); f < min {
			t.Errorf("%s F1 = %.3f, want ≥ %.2f", k, f, min)
		}
	}
}

// batchFile names a labelled file, in the corpus's format, for TestBatchQuality to score.
var batchFile = flag.String("batch", "", "labelled JSON Lines file for TestBatchQuality to score")

// TestBatchQuality prints precision, recall and F1 per type for a batch of new labelled
// messages named by -batch, with no targets: it is how a batch written after a change to
// the rules is scored before any change is made for it.
//
//	go test ./risk -run TestBatchQuality -v -batch testdata/batch.jsonl
func TestBatchQuality(t *testing.T) {
	if *batchFile == "" {
		t.Skip("no -batch file")
	}
	scoreCorpus(t, newTestEngine(t), readCorpus(t, *batchFile))
}

// scoreCorpus checks every message of corpus, fails the test if personal data is left in
// masked text, logs the misreads when verbose, and logs and returns the tally per type,
// per family and per emotion label.
func scoreCorpus(t *testing.T, e *Engine, corpus []labelled) map[string]*counts {
	t.Helper()
	per := map[string]*counts{}
	tally := func(k string) *counts {
		if per[k] == nil {
			per[k] = &counts{}
		}
		return per[k]
	}
	family := func(ty Type) string { return string(ty)[:strings.IndexByte(string(ty), '.')] }
	for _, l := range corpus {
		r := e.Check(l.Role, l.Text)
		got := map[Type]bool{}
		for _, f := range r.Findings {
			got[f.Type] = true
			if f.Type.IsPII() && strings.Contains(r.Masked, f.Text) {
				t.Errorf("%q: masked text still contains %s %q", l.Text, f.Type, f.Text)
			}
		}
		for _, ty := range Types {
			want := slices.Contains(l.Types, ty)
			for _, k := range []string{string(ty), family(ty)} {
				c := tally(k)
				switch {
				case want && got[ty]:
					c.tp++
				case want:
					c.fn++
					if k == string(ty) && testing.Verbose() {
						t.Logf("missed %-24s %q", ty, l.Text)
					}
				case got[ty]:
					c.fp++
					if k == string(ty) && testing.Verbose() {
						t.Logf("false  %-24s %q", ty, l.Text)
					}
				}
			}
		}
		wantEmo := l.Emotion
		if wantEmo == "" {
			wantEmo = EmotionNeutral
		}
		for _, lab := range []string{EmotionAnger, EmotionAnxiety, EmotionPositive, EmotionNeutral} {
			tally("emotion."+lab).record(wantEmo == lab, r.Emotion.Label == lab)
		}
		if wantEmo != r.Emotion.Label && testing.Verbose() {
			t.Logf("emotion %s, want %s: %q", r.Emotion.Label, wantEmo, l.Text)
		}
	}
	keys := make([]string, 0, len(per))
	for k := range per {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-26s %5s %5s %5s  %6s %6s %6s\n", "label", "tp", "fp", "fn", "prec", "recall", "F1")
	for _, k := range keys {
		p, r, f := per[k].prf()
		fmt.Fprintf(&sb, "%-26s %5d %5d %5d  %6.3f %6.3f %6.3f\n", k, per[k].tp, per[k].fp, per[k].fn, p, r, f)
	}
	t.Logf("quality on %d messages:\n%s", len(corpus), sb.String())
	return per
}

var (
	corpusFile   = "testdata/corpus.jsonl"
	everydayFile = "testdata/everyday.jsonl" // everyday chat, nothing to find
	adviceFile   = "testdata/advice.jsonl"   // advice and buyers' questions, nothing to find; not trained on
	// calmFile is ordinary, calm customer-service chat labelled for tone (neutral,
	// positive, anxiety; never anger): what a tone model must learn not to call angry.
	calmFile = "testdata/calm.jsonl"
)

func newTestEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEverydayIsClean checks that the everyday chat messages of the scan benchmarks
// (testdata/everyday.jsonl: questions about stock, sizes, delivery, returns) give no
// finding: most of what a shop's chat holds is like them.
func TestEverydayIsClean(t *testing.T) {
	e := newTestEngine(t)
	for _, l := range readCorpus(t, everydayFile) {
		if r := e.Check(l.Role, l.Text); len(r.Findings) > 0 {
			t.Errorf("%s %q: %v", l.Role, l.Text, r.Findings)
		}
	}
}

// TestAdviceIsClean checks that safety advice about passwords, codes and refunds, a
// buyer's questions about how to pay or whether a contact is genuine, and other
// everyday lines (testdata/advice.jsonl) give no finding. None of them is in the
// training data of the statistical models, so a retrain that moves the fraud model onto
// ordinary advice shows here: two did while it was written ("安全起见，您可以先修改一下
// 支付密码。", "快递员让我扫码领取赔偿，这个是你们安排的吗").
func TestAdviceIsClean(t *testing.T) {
	e := newTestEngine(t)
	for _, l := range readCorpus(t, adviceFile) {
		if r := e.Check(l.Role, l.Text); len(r.Findings) > 0 {
			t.Errorf("%s %q: %v", l.Role, l.Text, r.Findings)
		}
	}
}

// TestCalmIsCalm checks that the engine calls at most one in a hundred messages of the
// calm sample angry. Most of a shop's chat is like them, so a false alarm rate above
// that would outnumber the anger found and teach trainees to soothe customers who are
// not upset.
func TestCalmIsCalm(t *testing.T) {
	e := newTestEngine(t)
	calm := readCorpus(t, calmFile)
	if len(calm) < 800 {
		t.Errorf("calm sample has %d messages, want at least 800", len(calm))
	}
	angry := 0
	for _, l := range calm {
		if l.Emotion == EmotionAnger {
			t.Errorf("calm sample holds an angry message: %q", l.Text)
		}
		if e.Check(l.Role, l.Text).Emotion.Label == EmotionAnger {
			angry++
			if testing.Verbose() {
				t.Logf("called angry: %q", l.Text)
			}
		}
	}
	if angry*100 > len(calm) {
		t.Errorf("%d of %d calm messages called angry, want at most 1%%", angry, len(calm))
	}
}

// TestEveryRuleExplained checks that every rule the corpus sets off has a reason of its
// own in both languages, not the generic one.
func TestEveryRuleExplained(t *testing.T) {
	e := newTestEngine(t)
	for _, l := range readCorpus(t, corpusFile) {
		for _, f := range e.Check(l.Role, l.Text).Findings {
			if r, ok := Explain(f.Rule); !ok || r.ZH == "" || r.EN == "" {
				t.Errorf("rule %s (on %q) has no reason", f.Rule, l.Text)
			}
		}
	}
}
