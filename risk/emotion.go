package risk

import (
	"bytes"
	"math"
	"sort"
	"unicode/utf8"
)

// The emotion scorer adds up the weights of the emotion words of a message (data/
// emotion.txt), the emoji and the punctuation, per label:
//
//   - an intensifier right before a word ("非常生气", "so angry") multiplies it by 1.5,
//     and a downtoner ("a bit disappointed", "有一点失望") an anger word by its weight,
//     under 1;
//   - a negation right before it ("不生气", "not angry at all") cancels anger and anxiety
//     and turns a positive word into dissatisfaction ("不满意", "not happy");
//   - words after a contrast ("但是", "but") count 1.3 times;
//   - anger words in a warning about someone else ("如果有人…，那就是骗子") describe a
//     scammer and do not count;
//   - words inside quotation marks ("您说的“太气人了”", "my friend said 'total scam'")
//     are someone else's words or a mention, not the speaker's tone, and do not count;
//   - the first feeling close after a conditional addressed to the reader ("如果您对
//     结果不满意", "if you're not satisfied") is one the reader might have, not the
//     speaker's;
//   - runs of "!" strengthen the stronger of anger and anxiety, "??", a question mark
//     and an exclamation mark together ("?!", "!?") and ALL-CAPS words add anger, and a
//     Han character repeated three times ("快快快") adds intensity.
//
// Each total t becomes a strength 1-exp(-t/1.2) in 0..1; the strongest label wins if it
// reaches emotionThreshold, ties going to anger, then anxiety, then positive.

const emotionThreshold = 0.45

const (
	labAnger = iota
	labAnxiety
	labPositive
)

var emotionLabels = [3]string{EmotionAnger, EmotionAnxiety, EmotionPositive}

func (e *Engine) emotion(sc *scratch) Emotion {
	var acc [3]float64
	toks := sc.emos
	nt := &sc.nt
	sc.toneLean, sc.angerDenied = false, false
	if len(toks) == 0 && nt.emoji == [3]float32{} && nt.bangRun < 2 && nt.bangs < 3 && nt.questRun < 2 && nt.capsLetter < 6 && (nt.bangs == 0 || nt.questRun == 0) {
		return Emotion{Label: EmotionNeutral} // nothing below adds anything
	}
	afterContrast := false
	var qbuf [4][2]int32
	quotes := qbuf[:0]
	if nt.quoteMark || nt.hasPunct('"') || nt.hasPunct('\'') {
		quotes = quoteSpans(nt.b, quotes)
	}
	hypo := int32(-1) // end of the last conditional opening addressed to the reader
	for i := range toks {
		t := &toks[i]
		if t.cls&eContrast != 0 {
			afterContrast = true
			continue
		}
		if t.cls&eHypo != 0 {
			hypo = t.e
			continue
		}
		if inSpans(quotes, t.ns) {
			continue
		}
		if hypo >= 0 && t.cls&(eAnger|eAnxiety|ePositive) != 0 {
			// "如果您对处理结果不满意": the first feeling close after the opening is
			// the one it supposes; a threat further on ("if you're not going to fix
			// this I'm reporting you") is the speaker's own.
			h := hypo
			hypo = -1
			if t.s-h <= 8 && nt.sameClause(int(h), int(t.s)) {
				continue
			}
		}
		lab := -1
		switch {
		case t.cls&eAnger != 0:
			lab = labAnger
		case t.cls&eAnxiety != 0:
			lab = labAnxiety
		case t.cls&ePositive != 0:
			lab = labPositive
		}
		if lab < 0 || lab == labAnger && inSpans(sc.cueSet.othersSpans, t.s) {
			continue
		}
		w := float64(t.weight)
		j := i - 1
		if j >= 0 && toks[j].cls&eIntens != 0 && close1(nt, &toks[j], t) {
			if f := float64(toks[j].weight); f < 1 {
				// A downtoner: "a bit disappointed" is not anger. Worry stays worry
				// however slight ("a bit nervous").
				if lab == labAnger {
					w *= f
				}
			} else {
				w *= 1.5
			}
			j--
		}
		negated := j >= 0 && toks[j].cls&eNeg != 0 && close1(nt, &toks[j], &toks[j+1])
		if negated {
			if lab == labAnger && !nt.question(int(t.s)) {
				// "我没生气", "not angry at all"; asked, "这不是欺骗消费者吗" accuses.
				sc.angerDenied = true
			}
			if lab != labPositive {
				continue
			}
			lab, w = labAnger, w*0.9
		}
		if afterContrast {
			w *= 1.3
		}
		acc[lab] += w
	}
	for k := range acc {
		acc[k] += float64(nt.emoji[k])
	}
	neg := labAnger
	if acc[labAnxiety] > acc[labAnger] {
		neg = labAnxiety
	}
	if nt.bangRun >= 2 || nt.bangs >= 3 {
		bump := 0.3 + 0.15*float64(min(nt.bangRun, 5))
		if acc[neg] == 0 {
			bump *= 0.6
		}
		acc[neg] += bump
	}
	switch {
	case nt.questRun >= 2:
		acc[labAnger] += 0.3 + 0.15*float64(min(nt.questRun, 5))
	case nt.bangs > 0 && nt.questRun > 0 && (bytes.Contains(nt.b, []byte("?!")) || bytes.Contains(nt.b, []byte("!?"))):
		acc[labAnger] += 0.6 // "seriously?! again?!": indignant, like "??"
	}
	if nt.capsLetter >= 6 {
		acc[labAnger] += 0.6 + 0.05*float64(min(nt.capsLetter, 30))
	}
	if nt.repeats > 0 && acc[neg] > 0 {
		acc[neg] += 0.4 * float64(min(nt.repeats, 3))
	}
	// The text leans towards a negative tone when the rules counted any anger or worry
	// at all, however little: the gate of the tone model tried in tone_gate_test.go.
	sc.toneLean = acc[labAnger]+acc[labAnxiety] > 0
	best, bestS := -1, 0.0
	for k := range acc {
		if acc[k] <= 0 {
			continue // strength 0: never above bestS
		}
		if s := 1 - math.Exp(-acc[k]/1.2); s > bestS+1e-9 {
			best, bestS = k, s
		}
	}
	bestS = math.Round(bestS*100) / 100
	if best < 0 || bestS < emotionThreshold {
		return Emotion{Label: EmotionNeutral, Score: bestS}
	}
	return Emotion{Label: emotionLabels[best], Score: bestS}
}

// inSpans reports whether offset k lies in one of spans (ascending and disjoint), all
// counted alike: code points, or bytes of the normalised text.
func inSpans(spans [][2]int32, k int32) bool {
	i := sort.Search(len(spans), func(i int) bool { return spans[i][1] > k })
	return i < len(spans) && spans[i][0] <= k
}

// quoteSpans appends to spans the byte spans of the normalised text b that stand inside
// quotation marks: “…”, 「…」, 『…』, "…", and '…' where the opening ' follows no letter
// (so the apostrophe of "I'm" opens nothing). An unclosed quotation counts for nothing.
//
// The caller skips it for a text without any of these marks (normText.quoteMark and
// hasPunct say so without a search).
func quoteSpans(b []byte, spans [][2]int32) [][2]int32 {
	open, closer := -1, rune(0)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case open >= 0 && r == closer && (r != '\'' || i+n >= len(b) || asciiKind(b[i+n]) == 0):
			spans = append(spans, [2]int32{int32(open), int32(i)})
			open = -1
		case open < 0 && (r == '“' || r == '「' || r == '『' || r == '"'):
			open, closer = i+n, closingQuote(r)
		case open < 0 && r == '\'' && (i == 0 || asciiKind(b[i-1]) == 0) && i+n < len(b) && asciiKind(b[i+n]) != 0:
			open, closer = i+n, '\''
		}
		i += n
	}
	return spans
}

// closingQuote returns the mark that closes a quotation opened by r.
func closingQuote(r rune) rune {
	switch r {
	case '“':
		return '”'
	case '「':
		return '」'
	case '『':
		return '』'
	}
	return r
}

// close1 reports whether token a ends at most one code point before b starts, in the
// same clause.
func close1(nt *normText, a, b *token) bool {
	return b.s >= a.e && b.s-a.e <= 1 && nt.sameClause(int(a.e), int(b.s))
}
