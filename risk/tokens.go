package risk

import (
	"slices"
	"sort"
	"unicode/utf8"
)

// token is a lexicon phrase found in a message.
type token struct {
	cls    class
	weight float32
	s, e   int32 // code-point span in the original text
	ns, ne int32 // byte span in the normalised text
	idx    int32 // position in its cueSet
}

// selectTokens picks, among the raw matches whose phrase has a class in layer, the
// leftmost-longest non-overlapping ones that sit on word boundaries, in text order.
func selectTokens(nt *normText, lex *lexicon, raw []rawMatch, layer class, dst []token) []token {
	dst = dst[:0]
	b := nt.b
	for _, m := range raw {
		e := &lex.entries[m.pat]
		if e.class&layer == 0 {
			continue
		}
		ne := int(m.end)
		ns := ne - len(e.text)
		if e.checkLeft && ns > 0 {
			if k := asciiKind(e.text[0]); k != 0 && asciiKind(b[ns-1]) == k {
				continue
			}
		}
		if e.checkRight && ne < len(b) {
			if k := asciiKind(e.text[len(e.text)-1]); k != 0 && asciiKind(b[ne]) == k {
				continue
			}
		}
		s, en := nt.origSpan(ns, ne)
		dst = append(dst, token{cls: e.class & layer, weight: e.weight, s: int32(s), e: int32(en), ns: int32(ns), ne: int32(ne)})
	}
	slices.SortFunc(dst, func(x, y token) int {
		if x.ns != y.ns {
			return int(x.ns - y.ns)
		}
		return int(y.ne - x.ne)
	})
	out := dst[:0]
	last := int32(-1)
	for _, t := range dst {
		if t.ns >= last {
			t.idx = int32(len(out))
			out = append(out, t)
			last = t.ne
		}
	}
	return out
}

// cueSet answers questions about the cue tokens of one message. Tokens are in text
// order and do not overlap, so every question is answered by looking only at the
// neighbours within its window.
type cueSet struct {
	nt   *normText
	toks []token
	all  class // union of the classes present
	// warnClauses lists the clauses (indices into breaks) holding a warning word.
	warnClauses []int
}

// reset indexes toks.
func (c *cueSet) reset(nt *normText, toks []token) {
	c.nt, c.toks, c.all, c.warnClauses = nt, toks, 0, c.warnClauses[:0]
	for i := range c.toks {
		c.toks[i].idx = int32(i)
		c.all |= c.toks[i].cls
		if c.toks[i].cls&cWarn != 0 {
			c.warnClauses = append(c.warnClauses, nt.clauseOf(int(c.toks[i].s)))
		}
	}
}

func (c *cueSet) has(cl class) bool { return c.all&cl != 0 }

// each calls f for every token with a class in cl, in text order, until f returns false.
func (c *cueSet) each(cl class, f func(i int, t *token) bool) {
	if c.all&cl == 0 {
		return
	}
	for i := range c.toks {
		if c.toks[i].cls&cl != 0 && !f(i, &c.toks[i]) {
			return
		}
	}
}

// pair finds a token of class a and a token of class b at most gap reading units apart
// (in either order unless ordered), not negated; it returns the closest such pair.
func (c *cueSet) pair(a, b class, gap int, ordered bool) (x, y *token) {
	if c.all&a == 0 || c.all&b == 0 {
		return nil, nil
	}
	best := gap + 1
	toks := c.toks
	for i := range toks {
		if toks[i].cls&a == 0 {
			continue
		}
		for j := i + 1; j < len(toks); j++ {
			d := c.nt.gapLimit(int(toks[i].ne), int(toks[j].ns), best)
			if d >= best {
				break
			}
			if toks[j].cls&b != 0 && !c.negated(&toks[i], &toks[j]) {
				best, x, y = d, &toks[i], &toks[j]
			}
		}
		if ordered {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			d := c.nt.gapLimit(int(toks[j].ne), int(toks[i].ns), best)
			if d >= best {
				break
			}
			if toks[j].cls&b != 0 && !c.negated(&toks[j], &toks[i]) {
				best, x, y = d, &toks[i], &toks[j]
			}
		}
	}
	return x, y
}

// negated reports whether a negation ("不要", "never", "don't") governs the cue made of
// tokens a and b (a not after b): it stands within eight reading units before a, in the
// same clause, or between them.
func (c *cueSet) negated(a, b *token) bool {
	if c.all&cNeg == 0 {
		return false
	}
	if a.idx > b.idx {
		a, b = b, a
	}
	for i := a.idx - 1; i >= 0; i-- {
		t := &c.toks[i]
		if c.nt.gapLimit(int(t.ne), int(a.ns), 9) > 8 {
			break
		}
		if t.cls&cNeg != 0 && c.nt.sameClause(int(t.e), int(a.s)) {
			return true
		}
	}
	for i := a.idx + 1; i < b.idx; i++ {
		if c.toks[i].cls&cNeg != 0 {
			return true
		}
	}
	return false
}

// warned reports whether a warning word ("诈骗", "beware", "scam") shares a clause with
// t: the sentence talks about the scheme rather than running it.
func (c *cueSet) warned(t *token) bool {
	if len(c.warnClauses) == 0 {
		return false
	}
	return slices.Contains(c.warnClauses, c.nt.clauseOf(int(t.s)))
}

// alone reports whether t is not negated.
func (c *cueSet) alone(t *token) bool { return !c.negated(t, t) }

// nearest returns the distance in code points from span [s, e) to the closest token of
// class cl before it (within before) or after it (within after); -1 when there is none.
func (c *cueSet) nearest(cl class, s, e, before, after int) int {
	if c.all&cl == 0 {
		return -1
	}
	toks := c.toks
	k := sort.Search(len(toks), func(i int) bool { return int(toks[i].e) > s })
	best := -1
	for i := k - 1; i >= 0 && s-int(toks[i].e) <= before; i-- {
		if toks[i].cls&cl != 0 {
			best = s - int(toks[i].e)
			break
		}
	}
	for i := k; i < len(toks) && int(toks[i].s)-e <= after; i++ {
		if toks[i].cls&cl == 0 {
			continue
		}
		d := max(int(toks[i].s)-e, 0)
		if best < 0 || d < best {
			best = d
		}
		break
	}
	return best
}

// lastBefore returns the last token of class cl that ends at or before normalised byte
// offset p and no more than within bytes before it, or nil.
func (c *cueSet) lastBefore(cl class, p, within int32) *token {
	if c.all&cl == 0 {
		return nil
	}
	toks := c.toks
	k := sort.Search(len(toks), func(i int) bool { return toks[i].ne > p })
	for i := k - 1; i >= 0 && p-toks[i].ne <= within; i-- {
		if toks[i].cls&cl != 0 {
			return &toks[i]
		}
	}
	return nil
}

// dropInside removes the tokens that overlap any of the code-point spans.
func (c *cueSet) dropInside(spans [][2]int) {
	if len(spans) == 0 {
		return
	}
	out := c.toks[:0]
	for _, t := range c.toks {
		inside := false
		for _, s := range spans {
			if int(t.s) < s[1] && s[0] < int(t.e) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, t)
		}
	}
	c.reset(c.nt, out)
}

// span returns the code-point span covering tokens a and b when they are close enough
// to read as one cue, else the span of a.
func span(a, b *token) (int, int) {
	if b == nil || a == b {
		return int(a.s), int(a.e)
	}
	lo, hi := min(a.s, b.s), max(a.e, b.e)
	if hi-lo-(a.e-a.s)-(b.e-b.s) <= 6 {
		return int(lo), int(hi)
	}
	return int(a.s), int(a.e)
}

// gapLimit measures the text between normalised byte offsets a <= b in reading units:
// one per non-ASCII character or ASCII punctuation mark, two per ASCII word, none for
// spaces, so that windows mean about as much in English as in Chinese. It stops
// counting at limit.
func (nt *normText) gapLimit(a, b, limit int) int {
	u := 0
	for i := a; i < b && u < limit; {
		c := nt.b[i]
		switch {
		case c == ' ':
			i++
		case asciiKind(c) != 0:
			for i < b && asciiKind(nt.b[i]) != 0 {
				i++
			}
			u += 2
		case c < utf8.RuneSelf:
			i++
			u++
		default:
			_, size := utf8.DecodeRune(nt.b[i:])
			i += size
			u++
		}
	}
	return u
}

// clauseOf returns the index of the clause holding code point k: the number of clause
// breaks before it.
func (nt *normText) clauseOf(k int) int {
	return sort.Search(len(nt.breaks), func(i int) bool { return int(nt.breaks[i]) >= k })
}

// sameClause reports whether no clause break lies in code points [a, b).
func (nt *normText) sameClause(a, b int) bool {
	i := nt.clauseOf(a)
	return i == len(nt.breaks) || int(nt.breaks[i]) >= b
}
