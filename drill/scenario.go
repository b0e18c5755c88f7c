package drill

import (
	"slices"
	"strings"

	"safedesk"
)

// refuseIntent names the intent a negated harmful phrase counts as: "我不能提供她的电话"
// shows refusal even when the scenario's refusal phrases do not cover that wording.
const refuseIntent = "refuse"

// A matcher is a scenario's intents, compiled.
type matcher struct {
	intents []intentMatcher // by name
	refuse  bool            // the scenario defines refuseIntent
}

type intentMatcher struct {
	name string
	// harmful: a critical, major or minor rule fires on it; good: a good rule fires on it
	// or a missing rule wants it.
	harmful, good bool
	// negatable: a critical or major rule fires on it, so it names an action, and a
	// negated action is not taken. Minor rules judge wording (jargon, a rude word), which
	// a negation does not take back.
	negatable bool
	patterns  []pattern
}

// compile builds the matcher of s. Phrases of every language count in every run: a
// trainee in a Chinese run who writes "sorry, I can't" still refuses.
func compile(s *safedesk.DrillScenario) *matcher {
	m := &matcher{}
	harmful, negatable, good := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range s.Rubric.Critical {
		harmful[r.When], negatable[r.When] = true, true
	}
	for _, r := range s.Rubric.Major {
		harmful[r.When], negatable[r.When] = true, true
	}
	for _, r := range s.Rubric.Minor {
		harmful[r.When] = true
	}
	for _, rules := range [][]safedesk.RubricRule{s.Rubric.Critical, s.Rubric.Major, s.Rubric.Minor, s.Rubric.Good} {
		for _, r := range rules {
			good[r.Missing] = true
		}
	}
	for _, r := range s.Rubric.Good {
		good[r.When] = true
	}
	names := make([]string, 0, len(s.Intents))
	for name := range s.Intents {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		im := intentMatcher{name: name, harmful: harmful[name], good: good[name], negatable: negatable[name]}
		langs := make([]string, 0, len(s.Intents[name]))
		for lang := range s.Intents[name] {
			langs = append(langs, lang)
		}
		slices.Sort(langs)
		seen := map[string]bool{}
		for _, lang := range langs {
			for _, p := range s.Intents[name][lang] {
				pt, ok := newPattern(p, true)
				if !ok || seen[pt.text+flags(pt)] {
					continue
				}
				seen[pt.text+flags(pt)] = true
				im.patterns = append(im.patterns, pt)
			}
		}
		m.intents = append(m.intents, im)
		if name == refuseIntent {
			m.refuse = true
		}
	}
	return m
}

// flags tells apart patterns of the same text that match differently.
func flags(p pattern) string {
	var b strings.Builder
	if p.anyStart {
		b.WriteByte('<')
	}
	if p.anyEnd {
		b.WriteByte('>')
	}
	if p.digit {
		b.WriteByte('#')
	}
	return b.String()
}

// A Match is the evidence for an intent: the phrase that matched and whether it was
// negated.
type Match struct {
	Intent  string `json:"intent"`
	Phrase  string `json:"phrase"`
	Negated bool   `json:"negated,omitempty"`
}

// matchResult is what a reply shows.
type matchResult struct {
	shown   []string // intents shown, sorted
	negated []string // negatable intents named only under a negation, sorted
	matches []Match
	harmful bool // a harmful intent is shown
	good    bool // a good intent is shown
}

// match reads the intents of a reply. An intent is shown when one of its phrases occurs
// and, for a negatable intent, is not governed by a negation. A negatable intent whose
// every occurrence is negated is reported as negated and shows the refusal intent.
func (m *matcher) match(r *reading) matchResult {
	var res matchResult
	refused := false
	for i := range m.intents {
		im := &m.intents[i]
		shown, neg := "", ""
		for j := range im.patterns {
			p := &im.patterns[j]
			p.each(r.text, func(s, e int) bool {
				if r.splits(s) {
					return true
				}
				if im.negatable && r.negated(s, e) {
					if neg == "" {
						neg = p.source
					}
					return true
				}
				shown = p.source
				return false
			})
			if shown != "" {
				break
			}
		}
		switch {
		case shown != "":
			res.shown = append(res.shown, im.name)
			res.matches = append(res.matches, Match{Intent: im.name, Phrase: shown})
			res.harmful = res.harmful || im.harmful
			res.good = res.good || im.good
		case neg != "":
			res.negated = append(res.negated, im.name)
			res.matches = append(res.matches, Match{Intent: im.name, Phrase: neg, Negated: true})
			refused = true
		}
	}
	if refused && m.refuse && !slices.Contains(res.shown, refuseIntent) {
		res.shown = append(res.shown, refuseIntent)
		slices.Sort(res.shown)
		for i := range m.intents {
			if m.intents[i].name == refuseIntent {
				res.harmful = res.harmful || m.intents[i].harmful
				res.good = res.good || m.intents[i].good
			}
		}
	}
	return res
}
