package drill

import (
	"safedesk"
)

// Who speaks in a drill.
const (
	FromCustomer = "customer"
	FromAgent    = "agent"
)

// A Message is one line of the chat. Agent lines are stored masked: personal data the
// trainee typed never leaves the engine.
type Message struct {
	From string `json:"from"`
	Text string `json:"text"`
}

// Severities of a rubric rule, and of a trainer's judgement.
const (
	SeverityCritical = "critical"
	SeverityMajor    = "major"
	SeverityMinor    = "minor"
	SeverityGood     = "good"
)

// Why a run ended.
const (
	EndReached  = "end"       // the customer's script reached an end state
	EndCritical = "critical"  // a critical error ended the run
	EndMaxTurns = "max_turns" // the trainee used every reply the engine allows
)

// A Verdict is a trainer's decision on one reply.
type Verdict string

// The verdicts a trainer can give.
const (
	// VerdictNone withdraws an earlier verdict: the engine's reading stands.
	VerdictNone Verdict = ""
	// VerdictPass says the reply was acceptable: its critical errors and penalties are
	// struck out; the good points it earned stay.
	VerdictPass Verdict = "pass"
	// VerdictFail says the reply was a critical error: the run fails and the good points
	// the reply earned are withdrawn.
	VerdictFail Verdict = "fail"
)

// ruleTrainerFail is the rule recorded for a reply a trainer failed.
const ruleTrainerFail = "trainer-review"

// A Hit is a rubric rule that fired, with its message in the trainee's language.
type Hit struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	// Points is the rule's effect on the score: positive for a good rule, negative for a
	// major or minor one, zero for a critical one.
	Points  int    `json:"points"`
	Message string `json:"message"`
	// Counted is false for a good rule already earned earlier in the run, and for a hit
	// a trainer's verdict struck out.
	Counted bool `json:"counted"`
}

// A Finding is something the risk engine found in a reply: its type, why it matters, and
// where it is in the masked reply of the transcript. Text is that slice of the masked
// reply, never the raw personal data.
type Finding struct {
	Type   string  `json:"type"`
	Start  int     `json:"start"` // code points into the masked reply
	End    int     `json:"end"`
	Text   string  `json:"text"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

// Feedback is the engine's reading of one reply: what it showed, what the risk engine
// found, and which rules fired.
type Feedback struct {
	Reply      int       `json:"reply"` // index among the trainee's replies, from 0
	Line       int       `json:"line"`  // index of the reply in the transcript
	State      string    `json:"state"` // the state the reply answered
	Intents    []string  `json:"intents"`
	Negated    []string  `json:"negated,omitempty"`
	Matches    []Match   `json:"matches,omitempty"`
	Findings   []Finding `json:"findings"`
	Hits       []Hit     `json:"hits"`
	Uncertain  bool      `json:"uncertain"`
	Verdict    Verdict   `json:"verdict,omitempty"`
	Transition string    `json:"transition"` // the state the run was in after the reply
}

// Run is one trainee's pass through a scenario. It holds everything needed to resume the
// run and to score it, and is meant to be stored as JSON between replies. Score, Critical
// and Passed are derived: Reply and Override keep them current.
type Run struct {
	Scenario   string     `json:"scenario"`
	Lang       string     `json:"lang"`
	State      string     `json:"state"`
	PassScore  int        `json:"pass_score"`
	GoodPoints int        `json:"good_points"` // the points of all the scenario's good rules
	Transcript []Message  `json:"transcript"`
	Feedback   []Feedback `json:"feedback"`
	// Final holds the rules judged when the run ended: the missing rules. They count
	// only when no critical error does: a run that failed on one is about that error.
	Final       []Hit  `json:"final"`
	Done        bool   `json:"done"`
	End         string `json:"end,omitempty"`
	ModelAnswer string `json:"model_answer,omitempty"`

	Earned   int   `json:"earned"`   // good points counted
	Penalty  int   `json:"penalty"`  // major and minor points counted
	Score    int   `json:"score"`    // 0..100
	Critical []Hit `json:"critical"` // counted critical errors
	Passed   bool  `json:"passed"`
}

// Start begins a run of s in lang (normalised with safedesk.NormalizeLang) and returns it
// with the customer's opening messages. s must be a valid scenario, as content.Load
// returns them.
func Start(s *safedesk.DrillScenario, lang string) (*Run, []Message) {
	lang = safedesk.NormalizeLang(lang)
	run := &Run{
		Scenario:   s.ID,
		Lang:       lang,
		State:      s.Start,
		PassScore:  s.PassScore,
		Transcript: []Message{},
		Feedback:   []Feedback{},
		Final:      []Hit{},
	}
	for _, r := range s.Rubric.Good {
		run.GoodPoints += r.Points
	}
	st := s.States[s.Start]
	msgs := say(st, lang)
	run.Transcript = append(run.Transcript, msgs...)
	if st != nil && st.End {
		finish(run, s, EndReached)
	}
	score(run)
	return run, msgs
}

// say returns the customer's lines of st in lang.
func say(st *safedesk.DrillState, lang string) []Message {
	if st == nil {
		return nil
	}
	out := make([]Message, 0, len(st.Say))
	for _, t := range st.Say {
		out = append(out, Message{From: FromCustomer, Text: t.In(lang)})
	}
	return out
}

// finish ends run: the missing rules are judged and the model answer is shown.
func finish(run *Run, s *safedesk.DrillScenario, why string) {
	run.Done, run.End = true, why
	run.ModelAnswer = s.ModelAnswer.In(run.Lang)
	shown := map[string]bool{}
	for _, fb := range run.Feedback {
		for _, in := range fb.Intents {
			shown[in] = true
		}
	}
	for _, sev := range severities(s) {
		for _, r := range sev.rules {
			if r.Missing != "" && !shown[r.Missing] {
				run.Final = append(run.Final, newHit(r, sev.name, run.Lang))
			}
		}
	}
}

// Result is the outcome of a run as the API reports it.
type Result struct {
	Done        bool       `json:"done"`
	End         string     `json:"end,omitempty"`
	Score       int        `json:"score"`
	PassScore   int        `json:"pass_score"`
	Passed      bool       `json:"passed"`
	Critical    []Hit      `json:"critical"`
	Feedback    []Feedback `json:"feedback"`
	Final       []Hit      `json:"final"`
	ModelAnswer string     `json:"model_answer,omitempty"`
}

// Result returns the outcome of run. Before the run is done, Passed is false and there is
// no model answer. Feedback names the rules and phrases that fired: a trainee sees it in
// the debrief, once the run is done, never while it is on.
func (run *Run) Result() Result {
	return Result{
		Done:        run.Done,
		End:         run.End,
		Score:       run.Score,
		PassScore:   run.PassScore,
		Passed:      run.Passed,
		Critical:    nonNil(run.Critical),
		Feedback:    nonNil(run.Feedback),
		Final:       nonNil(run.Final),
		ModelAnswer: run.ModelAnswer,
	}
}

// Uncertain returns the indexes of the replies the engine was unsure about and no trainer
// has judged yet: the review queue.
func (run *Run) Uncertain() []int {
	var out []int
	for i, fb := range run.Feedback {
		if fb.Uncertain && fb.Verdict == VerdictNone {
			out = append(out, i)
		}
	}
	return out
}

// Override records a trainer's verdict on reply i (an index into Feedback) and recomputes
// the score. It does not change the course of the chat: a run that a critical error
// ended stays ended. It returns EINVALID for an index out of range or an unknown verdict.
func (run *Run) Override(i int, v Verdict) error {
	if i < 0 || i >= len(run.Feedback) {
		return safedesk.Localized(safedesk.EINVALID, "reply", "drill.no_reply", "This run has no reply %d.", i)
	}
	switch v {
	case VerdictNone, VerdictPass, VerdictFail:
	default:
		return safedesk.Localized(safedesk.EINVALID, "verdict", "drill.bad_verdict", "A verdict is %q, %q or empty.", VerdictPass, VerdictFail)
	}
	fb := &run.Feedback[i]
	hits := fb.Hits[:0]
	for _, h := range fb.Hits {
		if h.Rule != ruleTrainerFail {
			hits = append(hits, h)
		}
	}
	fb.Hits = hits
	if v == VerdictFail {
		fb.Hits = append(fb.Hits, Hit{Rule: ruleTrainerFail, Severity: SeverityCritical, Message: engineMessage(ruleTrainerFail, run.Lang)})
	}
	fb.Verdict = v
	score(run)
	return nil
}

// Base is the score of a run that earned no good points and lost none.
const Base = 50

// score recomputes the derived fields of run:
//
//	earned  = Σ points of the distinct good rules shown in replies not failed by a trainer
//	penalty = Σ points of the major and minor rules hit by replies not passed by a trainer
//	          (once per rule per reply) + Σ points of the missing rules judged at the end,
//	          unless a critical error counts
//	score   = clamp(round(Base + (100 − Base) × earned / GoodPoints) − penalty, 0, 100)
//	passed  = done ∧ no counted critical error ∧ score ≥ PassScore
//
// A scenario without good rules scores 100 − penalty. Scaling the good points makes the
// score independent of the scale a scenario's author chose: showing every good move is
// worth 50 points above the base whatever the rules add up to.
func score(run *Run) {
	earned, penalty := 0, 0
	var critical []Hit
	seen := map[string]bool{}
	for i := range run.Feedback {
		fb := &run.Feedback[i]
		for j := range fb.Hits {
			h := &fb.Hits[j]
			switch h.Severity {
			case SeverityGood:
				h.Counted = fb.Verdict != VerdictFail && !seen[h.Rule]
				if h.Counted {
					seen[h.Rule] = true
					earned += h.Points
				}
			case SeverityCritical:
				h.Counted = fb.Verdict != VerdictPass || h.Rule == ruleTrainerFail
				if h.Counted {
					critical = append(critical, *h)
				}
			default:
				h.Counted = fb.Verdict != VerdictPass
				if h.Counted {
					penalty -= h.Points
				}
			}
		}
	}
	failed := len(critical) > 0
	for i := range run.Final {
		h := &run.Final[i]
		h.Counted = !failed
		switch {
		case failed:
		case h.Severity == SeverityCritical:
			critical = append(critical, *h)
		default:
			penalty -= h.Points
		}
	}
	s := 100.0
	if run.GoodPoints > 0 {
		s = Base + float64(100-Base)*float64(min(earned, run.GoodPoints))/float64(run.GoodPoints)
	}
	run.Earned, run.Penalty = earned, penalty
	run.Score = max(0, min(100, int(s+0.5)-penalty))
	run.Critical = nonNil(critical)
	run.Passed = run.Done && len(critical) == 0 && run.Score >= run.PassScore
}

// severity is one list of a rubric.
type severity struct {
	name  string
	rules []safedesk.RubricRule
}

func severities(s *safedesk.DrillScenario) [4]severity {
	return [4]severity{
		{SeverityCritical, s.Rubric.Critical},
		{SeverityMajor, s.Rubric.Major},
		{SeverityMinor, s.Rubric.Minor},
		{SeverityGood, s.Rubric.Good},
	}
}

func newHit(r safedesk.RubricRule, sev, lang string) Hit {
	h := Hit{Rule: r.Rule, Severity: sev, Message: r.Message.In(lang)}
	switch sev {
	case SeverityGood:
		h.Points = r.Points
	case SeverityMajor, SeverityMinor:
		h.Points = -r.Points
	}
	return h
}

func engineMessage(key, lang string) string {
	m := engineMessages[key]
	if s, ok := m[lang]; ok {
		return s
	}
	return m[safedesk.LangEN]
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
