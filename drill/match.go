package drill

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Reach of a negation, in reading units (one Han character, two for an English word, six
// for a word with a digit in it: a number is content, and "她的电话是138…不要外传" has
// already said what it says). A negator governs a phrase that starts within
// negationBefore units after it, or one that ends within negationAfter units before it
// ("她的电话不能给你", "her number I can't give"), in the same clause and with no
// contrast word ("但", "but") between them.
const (
	negationBefore = 10
	negationAfter  = 6
)

// A pattern is one folded phrase.
type pattern struct {
	text     string // folded
	source   string // as written, for feedback
	anyStart bool   // may start inside an English word ("*pay" matches "repay")
	anyEnd   bool   // may end inside an English word ("verif*", or any final word of 4+ letters)
	digit    bool   // a digit must follow ("the code is #" matches "the code is 483920")
}

// newPattern folds a phrase. A leading or trailing "*" lets the phrase start or end inside
// an English word; a trailing "#" asks for a digit right after the phrase (a space may
// stand between), so "the code is #" is a code read out and "the code is mine" is not.
// With lenient set, a phrase may also end inside a word unless it ends
// in a short English word: "refund" matches "refundable", "escalat" "escalation" and
// "电话是1" or "number is 1" a whole phone number, while "p2" does not match "p20" nor
// "sop" "soppy". It reports false for a phrase that folds to nothing.
func newPattern(p string, lenient bool) (pattern, bool) {
	p = strings.TrimSpace(p)
	pt := pattern{source: p}
	body, digit := strings.CutSuffix(p, "#")
	body = strings.TrimSpace(body)
	pt.digit = digit
	pt.anyStart, pt.anyEnd = strings.HasPrefix(body, "*"), strings.HasSuffix(body, "*")
	pt.text = fold(strings.Trim(body, "*"))
	if pt.text == "" {
		return pt, false
	}
	if lenient && !pt.anyEnd && !pt.digit {
		n, letters := 0, false
		for n < len(pt.text) && isASCIIAlnum(rune(pt.text[len(pt.text)-1-n])) {
			letters = letters || isASCIILetter(rune(pt.text[len(pt.text)-1-n]))
			n++
		}
		pt.anyEnd = n >= 4 || !letters
	}
	return pt, true
}

// each calls fn with the byte span of every occurrence of p in the folded text s.
// English phrases start and end on word boundaries (unless anyStart, anyEnd): "ask" is
// not in "task"; Chinese phrases match anywhere.
func (p *pattern) each(s string, fn func(start, end int) bool) {
	first, last := p.text[0], p.text[len(p.text)-1]
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], p.text)
		if j < 0 {
			return
		}
		st := i + j
		en := st + len(p.text)
		okStart := p.anyStart || !isWordByte(first) || st == 0 || !isWordByte(s[st-1])
		okEnd := p.anyEnd || !isWordByte(last) || en == len(s) || !isWordByte(s[en])
		if p.digit {
			k := en
			if k < len(s) && s[k] == ' ' {
				k++
			}
			okEnd = k < len(s) && s[k] >= '0' && s[k] <= '9'
		}
		if okStart && okEnd && !fn(st, en) {
			return
		}
		_, size := utf8.DecodeRuneInString(s[st:])
		i = st + size
	}
}

// A reading is a folded reply with its negations located.
type reading struct {
	text      string
	breaks    []int    // offsets of clause breaks, ascending
	negs      [][2]int // spans of negators that deny (not inside a non-negation)
	contrasts []int    // starts of contrast words
	inWord    []int    // offsets of the last character of a split guard ("上" of "马上")
}

// lexicon holds the engine's folded word lists.
type lexicon struct {
	negators, nonNegations, contrasts, splitGuards []pattern
}

func newLexicon() *lexicon {
	compile := func(words []string) []pattern {
		out := make([]pattern, 0, len(words))
		for _, w := range words {
			if p, ok := newPattern(w, false); ok {
				out = append(out, p)
			}
		}
		return out
	}
	return &lexicon{
		negators:     compile(negators),
		nonNegations: compile(nonNegations),
		contrasts:    compile(contrasts),
		splitGuards:  compile(splitGuards),
	}
}

// read folds text and finds its negators and contrast words.
func (lx *lexicon) read(text string) reading {
	var r reading
	r.text, r.breaks = foldBreaks(text)
	var skip [][2]int
	for i := range lx.nonNegations {
		lx.nonNegations[i].each(r.text, func(s, e int) bool {
			skip = append(skip, [2]int{s, e})
			return true
		})
	}
	for i := range lx.negators {
		lx.negators[i].each(r.text, func(s, e int) bool {
			for _, k := range skip {
				if s >= k[0] && e <= k[1] {
					return true
				}
			}
			r.negs = append(r.negs, [2]int{s, e})
			return true
		})
	}
	for i := range lx.contrasts {
		lx.contrasts[i].each(r.text, func(s, _ int) bool {
			r.contrasts = append(r.contrasts, s)
			return true
		})
	}
	for i := range lx.splitGuards {
		lx.splitGuards[i].each(r.text, func(_, e int) bool {
			_, size := utf8.DecodeLastRuneInString(r.text[:e])
			r.inWord = append(r.inWord, e-size)
			return true
		})
	}
	return r
}

// splits reports whether a phrase starting at s would start inside a word ("上报" in
// "马上报警").
func (r *reading) splits(s int) bool {
	return slices.Contains(r.inWord, s)
}

// negated reports whether a negator governs the phrase at [s, e) of r.text.
func (r *reading) negated(s, e int) bool {
	for _, n := range r.negs {
		switch {
		case n[1] <= s:
			if r.reach(n[1], s) <= negationBefore {
				return true
			}
		case n[0] >= e:
			if r.reach(e, n[0]) <= negationAfter {
				return true
			}
		}
	}
	return false
}

// reach returns the reading units between byte offsets a <= b, or a number beyond any
// window when a clause break or a contrast word lies between them.
func (r *reading) reach(a, b int) int {
	const blocked = 1 << 30
	for _, p := range r.breaks {
		if p >= a && p <= b {
			return blocked
		}
	}
	for _, c := range r.contrasts {
		if c >= a && c < b {
			return blocked
		}
	}
	units := 0
	s := r.text[a:b]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case isWordByte(c):
			digit := false
			for i < len(s) && isWordByte(s[i]) {
				digit = digit || s[i] >= '0' && s[i] <= '9'
				i++
			}
			units += 2
			if digit {
				units += 4
			}
		default:
			rn, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if isIdeographic(rn) {
				units++
				continue
			}
			// A word of another script.
			for i < len(s) && s[i] != ' ' {
				rn, size = utf8.DecodeRuneInString(s[i:])
				if isIdeographic(rn) {
					break
				}
				i += size
			}
			units += 2
		}
	}
	return units
}
