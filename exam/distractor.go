package exam

import (
	"cmp"
	"slices"

	"safedesk"
)

// Groups of attempts for the distractor analysis.
const (
	groupAll = iota
	groupTop
	groupBottom
	groups
)

// thirds ranks attempts by percent, highest first and in input order among equals, and
// returns each attempt's group: groupTop for the first ⌊S/3⌋, groupBottom for the last
// ⌊S/3⌋, groupAll (the middle only) otherwise.
func thirds(percents []float64) []int8 {
	g := make([]int8, len(percents))
	k := len(percents) / 3
	if k == 0 {
		return g
	}
	order := make([]int, len(percents))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(percents[b], percents[a]) })
	for _, a := range order[:k] {
		g[a] = groupTop
	}
	for _, a := range order[len(order)-k:] {
		g[a] = groupBottom
	}
	return g
}

// A tally counts, for one choice question, the attempts that asked it and those that
// chose each option or none, overall and per third.
type tally struct {
	q       *safedesk.Question
	asked   [groups]int
	omitted [groups]int
	chose   [][groups]int // per option, in q.Options order
	picked  []bool        // scratch: options chosen in the current response
}

func isChoice(qtype string) bool {
	return qtype == safedesk.QuestionSingle || qtype == safedesk.QuestionMultiple || qtype == safedesk.QuestionTrueFalse
}

// tallyChoices counts the choices of every choice question in the bank in one pass over
// the responses; the result is indexed like d.ids, nil for other items.
func tallyChoices(d *data, byID map[string]*safedesk.Question, group []int8) []*tally {
	tallies := make([]*tally, len(d.ids))
	found := false
	for k, id := range d.ids {
		if q := byID[id]; q != nil && isChoice(q.Type) {
			tallies[k] = &tally{q: q, chose: make([][groups]int, len(q.Options)), picked: make([]bool, len(q.Options))}
			found = true
		}
	}
	if !found {
		return tallies
	}
	for a, at := range d.attempts {
		for j, it := range at.Items {
			if t := tallies[d.item[a][j]]; t != nil {
				t.add(it.Response, group[a])
			}
		}
	}
	return tallies
}

func (t *tally) add(r Response, g int8) {
	clear(t.picked)
	chose := false
	mark := func(id string) {
		for i, o := range t.q.Options {
			if o.ID == id {
				t.picked[i], chose = true, true
				return
			}
		}
	}
	if sameShape(t.q.Type, r.Type) || r.Type == "" {
		if r.Option != "" {
			mark(r.Option)
		}
		for _, id := range r.Options {
			mark(id)
		}
	}
	bump := func(c *[groups]int) {
		c[groupAll]++
		if g != groupAll {
			c[g]++
		}
	}
	bump(&t.asked)
	if !chose {
		bump(&t.omitted)
		return
	}
	for i, p := range t.picked {
		if p {
			bump(&t.chose[i])
		}
	}
}

// apply writes the tally into the item's distractor analysis.
func (t *tally) apply(it *ItemStatistics) {
	it.TopAttempts, it.BottomAttempts = t.asked[groupTop], t.asked[groupBottom]
	key := t.q.AnswerIDs
	it.Options = make([]OptionShare, len(t.q.Options))
	for i, o := range t.q.Options {
		it.Options[i] = OptionShare{ID: o.ID, Correct: slices.Contains(key, o.ID), Share: t.share(t.chose[i])}
	}
	om := t.share(t.omitted)
	it.Omitted = &om
}

func (t *tally) share(c [groups]int) Share {
	frac := func(g int) *float64 {
		if t.asked[g] == 0 {
			return nil
		}
		return ptr(float64(c[g]) / float64(t.asked[g]))
	}
	s := Share{Top: frac(groupTop), Bottom: frac(groupBottom)}
	if all := frac(groupAll); all != nil {
		s.All = *all
	}
	return s
}
