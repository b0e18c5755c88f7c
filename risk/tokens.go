package risk

import (
	"slices"
	"unicode/utf8"
)

// token is a lexicon phrase found in a message.
type token struct {
	cls    class
	weight float32
	s, e   int32 // code-point span in the original text
	ns, ne int32 // byte span in the normalised text
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
			out = append(out, t)
			last = t.ne
		}
	}
	return out
}

// cueSet answers questions about the cue tokens of one message.
type cueSet struct {
	nt   *normText
	toks []token
	all  class // union of the classes present
}

func (c *cueSet) has(cl class) bool { return c.all&cl != 0 }

// each calls f for every token with a class in cl, in text order, until f returns false.
func (c *cueSet) each(cl class, f func(i int, t *token) bool) {
	for i := range c.toks {
		if c.toks[i].cls&cl != 0 && !f(i, &c.toks[i]) {
			return
		}
	}
}

// first returns the first token with a class in cl, or nil.
func (c *cueSet) first(cl class) *token {
	for i := range c.toks {
		if c.toks[i].cls&cl != 0 {
			return &c.toks[i]
		}
	}
	return nil
}

// pair finds a token of class a and a token of class b at most gap code points apart
// (in either order unless ordered), neither negated; it returns the closest such pair.
func (c *cueSet) pair(a, b class, gap int, ordered bool) (x, y *token) {
	best := 1 << 30
	for i := range c.toks {
		ti := &c.toks[i]
		if ti.cls&a == 0 {
			continue
		}
		for j := range c.toks {
			tj := &c.toks[j]
			if i == j || tj.cls&b == 0 {
				continue
			}
			var d int
			switch {
			case tj.ns >= ti.ne:
				d = c.nt.gap(int(ti.ne), int(tj.ns))
			case ti.ns >= tj.ne:
				if ordered {
					continue
				}
				d = c.nt.gap(int(tj.ne), int(ti.ns))
			default:
				continue
			}
			if d <= gap && d < best && !c.negated(ti, tj) {
				best, x, y = d, ti, tj
			}
		}
	}
	return x, y
}

// negated reports whether a negation ("不要", "never", "don't") governs the cue made of
// tokens a and b: it stands within eight reading units before the earlier one, in the
// same clause, or between them.
func (c *cueSet) negated(a, b *token) bool {
	lo, hi := min(a.s, b.s), max(a.e, b.e)
	nlo := min(a.ns, b.ns)
	for i := range c.toks {
		t := &c.toks[i]
		if t.cls&cNeg == 0 {
			continue
		}
		if t.e <= lo && c.nt.gap(int(t.ne), int(nlo)) <= 8 && c.nt.sameClause(int(t.e), int(lo)) {
			return true
		}
		if t.s >= lo && t.e <= hi {
			return true
		}
	}
	return false
}

// warned reports whether a warning word ("诈骗", "beware", "scam") shares a clause with
// t: the sentence talks about the scheme rather than running it.
func (c *cueSet) warned(t *token) bool {
	for i := range c.toks {
		w := &c.toks[i]
		if w.cls&cWarn == 0 {
			continue
		}
		a, b := min(w.s, t.s), max(w.e, t.e)
		if c.nt.sameClause(int(a), int(b)-1) {
			return true
		}
	}
	return false
}

// alone reports whether t is not negated (negation within a short distance before it,
// same clause).
func (c *cueSet) alone(t *token) bool { return !c.negated(t, t) }

// nearest returns the distance in code points from span [s, e) to the closest token of
// class cl before it (within before) or after it (within after), on the same line;
// -1 when there is none.
func (c *cueSet) nearest(cl class, s, e, before, after int) int {
	best := -1
	for i := range c.toks {
		t := &c.toks[i]
		if t.cls&cl == 0 {
			continue
		}
		var d int
		switch {
		case int(t.e) <= s:
			d = s - int(t.e)
			if d > before {
				continue
			}
		case int(t.s) >= e:
			d = int(t.s) - e
			if d > after {
				continue
			}
		default:
			d = 0
		}
		if best < 0 || d < best {
			best = d
		}
	}
	return best
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

// lastBefore returns the last token of class cl that ends at or before normalised byte
// offset p, or nil.
func (c *cueSet) lastBefore(cl class, p int32) *token {
	var last *token
	for i := range c.toks {
		t := &c.toks[i]
		if t.ns >= p {
			break
		}
		if t.cls&cl != 0 && t.ne <= p {
			last = t
		}
	}
	return last
}

// dropInside removes the tokens that overlap any of the code-point spans.
func (c *cueSet) dropInside(spans [][2]int) {
	if len(spans) == 0 {
		return
	}
	out := c.toks[:0]
	c.all = 0
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
			c.all |= t.cls
		}
	}
	c.toks = out
}

// gap measures the text between normalised byte offsets a <= b in reading units: one
// per non-ASCII character or ASCII punctuation mark, two per ASCII word, none for
// spaces, so that windows mean about as much in English as in Chinese.
func (nt *normText) gap(a, b int) int {
	u := 0
	for i := a; i < b; {
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
