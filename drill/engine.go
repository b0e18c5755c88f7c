package drill

import (
	"strings"
	"sync"
	"unicode/utf8"

	"safedesk"
	"safedesk/risk"
)

// Bounds that keep every run finite.
const (
	// DefaultMaxReplyRunes is the longest reply accepted, in code points.
	DefaultMaxReplyRunes = 2000
	// DefaultMaxTurns is the number of replies after which a run ends whatever the
	// scenario's state: a script with a loop still ends.
	DefaultMaxTurns = 20
)

// Engine plays scenarios. Build it with New; set the exported fields before first use.
// It is safe for concurrent use; a Run is not, and a server serialises the replies of
// one run.
type Engine struct {
	// MaxReplyRunes and MaxTurns bound replies and runs (DefaultMaxReplyRunes and
	// DefaultMaxTurns when zero).
	MaxReplyRunes int
	MaxTurns      int

	risk *risk.Engine
	lex  *lexicon

	mu    sync.Mutex
	cache map[*safedesk.DrillScenario]*matcher
}

// cacheLimit bounds the compiled scenarios kept: a handful of pack versions in memory,
// never a leak when packs are reinstalled all day.
const cacheLimit = 256

// New returns an engine that checks replies with r.
func New(r *risk.Engine) *Engine {
	return &Engine{risk: r, lex: newLexicon(), cache: map[*safedesk.DrillScenario]*matcher{}}
}

// matcher returns the compiled intents of s. Scenarios are immutable once loaded, so
// the pointer is the key.
func (e *Engine) matcher(s *safedesk.DrillScenario) *matcher {
	e.mu.Lock()
	m := e.cache[s]
	e.mu.Unlock()
	if m != nil {
		return m
	}
	m = compile(s)
	e.mu.Lock()
	if len(e.cache) >= cacheLimit {
		clear(e.cache)
	}
	e.cache[s] = m
	e.mu.Unlock()
	return m
}

// Reply scores the trainee's reply text in run, a run of scenario s, advances the run,
// and returns the customer's next messages (none when a critical error ends the run in a
// state that is not an end state). It returns ECONFLICT once the run is done or when s
// is not the run's scenario, and EINVALID for an empty reply or one longer than
// MaxReplyRunes; run is unchanged then.
func (e *Engine) Reply(run *Run, s *safedesk.DrillScenario, text string) ([]Message, error) {
	if run.Done {
		return nil, safedesk.Localized(safedesk.ECONFLICT, "", "drill.done", "This drill has ended.")
	}
	if s == nil || s.ID != run.Scenario {
		return nil, safedesk.Localized(safedesk.ECONFLICT, "", "drill.scenario", "This run belongs to another scenario.")
	}
	st := s.States[run.State]
	if st == nil {
		return nil, safedesk.Localized(safedesk.ECONFLICT, "", "drill.state", "This run's scenario has changed; start the drill again.")
	}
	text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
	if text == "" {
		return nil, safedesk.Localized(safedesk.EINVALID, "text", "drill.reply_empty", "Write a reply first.")
	}
	limit := cmpOr(e.MaxReplyRunes, DefaultMaxReplyRunes)
	if utf8.RuneCountInString(text) > limit {
		return nil, safedesk.Localized(safedesk.EINVALID, "text", "drill.reply_too_long", "A reply is at most %d characters.", limit)
	}

	fb, masked, shown, critical := e.assess(run, s, text)
	next := nextState(st, shown, run.State)
	run.Feedback = append(run.Feedback, fb)
	run.Transcript = append(run.Transcript, Message{From: FromAgent, Text: masked})
	var out []Message
	ns := s.States[next]
	switch {
	case critical:
		// The customer reacts only when the script has an ending for this move.
		if ns != nil && ns.End {
			run.State, out = next, say(ns, run.Lang)
		}
		finish(run, s, EndCritical)
	case ns == nil:
		// content.Load never lets a transition point nowhere; end rather than stall.
		finish(run, s, EndReached)
	default:
		run.State, out = next, say(ns, run.Lang)
		switch {
		case ns.End:
			finish(run, s, EndReached)
		case len(run.Feedback) >= cmpOr(e.MaxTurns, DefaultMaxTurns):
			finish(run, s, EndMaxTurns)
		}
	}
	run.Feedback[len(run.Feedback)-1].Transition = run.State
	run.Transcript = append(run.Transcript, out...)
	score(run)
	return out, nil
}

// assess reads one reply of run: the risk engine's findings, the intents shown, the rules
// that fire. It returns the feedback, the reply masked as the transcript keeps it, the
// set of intents shown and whether a critical rule fired.
func (e *Engine) assess(run *Run, s *safedesk.DrillScenario, text string) (Feedback, string, map[string]bool, bool) {
	rr := e.risk.Check(risk.RoleAgent, text)
	rd := e.lex.read(text)
	mr := e.matcher(s).match(&rd)
	fb := Feedback{
		Reply:    len(run.Feedback),
		Line:     len(run.Transcript),
		State:    run.State,
		Intents:  nonNil(mr.shown),
		Negated:  mr.negated,
		Matches:  mr.matches,
		Findings: maskedFindings(text, rr.Masked, rr.Findings, run.Lang),
		Hits:     []Hit{},
	}
	shown := make(map[string]bool, len(mr.shown))
	for _, in := range mr.shown {
		shown[in] = true
	}
	critical := false
	for _, sev := range severities(s) {
		for _, r := range sev.rules {
			if fires(r, shown, rr.Findings) {
				fb.Hits = append(fb.Hits, newHit(r, sev.name, run.Lang))
				critical = critical || sev.name == SeverityCritical
			}
		}
	}
	// The engine is unsure when nothing decided anything (no intent, and no finding that
	// a rule judges: a finding no rule names carries no verdict), or when the reply
	// pulls both ways.
	fb.Uncertain = len(mr.shown) == 0 && len(fb.Hits) == 0 || mr.harmful && mr.good
	return fb, rr.Masked, shown, critical
}

// fires reports whether rule r fires on a reply that showed the intents in shown and has
// the findings fs. Missing rules are judged at the end of the run, not here.
func fires(r safedesk.RubricRule, shown map[string]bool, fs []risk.Finding) bool {
	switch {
	case r.Missing != "":
		return false
	case r.When != "":
		return shown[r.When]
	}
	for _, f := range fs {
		for _, t := range r.Risk {
			if typeMatches(t, string(f.Type)) {
				return true
			}
		}
	}
	return false
}

// typeMatches reports whether a rule's risk entry names finding type t: exactly
// ("pii.phone"), or a whole class ("pii" or "pii.*").
func typeMatches(pattern, t string) bool {
	if pattern == t {
		return true
	}
	class := strings.TrimSuffix(strings.TrimSuffix(pattern, "*"), ".")
	return class != "" && strings.HasPrefix(t, class+".")
}

// nextState returns the target of the first transition of st whose intent the reply
// showed, else of its first unconditional transition, else the current state (the
// customer repeats herself).
func nextState(st *safedesk.DrillState, shown map[string]bool, current string) string {
	for _, t := range st.Next {
		if t.When != "" && shown[t.When] {
			return t.Goto
		}
	}
	for _, t := range st.Next {
		if t.When == "" {
			return t.Goto
		}
	}
	return current
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
