package risk

import (
	"bytes"
	"slices"
	"sort"
	"unicode"
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

// selectTokens picks, among the raw matches, the leftmost-longest non-overlapping ones
// that sit on word boundaries, in text order, for each layer: the cue words into cue,
// the emotion words into emo.
func selectTokens(nt *normText, lex *lexicon, raw []rawMatch, cue, emo []token) ([]token, []token) {
	cue, emo = cue[:0], emo[:0]
	b := nt.b
	for _, m := range raw {
		e := &lex.hot[m.pat]
		ne := int(m.end)
		ns := ne - int(e.len)
		if e.left != 0 && ns > 0 && asciiKind(b[ns-1]) == int(e.left) ||
			e.right != 0 && ne < len(b) && asciiKind(b[ne]) == int(e.right) {
			continue
		}
		s, en := nt.origSpan(ns, ne)
		t := token{weight: e.weight, s: int32(s), e: int32(en), ns: int32(ns), ne: int32(ne)}
		if t.cls = e.class &^ emotionLayer; t.cls != 0 {
			cue = append(cue, t)
		}
		if t.cls = e.class & emotionLayer; t.cls != 0 {
			emo = append(emo, t)
		}
	}
	return leftmostLongest(cue), leftmostLongest(emo)
}

// leftmostLongest sorts toks by start, longest first, and keeps those that do not
// overlap an earlier one. toks come ordered by end, so an insertion sort has little to
// move.
func leftmostLongest(toks []token) []token {
	if len(toks) < 2 {
		// Most messages: nothing to order or to drop.
		for i := range toks {
			toks[i].idx = 0
		}
		return toks
	}
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		j := i
		for ; j > 0 && (toks[j-1].ns > t.ns || toks[j-1].ns == t.ns && toks[j-1].ne < t.ne); j-- {
			toks[j] = toks[j-1]
		}
		toks[j] = t
	}
	out := toks[:0]
	last := int32(-1)
	for _, t := range toks {
		if t.ns >= last {
			t.idx = int32(len(out))
			out = append(out, t)
			last = t.ne
		} else if k := len(out) - 1; out[k].cls&cAsk != 0 && t.cls&(cTransfer|cPay) != 0 {
			// "please send the money via Zelle": the request kept ("please send")
			// also carries the transfer it overlaps ("send the money"), and only that.
			out[k].cls |= t.cls & (cTransfer | cPay)
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
	// warnSpans lists code-point spans that are advice as a whole: the sentence of a
	// disclaimer ("…，包括我们客服"), and a warning frame from its conditional opening
	// to its last warning or advice ("如果有人…，那就是骗子").
	warnSpans [][2]int32
	// othersSpans are the warning frames about someone else ("如果有人…就是骗子"): the
	// anger words in them describe a scammer, they do not vent.
	othersSpans [][2]int32
}

// reset indexes toks.
func (c *cueSet) reset(nt *normText, toks []token) {
	c.nt, c.toks, c.all, c.warnClauses, c.warnSpans, c.othersSpans = nt, toks, 0, c.warnClauses[:0], c.warnSpans[:0], c.othersSpans[:0]
	for i := range c.toks {
		c.toks[i].idx = int32(i)
		c.all |= c.toks[i].cls
		if c.toks[i].cls&cWarn != 0 {
			c.warnClauses = append(c.warnClauses, nt.clauseOf(int(c.toks[i].s)))
		}
	}
	if c.all&cReport != 0 {
		// "…，是真的吗？": the whole message reports what someone else did.
		c.warnSpans = append(c.warnSpans, [2]int32{0, int32(nt.nrunes + 1)})
	} else if c.all&cDisclaim != 0 || c.all&cCond != 0 && c.all&(cWarn|cAdvice) != 0 {
		c.findFrames()
	}
}

// findFrames fills warnSpans. A disclaimer ("包括我们", "including us") turns its whole
// sentence into advice. A conditional or "anyone who" opening ("如果有人", "if anyone",
// "任何人") followed in the same sentence by a warning or an advice ("就是骗子",
// "it's a scam", "请挂断", "hang up") turns the stretch between them into advice, across
// clauses: the sentence describes what a scammer does, it does not do it. The spans are
// added in text order and merged where they overlap, so that warned can search them.
func (c *cueSet) findFrames() {
	nt := c.nt
	toks := c.toks
	for i := 0; i < len(toks); {
		// One sentence at a time: tokens i..j-1.
		sent := nt.sentenceOf(int(toks[i].s))
		j := i + 1
		for j < len(toks) && nt.sentenceOf(int(toks[j].s)) == sent {
			j++
		}
		last := -1 // the last usable warning or advice of the sentence
		for k := j - 1; k >= i && last < 0; k-- {
			// "别挂断" (don't hang up) is the scammer talking, not advice.
			if toks[k].cls&(cWarn|cAdvice) != 0 && c.alone(&toks[k]) {
				last = k
			}
		}
		cond, other := false, false
		for k := i; k < j; k++ {
			t := &toks[k]
			if t.cls&cDisclaim != 0 {
				lo, hi := nt.sentenceSpan(int(t.s))
				c.warnSpans = addSpan(c.warnSpans, int32(lo), int32(hi))
			}
			if t.cls&cCond == 0 || k >= last {
				continue
			}
			// The first opening of each kind covers the later ones: all frames of the
			// sentence end at its last warning.
			if !cond {
				c.warnSpans, cond = addSpan(c.warnSpans, t.s, toks[last].e), true
			}
			if !other && t.cls&cCondOther != 0 {
				c.othersSpans, other = addSpan(c.othersSpans, t.s, toks[last].e), true
			}
		}
		i = j
	}
}

// addSpan adds [s, e) to spans, which are ascending and disjoint, merging it with the
// last one where they overlap or touch; s is not before the end of the last but one.
func addSpan(spans [][2]int32, s, e int32) [][2]int32 {
	if n := len(spans); n > 0 && s <= spans[n-1][1] {
		spans[n-1] = [2]int32{min(spans[n-1][0], s), max(spans[n-1][1], e)}
		return spans
	}
	return append(spans, [2]int32{s, e})
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

// closest returns the token of class cl nearest to t, at most gap reading units away
// and not negated together with t; with before set, only a token before t counts.
func (c *cueSet) closest(t *token, cl class, gap int, before bool) *token {
	if c.all&cl == 0 {
		return nil
	}
	var found *token
	best := gap + 1
	for j := int(t.idx) - 1; j >= 0; j-- {
		d := c.nt.gapLimit(int(c.toks[j].ne), int(t.ns), best)
		if d >= best {
			break
		}
		if c.toks[j].cls&cl != 0 && !c.negated(&c.toks[j], t) {
			best, found = d, &c.toks[j]
		}
	}
	if before {
		return found
	}
	for j := int(t.idx) + 1; j < len(c.toks); j++ {
		d := c.nt.gapLimit(int(t.ne), int(c.toks[j].ns), best)
		if d >= best {
			break
		}
		if c.toks[j].cls&cl != 0 && !c.negated(t, &c.toks[j]) {
			best, found = d, &c.toks[j]
		}
	}
	return found
}

// inClause reports whether a token of class cl shares a clause with t.
func (c *cueSet) inClause(t *token, cl class) bool {
	if c.all&cl == 0 {
		return false
	}
	k := c.nt.clauseOf(int(t.s))
	for j := int(t.idx) - 1; j >= 0 && c.nt.clauseOf(int(c.toks[j].s)) == k; j-- {
		if c.toks[j].cls&cl != 0 {
			return true
		}
	}
	for j := int(t.idx) + 1; j < len(c.toks) && c.nt.clauseOf(int(c.toks[j].s)) == k; j++ {
		if c.toks[j].cls&cl != 0 {
			return true
		}
	}
	return false
}

// negated reports whether a negation ("不要", "never", "don't") governs the cue made of
// tokens a and b (a not after b): it stands within eight reading units before a, in the
// same clause, or between them. A stop verb ("关闭", "卸载", "stop", "uninstall") at most
// two reading units before a undoes the cue the same way ("请关闭屏幕共享", "uninstall the
// AnyDesk app"), and so does a negated item earlier in the same list ("we do not accept
// gift cards, wire transfers or crypto").
func (c *cueSet) negated(a, b *token) bool {
	if c.all&(cNeg|cStop) == 0 {
		return false
	}
	if a.idx > b.idx {
		a, b = b, a
	}
	for i := a.idx + 1; i < b.idx; i++ {
		if c.toks[i].cls&cNeg != 0 {
			return true
		}
	}
	return c.negatedAlone(a) || c.listNegated(a)
}

// negatedAlone reports whether a negation or a stop verb governs t by itself: the first
// test of negated, without lists.
func (c *cueSet) negatedAlone(t *token) bool {
	if c.negatedNear(t) {
		return true
	}
	// "客服不会以任何理由要求您转账或提供验证码", "we will never ask you to …": a
	// negation that governs a request verb governs what is requested, to the end of the
	// clause; so does a request verb that holds its own negation ("never ask", listed as
	// both), and a negated "add" ("请不要添加任何自称客服的个人微信"). Only a negation near the verb counts (no chain of verbs), so the work stays
	// bounded whatever the message.
	//
	// A negated request verb ("will never ask you to") governs the rest of its sentence,
	// past commas, so that a list of what is never asked ("install AnyDesk or TeamViewer,
	// read out a verification code, or pay by Zelle") is all advice, unless a contrast
	// turns it ("客服不会索要验证码，但您这个情况特殊，请把验证码发我").
	sent := c.nt.sentenceOf(int(t.s))
	for i, n := t.idx-1, 0; i >= 0 && n < 8; i, n = i-1, n+1 {
		p := &c.toks[i]
		if c.nt.sentenceOf(int(p.s)) != sent {
			break
		}
		clause := c.nt.sameClause(int(p.e), int(t.s))
		if !clause && p.cls&cRequest == 0 {
			continue
		}
		if p.cls&(cAsk|cAskWeak|cRequest|cAdd) != 0 && p.ne <= t.ns && (p.cls&(cNeg|cRequest) == cNeg|cRequest || c.negatedNear(p)) &&
			(clause || !contrastBetween(c.nt.b[p.ne:t.ns])) {
			return true
		}
	}
	return false
}

// contrastBetween reports whether b turns what came before: "但", "不过", "but".
func contrastBetween(b []byte) bool {
	return containsAny(b, "但", "不过", "可是", "然而", "but ", "however", "except")
}

// containsAny reports whether b holds any of words.
func containsAny(b []byte, words ...string) bool {
	for _, w := range words {
		if bytes.Contains(b, []byte(w)) {
			return true
		}
	}
	return false
}

// negatedNear reports whether a negation within eight reading units before t, or a stop
// verb within two, governs it in the same clause.
func (c *cueSet) negatedNear(t *token) bool {
	for i := t.idx - 1; i >= 0; i-- {
		p := &c.toks[i]
		d := c.nt.gapLimit(int(p.ne), int(t.ns), 9)
		if d > 8 {
			break
		}
		if (p.cls&cNeg != 0 || p.cls&cStop != 0 && d <= 2 && !newCommand(c.nt.b[p.ne:t.ns])) &&
			c.nt.sameClause(int(p.e), int(t.s)) && !closedByLe(c.nt.b[p.ne:t.ns]) {
			return true
		}
	}
	return false
}

// newCommand reports whether the text between a stop verb and a cue starts a command
// of its own ("如需关闭请下载腾讯会议": the download is asked for, not stopped).
func newCommand(b []byte) bool {
	for _, w := range [...]string{"请", "再", "然后", "please", "then", "and"} {
		if i := bytes.Index(b, []byte(w)); i >= 0 && (w[0] >= 0x80 || (i == 0 || b[i-1] == ' ') && (i+len(w) == len(b) || b[i+len(w)] == ' ')) {
			return true
		}
	}
	return false
}

// closedByLe reports whether the text between a negation and a cue holds "了", which
// ends the negated phrase: in "别在这聊了加我微信" and "别忘了把验证码发给我" the
// negation is over before the request begins.
func closedByLe(b []byte) bool { return bytes.Contains(b, []byte("了")) }

// listFamilies group the cue classes whose words are listed together: "不支持微信、QQ",
// "we do not accept gift cards, wire transfers or crypto", "请勿添加陌生人微信，私下转账",
// and the things a scammer asks for, whatever their kind: "we will never ask for your
// verification code, your password or payment by gift card".
var listFamilies = [...]class{
	cApp | cAddApp | cOffStrong,
	cPay | cTransfer | cTarget | cTargetStrong | cCode | cCodeWeak | cCred | cCVV,
	cRemoteStrong | cMeeting,
}

// listNegated reports whether t continues a list whose earlier item is negated: the
// previous cue of the same family is at most eight reading units before it, negated
// itself, and only separators and conjunctions stand between them. It looks back over
// at most eight items.
func (c *cueSet) listNegated(t *token) bool {
	for n := 0; n < 8 && t.idx > 0; n++ {
		p := &c.toks[t.idx-1]
		fam := class(0)
		for _, f := range listFamilies {
			if t.cls&f != 0 && p.cls&f != 0 {
				fam = f
			}
		}
		if fam == 0 || c.nt.gapLimit(int(p.ne), int(t.ns), 9) > 8 || !listGap(c.nt.b[p.ne:t.ns]) {
			return false
		}
		if c.negatedAlone(p) {
			return true
		}
		t = p
	}
	return false
}

// listConj are the words that may join the items of a list (a possessive may start an
// item: "your code, your password").
var listConj = [...]string{"or", "and", "nor", "或者", "或", "和", "及", "以及", "与", "还是", "your", "您的", "你的"}

// listGap reports whether b holds only list separators and conjunctions.
func listGap(b []byte) bool {
	for len(b) > 0 {
		switch b[0] {
		case ' ', ',', '/':
			b = b[1:]
			continue
		}
		if bytes.HasPrefix(b, []byte("、")) {
			b = b[len("、"):]
			continue
		}
		n := 0
		for _, w := range listConj {
			if bytes.HasPrefix(b, []byte(w)) && (w[0] >= 0x80 || len(b) == len(w) || asciiKind(b[len(w)]) == 0) {
				n = len(w)
				break
			}
		}
		if n == 0 {
			return false
		}
		b = b[n:]
	}
	return true
}

// warned reports whether a warning word ("诈骗", "beware", "scam") shares a clause with
// t: the sentence talks about the scheme rather than running it.
func (c *cueSet) warned(t *token) bool {
	if inSpans(c.warnSpans, t.s) {
		return true
	}
	if len(c.warnClauses) == 0 {
		return false
	}
	_, found := slices.BinarySearch(c.warnClauses, c.nt.clauseOf(int(t.s))) // ascending
	return found
}

// alone reports whether t is not negated.
func (c *cueSet) alone(t *token) bool { return !c.negated(t, t) }

// nearUnits returns the distance in reading units from the normalised bytes [ns, ne) to
// the closest token of class cl before them (within before) or after them (within
// after), passing over the tokens for which skip (if not nil) reports true; -1 when
// there is none.
func (c *cueSet) nearUnits(cl class, ns, ne, before, after int, skip func(*token) bool) int {
	if c.all&cl == 0 {
		return -1
	}
	toks := c.toks
	k := sort.Search(len(toks), func(i int) bool { return int(toks[i].ne) > ns })
	best := -1
	for i := k - 1; i >= 0; i-- {
		d := c.nt.gapLimit(int(toks[i].ne), ns, before+1)
		if d > before {
			break
		}
		if toks[i].cls&cl != 0 && (skip == nil || !skip(&toks[i])) {
			best = d
			break
		}
	}
	for i := k; i < len(toks); i++ {
		d := 0
		if int(toks[i].ns) > ne {
			d = c.nt.gapLimit(ne, int(toks[i].ns), after+1)
		}
		if d > after || best >= 0 && d >= best {
			break
		}
		if toks[i].cls&cl != 0 && (skip == nil || !skip(&toks[i])) {
			best = d
			break
		}
	}
	return best
}

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
// one per non-ASCII character or ASCII punctuation mark, two per ASCII word (an amount
// such as "0.02" or "1,450" is one word), none for spaces, so that windows mean about as
// much in English as in Chinese. It stops counting at limit.
func (nt *normText) gapLimit(a, b, limit int) int {
	u := 0
	for i := a; i < b && u < limit; {
		c := nt.b[i]
		switch {
		case c == ' ':
			i++
		case asciiKind(c) != 0:
			for i < b && (asciiKind(nt.b[i]) != 0 || (nt.b[i] == '.' || nt.b[i] == ',') && i+1 < b &&
				asciiKind(nt.b[i-1]) == 2 && asciiKind(nt.b[i+1]) == 2) {
				i++
			}
			u += 2
		case c < utf8.RuneSelf:
			i++
			u++
		default:
			_, size := nextRune(nt.b, i)
			i += size
			u++
		}
	}
	return u
}

// unitsBetween measures the original code points [a, b) in reading units, as gapLimit
// does for normalised bytes, stopping at limit.
func (nt *normText) unitsBetween(a, b, limit int) int {
	if a >= b {
		return 0
	}
	// The normalised bytes that came from code points a..b-1.
	ns := sort.Search(len(nt.src), func(i int) bool { return int(nt.src[i]) >= a })
	ne := sort.Search(len(nt.src), func(i int) bool { return int(nt.src[i]) >= b })
	return nt.gapLimit(ns, ne, limit)
}

// clauseOf returns the index of the clause holding code point k: the number of clause
// breaks before it.
func (nt *normText) clauseOf(k int) int {
	return sort.Search(len(nt.breaks), func(i int) bool { return int(nt.breaks[i]) >= k })
}

// sentenceOf returns the index of the sentence holding code point k.
func (nt *normText) sentenceOf(k int) int {
	return sort.Search(len(nt.sents), func(i int) bool { return int(nt.sents[i]) >= k })
}

// sentenceQuestion reports whether the sentence holding code point k ends in a question
// mark: "I share my screen with my team every day, can your software do that?" asks as a
// whole, though its first clause does not.
func (nt *normText) sentenceQuestion(k int) bool {
	_, hi := nt.sentenceSpan(k)
	for j := hi - 1; j >= k; j-- {
		if r := nt.origRune(j); !unicode.IsSpace(r) {
			return r == '?' || r == '？'
		}
	}
	return false
}

// sentenceSpan returns the code-point span of the sentence holding code point k, its
// closing punctuation included.
func (nt *normText) sentenceSpan(k int) (int, int) {
	i := nt.sentenceOf(k)
	lo, hi := 0, nt.nrunes
	if i > 0 {
		lo = int(nt.sents[i-1]) + 1
	}
	if i < len(nt.sents) {
		hi = int(nt.sents[i]) + 1
	}
	return lo, hi
}

// question reports whether the clause holding code point k asks something: it ends with
// a question mark, or its last character is 吗, 么 or 嘛.
func (nt *normText) question(k int) bool {
	i := nt.clauseOf(k)
	end := nt.nrunes // in code points
	if i < len(nt.breaks) {
		end = int(nt.breaks[i])
		if r := nt.origRune(end); r == '?' || r == '？' {
			return true
		}
	}
	for j := end - 1; j > k; j-- {
		if r := nt.origRune(j); !unicode.IsSpace(r) {
			return r == '吗' || r == '么' || r == '嘛'
		}
	}
	return false
}

// origRune returns code point k of the original.
func (nt *normText) origRune(k int) rune {
	r, _ := utf8.DecodeRuneInString(nt.orig[nt.offsets()[k]:])
	return r
}

// sameClause reports whether no clause break lies in code points [a, b).
func (nt *normText) sameClause(a, b int) bool {
	i := nt.clauseOf(a)
	return i == len(nt.breaks) || int(nt.breaks[i]) >= b
}
