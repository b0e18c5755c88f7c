package drill

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"safedesk"
	"safedesk/content"
)

// A transcript file (testdata/transcripts/<scenario id>.yaml) holds hand-written runs of
// one default scenario and what each must come to:
//
//	scenario: address-change
//	paths:
//	  - name: good                 # unique within the file and language
//	    lang: zh-CN                # zh-CN | en
//	    want: pass                 # pass: ends at an end state, passed, no critical error
//	                               # critical: ends on a critical error (all of `critical`)
//	                               # safe: no critical error, whatever the score
//	    critical: [confirm-order-data]
//	    known: why this fails today  # a scenario problem, reported in the log, not failed
//	    replies:
//	      - 理解您着急……              # a reply, or a reply with expectations:
//	      - text: 请用下单账号……
//	        intents: [verify]        # shown by this reply (at least these)
//	        not: [comply-change]     # not shown by this reply
//	probes:                        # single replies sent in a given state
//	  - {lang: en, state: rush, text: "…", intents: [escalate]}
//	model_answer_known: {en: why}  # a known problem of the model answer (TestModelAnswers)
//
// A probe must raise no critical error and lose no points; its intents, if listed, must
// be shown. Probes are how paraphrases of good replies are held to "must not be failed".
type transcriptFile struct {
	Scenario string      `yaml:"scenario"`
	Paths    []goldenRun `yaml:"paths"`
	Probes   []probe     `yaml:"probes"`
	// ModelAnswerKnown notes, per language, a known problem of the scenario's model answer
	// (see TestModelAnswers).
	ModelAnswerKnown map[string]string `yaml:"model_answer_known"`
}

type goldenRun struct {
	Name     string        `yaml:"name"`
	Lang     string        `yaml:"lang"`
	Want     string        `yaml:"want"`
	Critical []string      `yaml:"critical"`
	Known    string        `yaml:"known"`
	Replies  []goldenReply `yaml:"replies"`
}

type goldenReply struct {
	Text    string   `yaml:"text"`
	Intents []string `yaml:"intents"`
	Not     []string `yaml:"not"`
}

// UnmarshalYAML reads a reply written as a plain string or as a mapping.
func (r *goldenReply) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		r.Text = n.Value
		return nil
	}
	type plain goldenReply
	return n.Decode((*plain)(r))
}

type probe struct {
	Lang    string   `yaml:"lang"`
	State   string   `yaml:"state"`
	Text    string   `yaml:"text"`
	Intents []string `yaml:"intents"`
	Known   string   `yaml:"known"`
}

const transcriptDir = "testdata/transcripts"

// defaultDrills returns the default pack's scenarios by id; it skips the test while the
// pack has none.
func defaultDrills(t *testing.T) map[string]*safedesk.DrillScenario {
	t.Helper()
	p, err := content.Load(content.Default())
	if err != nil {
		t.Fatalf("the default pack does not load: %v", err)
	}
	if len(p.Drills) == 0 {
		t.Skip("the default pack has no drills yet")
	}
	out := map[string]*safedesk.DrillScenario{}
	for _, d := range p.Drills {
		out[d.ID] = d
	}
	return out
}

func readTranscripts(t *testing.T) map[string]*transcriptFile {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(transcriptDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*transcriptFile{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tf transcriptFile
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&tf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if want := strings.TrimSuffix(filepath.Base(f), ".yaml"); tf.Scenario != want {
			t.Fatalf("%s: scenario %q, want %q", f, tf.Scenario, want)
		}
		out[tf.Scenario] = &tf
	}
	return out
}

// TestGoldenTranscripts plays every transcript of testdata/transcripts against the
// default pack's scenarios, and checks that every scenario has transcripts covering, in
// each language, a good path that passes, a paraphrased one, and two critical failures
// on different rules.
func TestGoldenTranscripts(t *testing.T) {
	drills := defaultDrills(t)
	files := readTranscripts(t)
	e := newTestEngine(t)
	ids := make([]string, 0, len(drills))
	for id := range drills {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for id := range files {
		if drills[id] == nil {
			t.Errorf("%s/%s.yaml: the default pack has no scenario %q", transcriptDir, id, id)
		}
	}
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			tf := files[id]
			if tf == nil {
				t.Fatalf("no transcripts: write %s/%s.yaml", transcriptDir, id)
			}
			s := drills[id]
			checkCoverage(t, tf)
			for _, p := range tf.Paths {
				t.Run(p.Lang+"/"+p.Name, func(t *testing.T) { playGolden(t, e, s, p) })
			}
			for i, pr := range tf.Probes {
				t.Run(fmt.Sprintf("%s/probe-%d", pr.Lang, i), func(t *testing.T) { playProbe(t, e, s, pr) })
			}
		})
	}
}

// checkCoverage holds a transcript file to the bar of the issue.
func checkCoverage(t *testing.T, tf *transcriptFile) {
	t.Helper()
	for _, lang := range safedesk.Langs {
		pass, paraphrases := 0, 0
		critical := map[string]bool{}
		names := map[string]bool{}
		for _, p := range tf.Paths {
			if p.Lang != lang {
				continue
			}
			if names[p.Name] {
				t.Errorf("%s: path %q given twice", lang, p.Name)
			}
			names[p.Name] = true
			switch p.Want {
			case "pass":
				pass++
				if strings.HasPrefix(p.Name, "paraphrase") {
					paraphrases++
				}
			case "critical":
				if len(p.Critical) == 0 {
					t.Errorf("%s/%s: a critical path names the rules it must break", lang, p.Name)
				}
				for _, r := range p.Critical {
					critical[r] = true
				}
			case "safe":
			default:
				t.Errorf("%s/%s: want %q is not pass, critical or safe", lang, p.Name, p.Want)
			}
		}
		for _, pr := range tf.Probes {
			if pr.Lang == lang {
				paraphrases++
			}
		}
		if pass < 1 || paraphrases < 1 || len(critical) < 2 {
			t.Errorf("%s: %d passing paths, %d paraphrases, critical rules %v: want a good path, paraphrases of it, and two critical failures",
				lang, pass, paraphrases, slices.Sorted(mapKeys(critical)))
		}
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// playGolden plays one path and checks it; a known problem is logged instead.
func playGolden(t *testing.T, e *Engine, s *safedesk.DrillScenario, p goldenRun) {
	run, _ := Start(s, p.Lang)
	var problems []string
	for i, r := range p.Replies {
		if run.Done {
			problems = append(problems, fmt.Sprintf("the run ended (%s) before reply %d %q", run.End, i+1, r.Text))
			break
		}
		if _, err := e.Reply(run, s, r.Text); err != nil {
			t.Fatalf("reply %d %q: %v", i+1, r.Text, err)
		}
		fb := run.Feedback[len(run.Feedback)-1]
		for _, in := range r.Intents {
			if !slices.Contains(fb.Intents, in) {
				problems = append(problems, fmt.Sprintf("reply %d does not show %q\n%s", i+1, in, describe(run, fb, r.Text)))
			}
		}
		for _, in := range r.Not {
			if slices.Contains(fb.Intents, in) {
				problems = append(problems, fmt.Sprintf("reply %d shows %q\n%s", i+1, in, describe(run, fb, r.Text)))
			}
		}
	}
	switch p.Want {
	case "pass":
		if !run.Passed {
			problems = append(problems, fmt.Sprintf("the run did not pass: done %v (%s), score %d of %d, critical %v",
				run.Done, run.End, run.Score, run.PassScore, hitRules(run.Critical)))
		}
	case "critical":
		if run.End != EndCritical {
			problems = append(problems, fmt.Sprintf("the run did not end on a critical error: done %v (%s)", run.Done, run.End))
		}
		for _, r := range p.Critical {
			if !slices.Contains(hitRules(run.Critical), r) {
				problems = append(problems, fmt.Sprintf("critical rule %q did not fire (fired: %v)", r, hitRules(run.Critical)))
			}
		}
	case "safe":
		if len(run.Critical) > 0 {
			problems = append(problems, fmt.Sprintf("critical errors %v", hitRules(run.Critical)))
		}
	}
	if len(problems) > 0 {
		problems = append(problems, describeRun(run, p))
	}
	report(t, s.ID, p.Lang+"/"+p.Name, p.Known, problems)
}

// playProbe sends one reply in a given state.
func playProbe(t *testing.T, e *Engine, s *safedesk.DrillScenario, pr probe) {
	if s.States[pr.State] == nil {
		t.Fatalf("probe %q: no state %q", pr.Text, pr.State)
	}
	run, _ := Start(s, pr.Lang)
	run.State = pr.State
	if _, err := e.Reply(run, s, pr.Text); err != nil {
		t.Fatal(err)
	}
	fb := run.Feedback[0]
	var problems []string
	for _, h := range fb.Hits {
		if h.Severity != SeverityGood {
			problems = append(problems, fmt.Sprintf("%s rule %q fired", h.Severity, h.Rule))
		}
	}
	for _, in := range pr.Intents {
		if !slices.Contains(fb.Intents, in) {
			problems = append(problems, fmt.Sprintf("intent %q not shown", in))
		}
	}
	if len(problems) > 0 {
		problems = append(problems, describe(run, fb, pr.Text))
	}
	report(t, s.ID, pr.Lang+" probe in "+pr.State, pr.Known, problems)
}

// report fails the test with every problem, or logs them for a known scenario problem.
func report(t *testing.T, id, what, known string, problems []string) {
	t.Helper()
	switch {
	case len(problems) == 0 && known != "":
		t.Logf("scenario %s, %s: the known problem (%s) is gone; drop the note", id, what, known)
	case len(problems) == 0:
	case known != "":
		t.Logf("scenario %s, %s: KNOWN SCENARIO PROBLEM: %s\n%s", id, what, known, strings.Join(problems, "\n"))
	default:
		t.Errorf("scenario %s, %s:\n%s", id, what, strings.Join(problems, "\n"))
	}
}

func describe(run *Run, fb Feedback, text string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "    in state %q: %q\n", fb.State, text)
	fmt.Fprintf(&b, "    intents %v negated %v uncertain %v → %q\n", fb.Intents, fb.Negated, fb.Uncertain, fb.Transition)
	for _, m := range fb.Matches {
		fmt.Fprintf(&b, "      %s ← %q", m.Intent, m.Phrase)
		if m.Negated {
			b.WriteString(" (negated)")
		}
		b.WriteByte('\n')
	}
	for _, f := range fb.Findings {
		fmt.Fprintf(&b, "    finding %s %q\n", f.Type, f.Text)
	}
	for _, h := range fb.Hits {
		fmt.Fprintf(&b, "    %s %s %+d\n", h.Severity, h.Rule, h.Points)
	}
	return strings.TrimRight(b.String(), "\n")
}

func describeRun(run *Run, p goldenRun) string {
	var b strings.Builder
	b.WriteString("  the run:\n")
	for i, fb := range run.Feedback {
		fmt.Fprintf(&b, "  reply %d\n%s\n", i+1, describe(run, fb, p.Replies[i].Text))
	}
	for _, h := range run.Final {
		fmt.Fprintf(&b, "  at the end: %s %s %+d (counted %v)\n", h.Severity, h.Rule, h.Points, h.Counted)
	}
	fmt.Fprintf(&b, "  score %d (earned %d of %d, penalty %d), pass score %d", run.Score, run.Earned, run.GoodPoints, run.Penalty, run.PassScore)
	return b.String()
}

// TestModelAnswers: every default scenario's model answer, sent as the first reply in
// either language, raises no critical error and loses no points, and shows every intent
// a missing rule asks for (or the model answer itself would be marked down).
func TestModelAnswers(t *testing.T) {
	drills := defaultDrills(t)
	e := newTestEngine(t)
	files := readTranscripts(t)
	for id, s := range drills {
		for _, lang := range safedesk.Langs {
			t.Run(id+"/"+lang, func(t *testing.T) {
				text := s.ModelAnswer.In(lang)
				run, _ := Start(s, lang)
				if _, err := e.Reply(run, s, text); err != nil {
					t.Fatal(err)
				}
				fb := run.Feedback[0]
				var problems []string
				for _, h := range fb.Hits {
					if h.Severity != SeverityGood {
						problems = append(problems, fmt.Sprintf("%s rule %q fired", h.Severity, h.Rule))
					}
				}
				for _, sev := range severities(s) {
					for _, r := range sev.rules {
						if r.Missing != "" && !slices.Contains(fb.Intents, r.Missing) {
							problems = append(problems, fmt.Sprintf("intent %q (wanted by %s rule %q) not shown", r.Missing, sev.name, r.Rule))
						}
					}
				}
				if len(problems) > 0 {
					problems = append(problems, describe(run, fb, text))
				}
				known := ""
				if tf := files[id]; tf != nil {
					known = tf.ModelAnswerKnown[lang]
				}
				report(t, id, "model answer "+lang, known, problems)
			})
		}
	}
}

// TestNeutralReplies sends every everyday reply of testdata/neutral-replies.yaml as the
// first reply of every default scenario: none may break a rule. This is where intent
// phrases that catch ordinary wording show up.
func TestNeutralReplies(t *testing.T) {
	drills := defaultDrills(t)
	b, err := os.ReadFile("testdata/neutral-replies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var replies map[string][]neutralReply
	if err := yaml.Unmarshal(b, &replies); err != nil {
		t.Fatal(err)
	}
	for _, rs := range replies {
		for _, r := range rs {
			for _, id := range r.NotIn {
				if drills[id] == nil {
					t.Errorf("%q: not_in names no scenario %q", r.Text, id)
				}
			}
		}
	}
	e := newTestEngine(t)
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range drills {
			if !yield(id) {
				return
			}
		}
	})
	for _, id := range ids {
		s := drills[id]
		for _, lang := range safedesk.Langs {
			for _, r := range replies[lang] {
				if slices.Contains(r.NotIn, id) {
					continue
				}
				text := r.Text
				run, _ := Start(s, lang)
				if _, err := e.Reply(run, s, text); err != nil {
					t.Fatal(err)
				}
				fb := run.Feedback[0]
				for _, h := range fb.Hits {
					if h.Severity != SeverityGood {
						t.Errorf("scenario %s, %s: %s rule %q fired on an everyday reply\n%s", id, lang, h.Severity, h.Rule, describe(run, fb, text))
					}
				}
			}
		}
	}
}

// A neutralReply is an everyday reply, written as a string or as {text, not_in}.
type neutralReply struct {
	Text  string   `yaml:"text"`
	NotIn []string `yaml:"not_in"`
}

// UnmarshalYAML reads a reply written as a plain string or as a mapping.
func (r *neutralReply) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		r.Text = n.Value
		return nil
	}
	type plain neutralReply
	return n.Decode((*plain)(r))
}
