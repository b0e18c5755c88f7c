package exam

import (
	"cmp"
	"math/rand/v2"
	"slices"

	"safedesk"
)

// A Paper is what one attempt asks: question ids in the order they are shown, each with
// the order its options show in. It is stored with the attempt; the questions themselves
// are looked up in the pack version the attempt uses.
type Paper struct {
	Items []PaperItem `json:"items"`
}

// A PaperItem is one question of a paper.
type PaperItem struct {
	QuestionID string `json:"question_id"`
	// Rule is the index of the blueprint rule that drew the question.
	Rule int `json:"rule"`
	// Options lists the question's option ids in display order, and Pairs the left-hand
	// items of a matching question; nil means the bank's order. Ids, not positions, are
	// stored and answered with, so a response never depends on the shuffle.
	Options []string `json:"options,omitempty"`
	Pairs   []string `json:"pairs,omitempty"`
}

// QuestionIDs returns the paper's question ids in order.
func (p Paper) QuestionIDs() []string {
	ids := make([]string, len(p.Items))
	for i, it := range p.Items {
		ids[i] = it.QuestionID
	}
	return ids
}

// ArrangeOptions returns q's options in the item's display order. Options the stored
// order does not name (after an edit of the question) follow in bank order, and ids that
// no longer exist are skipped, so every option shows exactly once.
func (it PaperItem) ArrangeOptions(q *safedesk.Question) []safedesk.Option {
	return arrange(q.Options, it.Options)
}

// ArrangePairs is ArrangeOptions for the left-hand items of a matching question.
func (it PaperItem) ArrangePairs(q *safedesk.Question) []safedesk.Option {
	return arrange(q.Pairs, it.Pairs)
}

func arrange(opts []safedesk.Option, order []string) []safedesk.Option {
	out := make([]safedesk.Option, 0, len(opts))
	used := make([]bool, len(opts))
	for _, id := range order {
		for i, o := range opts {
			if !used[i] && o.ID == id {
				used[i] = true
				out = append(out, o)
				break
			}
		}
	}
	for i, o := range opts {
		if !used[i] {
			out = append(out, o)
		}
	}
	return out
}

// Draw assembles a paper for spec from bank.
//
// For each blueprint rule in order it picks Count questions that fit the rule (see
// RuleMatches) and that no earlier rule picked: the least used first by usage (how many
// papers have drawn each question id so far; a missing id counts 0), at random among
// questions used equally often. When rules overlap (a question fits two of them), a pick
// that would leave a later rule short is passed over, so Draw succeeds whenever any
// assignment of distinct questions to the rules exists. Questions of a rule are shown in
// random order, rules in blueprint order.
//
// previous is the trainee's last paper (question ids). When the drawn paper holds the same
// set of questions and the bank can make any other paper, Draw swaps one question for an
// unused one that fits the same rule, choosing the swap that costs least in usage: a
// trainee never gets the same paper twice in a row unless the bank allows only one.
//
// With spec.ShuffleOptions the options of every question except true/false (and the pairs
// of a matching question) are shuffled; an ordering question is never shown in its key's
// order.
//
// Draw is deterministic given its arguments and the state of rng, and independent of the
// order of bank. It returns the EINVALID error of CheckBlueprint when the bank cannot
// satisfy the blueprint, and an EINTERNAL error when rng is nil.
func Draw(spec *safedesk.ExamSpec, bank []*safedesk.Question, usage map[string]int, previous []string, rng *rand.Rand) (Paper, error) {
	if rng == nil {
		return Paper{}, safedesk.Errorf(safedesk.EINTERNAL, "exam: Draw needs a random source")
	}
	pl, err := newPlanner(spec, bank)
	if err != nil {
		return Paper{}, err
	}
	// Usage by question index: one map lookup per question, not one per comparison.
	use := make([]int, len(pl.qs))
	for i, q := range pl.qs {
		use[i] = usage[q.ID]
	}
	picked := make([]bool, len(pl.qs))
	picks := pl.pick(picked, use, rng)
	pl.avoid(picks, picked, previous, use, rng)
	return pl.paper(picks, spec.ShuffleOptions, rng), nil
}

// pick draws every rule's questions, least used first, marking them in picked.
func (pl *planner) pick(picked []bool, use []int, rng *rand.Rand) [][]int {
	picks := make([][]int, len(pl.rules))
	for r, rule := range pl.rules {
		cands := make([]int, 0, len(pl.elig[r]))
		for _, q := range pl.elig[r] {
			if !picked[q] {
				cands = append(cands, q)
			}
		}
		rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		slices.SortStableFunc(cands, func(a, b int) int { return cmp.Compare(use[a], use[b]) })
		need := rule.Count
		for _, q := range cands {
			if need == 0 {
				break
			}
			picked[q] = true
			// Only a question that a later rule could also use can starve that rule.
			if pl.overlap && pl.fitsLater(q, r) && !pl.feasible(r, need-1, picked) {
				picked[q] = false
				continue
			}
			picks[r] = append(picks[r], q)
			need--
		}
	}
	return picks
}

// avoid makes the paper differ from previous, when it does not and the bank allows, by one
// swap within a rule. Any other paper must hold a question outside this one that fits some
// rule, so if no single swap exists, no other paper does.
func (pl *planner) avoid(picks [][]int, picked []bool, previous []string, use []int, rng *rand.Rand) {
	if !pl.samePaper(picks, previous) {
		return
	}
	best, bestCost := -1, 0
	for r := range pl.rules {
		minIn, ok := minUsage(pl.elig[r], func(q int) bool { return !picked[q] }, use)
		if !ok {
			continue
		}
		maxOut := 0
		for _, q := range picks[r] {
			maxOut = max(maxOut, use[q])
		}
		if cost := minIn - maxOut; best < 0 || cost < bestCost {
			best, bestCost = r, cost
		}
	}
	if best < 0 {
		return // the bank allows only this paper
	}
	minIn, _ := minUsage(pl.elig[best], func(q int) bool { return !picked[q] }, use)
	in := pickTie(pl.elig[best], func(q int) bool { return !picked[q] && use[q] == minIn }, rng)
	maxOut := 0
	for _, q := range picks[best] {
		maxOut = max(maxOut, use[q])
	}
	outs := make([]int, 0, len(picks[best]))
	for i, q := range picks[best] {
		if use[q] == maxOut {
			outs = append(outs, i)
		}
	}
	i := outs[rng.IntN(len(outs))]
	picked[picks[best][i]] = false
	picked[in] = true
	picks[best][i] = in
}

func (pl *planner) samePaper(picks [][]int, previous []string) bool {
	prev := make(map[string]bool, len(previous))
	for _, id := range previous {
		prev[id] = true
	}
	n := 0
	for _, rp := range picks {
		for _, q := range rp {
			if !prev[pl.qs[q].ID] {
				return false
			}
			n++
		}
	}
	return n == len(prev)
}

func minUsage(qs []int, ok func(int) bool, use []int) (int, bool) {
	m, found := 0, false
	for _, q := range qs {
		if ok(q) {
			if u := use[q]; !found || u < m {
				m, found = u, true
			}
		}
	}
	return m, found
}

func pickTie(qs []int, ok func(int) bool, rng *rand.Rand) int {
	var ties []int
	for _, q := range qs {
		if ok(q) {
			ties = append(ties, q)
		}
	}
	return ties[rng.IntN(len(ties))]
}

// paper lays the picks out as a Paper, shuffling question order within each rule and,
// when asked, option order.
func (pl *planner) paper(picks [][]int, shuffleOptions bool, rng *rand.Rand) Paper {
	var p Paper
	for r, rp := range picks {
		rng.Shuffle(len(rp), func(i, j int) { rp[i], rp[j] = rp[j], rp[i] })
		for _, qi := range rp {
			q := pl.qs[qi]
			it := PaperItem{QuestionID: q.ID, Rule: r}
			if shuffleOptions && q.Type != safedesk.QuestionTrueFalse {
				it.Options = shuffledIDs(q.Options, rng)
				if q.Type == safedesk.QuestionOrdering && len(it.Options) > 1 && slices.Equal(it.Options, q.AnswerIDs) {
					// Showing the key's order would hand out the answer; a rotation of
					// distinct ids differs from it.
					it.Options = append(it.Options[1:], it.Options[0])
				}
				if q.Type == safedesk.QuestionMatching {
					it.Pairs = shuffledIDs(q.Pairs, rng)
				}
			}
			p.Items = append(p.Items, it)
		}
	}
	return p
}

func shuffledIDs(opts []safedesk.Option, rng *rand.Rand) []string {
	if len(opts) == 0 {
		return nil
	}
	ids := make([]string, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids
}
