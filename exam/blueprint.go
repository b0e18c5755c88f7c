package exam

import (
	"fmt"
	"slices"
	"strings"

	"safedesk"
)

// RuleMatches reports whether q fits blueprint rule r: same chapter, one of the rule's
// difficulties (any when none is listed) and at least one of its tags (any when none is
// listed). It agrees with content.RuleMatches, which checks packs when they are loaded;
// a test holds the two together.
func RuleMatches(r safedesk.BlueprintRule, q *safedesk.Question) bool {
	if q.ChapterID != r.ChapterID {
		return false
	}
	if len(r.Difficulty) > 0 && !slices.Contains(r.Difficulty, q.Difficulty) {
		return false
	}
	if len(r.Tags) == 0 {
		return true
	}
	for _, t := range r.Tags {
		if slices.Contains(q.Tags, t) {
			return true
		}
	}
	return false
}

// CheckBlueprint reports whether bank can satisfy spec's blueprint: every rule draws at
// least one question and the rules together can be given distinct questions that fit
// them. It is what Draw checks first, for a trainer's exam to be refused when it is saved.
//
// The EINVALID error names the first rule that cannot be satisfied, with its field
// ("blueprint[2].count") and the numbers: how many questions it asks for and how many fit,
// or, when rules compete for the same questions, how many of those asked for by the rules
// up to it can be placed.
func CheckBlueprint(spec *safedesk.ExamSpec, bank []*safedesk.Question) error {
	_, err := newPlanner(spec, bank)
	return err
}

// A planner holds a blueprint's rules and, for each, the bank questions that fit it.
type planner struct {
	rules []safedesk.BlueprintRule
	qs    []*safedesk.Question // the bank without nils, sorted by id
	elig  [][]int              // rule → indices into qs, ascending
	// lastRule is, per question, the last rule it fits (−1 for none); overlap reports
	// whether any question fits more than one rule, the only case in which picking needs
	// the feasibility check.
	lastRule []int
	overlap  bool
	// owner and seen are scratch space for feasible.
	owner []int
	seen  []bool
}

func newPlanner(spec *safedesk.ExamSpec, bank []*safedesk.Question) (*planner, error) {
	if spec == nil {
		return nil, safedesk.Errorf(safedesk.EINVALID, "No exam to draw a paper for.")
	}
	if len(spec.Blueprint) == 0 {
		return nil, safedesk.FieldError("blueprint", "The blueprint of exam %q draws no questions.", spec.ID)
	}
	for i, r := range spec.Blueprint {
		if r.Count < 1 {
			return nil, safedesk.FieldError(fmt.Sprintf("blueprint[%d].count", i),
				"blueprint[%d] (%s) must draw at least 1 question, not %d.", i, describeRule(r), r.Count)
		}
	}
	pl := &planner{rules: spec.Blueprint, qs: make([]*safedesk.Question, 0, len(bank))}
	for _, q := range bank {
		if q != nil {
			pl.qs = append(pl.qs, q)
		}
	}
	slices.SortFunc(pl.qs, func(a, b *safedesk.Question) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(pl.qs); i++ {
		if pl.qs[i].ID == pl.qs[i-1].ID {
			return nil, safedesk.Errorf(safedesk.EINVALID, "Question %q appears twice in the bank.", pl.qs[i].ID)
		}
	}
	pl.elig = make([][]int, len(pl.rules))
	pl.lastRule = make([]int, len(pl.qs))
	for qi, q := range pl.qs {
		pl.lastRule[qi] = -1
		for r, rule := range pl.rules {
			if RuleMatches(rule, q) {
				pl.elig[r] = append(pl.elig[r], qi)
				if pl.lastRule[qi] >= 0 {
					pl.overlap = true
				}
				pl.lastRule[qi] = r
			}
		}
	}
	pl.owner = make([]int, len(pl.qs))
	pl.seen = make([]bool, len(pl.qs))
	if err := pl.check(); err != nil {
		return nil, err
	}
	return pl, nil
}

// check places the rules' questions one by one with augmenting paths (Kuhn's algorithm
// for bipartite matching, rules having capacity Count). A unit that finds no path stays
// unplaced for good, so the first failure names the first rule whose prefix of the
// blueprint cannot be satisfied, and the count placed so far is the most the prefix allows.
func (pl *planner) check() error {
	for i := range pl.owner {
		pl.owner[i] = -1
	}
	placed := 0
	for r, rule := range pl.rules {
		for range rule.Count {
			clear(pl.seen)
			if !pl.augment(r, nil) {
				return pl.shortError(r, placed)
			}
			placed++
		}
	}
	return nil
}

func (pl *planner) shortError(r, placed int) error {
	rule := pl.rules[r]
	field := fmt.Sprintf("blueprint[%d].count", r)
	if fit := len(pl.elig[r]); fit < rule.Count {
		return safedesk.FieldError(field, "blueprint[%d] (%s) asks for %s but the bank has only %d that fit.",
			r, describeRule(rule), questions(rule.Count), fit)
	}
	asked := 0
	for _, x := range pl.rules[:r+1] {
		asked += x.Count
	}
	return safedesk.FieldError(field,
		"blueprint[%d] (%s) asks for %s and %d fit, but earlier rules need some of the same questions: "+
			"blueprint[0] to blueprint[%d] ask for %s and the bank can give them only %d.",
		r, describeRule(rule), questions(rule.Count), len(pl.elig[r]), r, questions(asked), placed)
}

// feasible reports whether, with the questions in picked taken, rule from can still get
// first more questions and every later rule its Count.
func (pl *planner) feasible(from, first int, picked []bool) bool {
	for i := range pl.owner {
		pl.owner[i] = -1
	}
	for r := from; r < len(pl.rules); r++ {
		need := pl.rules[r].Count
		if r == from {
			need = first
		}
		for range need {
			clear(pl.seen)
			if !pl.augment(r, picked) {
				return false
			}
		}
	}
	return true
}

// augment finds one more question for rule r along an alternating path, skipping picked
// questions (picked may be nil).
func (pl *planner) augment(r int, picked []bool) bool {
	for _, q := range pl.elig[r] {
		if pl.seen[q] || pl.owner[q] == r || (picked != nil && picked[q]) {
			continue
		}
		pl.seen[q] = true
		if pl.owner[q] < 0 || pl.augment(pl.owner[q], picked) {
			pl.owner[q] = r
			return true
		}
	}
	return false
}

// fitsLater reports whether question q fits a rule after r.
func (pl *planner) fitsLater(q, r int) bool {
	return pl.lastRule[q] > r
}

func questions(n int) string {
	if n == 1 {
		return "1 question"
	}
	return fmt.Sprintf("%d questions", n)
}

// describeRule names a rule for a trainer: "chapter ch04, difficulty hard, tags a|b".
func describeRule(r safedesk.BlueprintRule) string {
	s := "chapter " + r.ChapterID
	if len(r.Difficulty) > 0 {
		s += ", difficulty " + strings.Join(r.Difficulty, "|")
	}
	if len(r.Tags) > 0 {
		s += ", tags " + strings.Join(r.Tags, "|")
	}
	return s
}
