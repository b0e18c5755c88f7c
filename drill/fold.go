package drill

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold returns the form in which replies and phrases are compared:
//
//  1. Unicode NFKC: full-width letters, digits and punctuation become ASCII ("ＣＡＮ'Ｔ" is
//     "CAN'T"), compatibility forms fold;
//  2. lower case, and a short table of variants and traditional characters folded to
//     simplified (您→你, 帐→账, 們→们, 電話→电话; "登陆"→"登录");
//  3. format characters (zero-width spaces and joiners) and combining marks vanish;
//  4. clause punctuation (, . ! ? ; : and their CJK forms, new lines) is dropped, and
//     its position kept aside (see foldBreaks): a negation never reaches across it; a dot
//     or colon between two ASCII letters or digits ("taobao.com", "10:30") is a space;
//  5. every other space, punctuation mark, symbol or emoji becomes a space, kept only
//     between two words of a spaced script, so "订 单 页 面" is "订单页面" and "order-page"
//     is "order page";
//  6. English words: contractions expand ("can't", "cannot" and "cant" are "can not",
//     "we'll" is "we will"; "'s" is "is", so "the code's" and "the code is" read alike,
//     and a possessive still matches itself) and a light suffix stemmer reduces
//     inflections ("verified", "verifies" and "verifying" are "verify"; "shared",
//     "sharing" and "share" are "shar"), the same way on both sides.
func fold(s string) string {
	t, _ := foldBreaks(s)
	return t
}

// foldBreaks is fold that also returns the byte offsets in the folded text where a clause
// break stood. The folded text itself keeps no trace of them, so that a phrase written
// without punctuation ("对就是这个", "sorry but") matches a reply written with it ("对，就是
// 这个", "Sorry, but…").
func foldBreaks(s string) (string, []int) {
	s = norm.NFKC.String(s)
	rs := make([]rune, 0, len(s))
	sep := func(c rune) {
		n := len(rs)
		switch {
		case n == 0:
		case rs[n-1] == '|':
		case rs[n-1] == ' ':
			rs[n-1] = c
		default:
			rs = append(rs, c)
		}
	}
	src := []rune(s)
	for i, r := range src {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			rs = append(rs, foldRune(unicode.ToLower(r)))
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
			// invisible: "加\u200b微信" is "加微信"
		case isApostrophe(r):
			if i > 0 && i+1 < len(src) && isASCIILetter(unicode.ToLower(src[i-1])) && isASCIILetter(unicode.ToLower(src[i+1])) {
				rs = append(rs, '\'')
			} else {
				sep(' ')
			}
		case r == '.' || r == ':':
			if i > 0 && i+1 < len(src) && isASCIIAlnum(src[i-1]) && isASCIIAlnum(src[i+1]) {
				sep(' ')
			} else {
				sep('|')
			}
		case isClauseBreak(r):
			sep('|')
		default:
			sep(' ')
		}
	}
	if x := string(rs); hasWordVariant(x) {
		for _, v := range hanWordVariants {
			x = strings.ReplaceAll(x, v[0], v[1])
		}
		rs = []rune(x)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	var breaks []int
	lastWord := false
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == ' ':
			i++
		case r == '|':
			if b.Len() > 0 {
				breaks = append(breaks, b.Len())
			}
			i++
		case isIdeographic(r):
			b.WriteRune(r)
			lastWord = false
			i++
		default:
			j := i
			for j < len(rs) && rs[j] != ' ' && rs[j] != '|' && !isIdeographic(rs[j]) {
				j++
			}
			for w := range strings.FieldsSeq(expandWord(string(rs[i:j]))) {
				if lastWord {
					b.WriteByte(' ')
				}
				b.WriteString(stem(w))
				lastWord = true
			}
			i = j
		}
	}
	return b.String(), breaks
}

func hasWordVariant(s string) bool {
	for _, v := range hanWordVariants {
		if strings.Contains(s, v[0]) {
			return true
		}
	}
	return false
}

// hanFold maps the runes of hanVariants.
var hanFold = func() map[rune]rune {
	m := map[rune]rune{}
	for p := range strings.FieldsSeq(hanVariants) {
		rs := []rune(p)
		m[rs[0]] = rs[1]
	}
	return m
}()

func foldRune(r rune) rune {
	if r < 0x3400 {
		return r
	}
	if f, ok := hanFold[r]; ok {
		return f
	}
	return r
}

// expandWord expands the contractions of one lowercase word; words that are not plain
// ASCII are returned as they are.
func expandWord(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !isASCIIAlnum(rune(c)) && c != '\'' {
			return w
		}
	}
	if x, ok := contractions[w]; ok {
		return x
	}
	if !strings.Contains(w, "'") {
		return w
	}
	if base, ok := strings.CutSuffix(w, "n't"); ok {
		return strings.ReplaceAll(base, "'", "") + " not"
	}
	i := strings.LastIndexByte(w, '\'')
	base, suf := strings.ReplaceAll(w[:i], "'", ""), w[i+1:]
	if x, ok := apostropheSuffixes[suf]; ok {
		return base + " " + x
	}
	return base + suf // "o'clock"
}

// stem strips a regular English inflection from a lowercase ASCII word. It is not a
// linguist's stemmer; it only has to reduce the forms of one verb or noun to the same
// string, and it is applied to replies and phrases alike.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if !isASCIILetter(rune(w[i])) {
			return w
		}
	}
	if s, ok := stemOverrides[w]; ok {
		return s
	}
	n := len(w)
	switch {
	case stemExceptions[w]:
		return w
	case n > 4 && (strings.HasSuffix(w, "ies") || strings.HasSuffix(w, "ied")):
		w = w[:n-3] + "y"
	case n >= 6 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n >= 5 && strings.HasSuffix(w, "ed"):
		w = undouble(w[:n-2])
	case n >= 5 && strings.HasSuffix(w, "es") && sibilant(w[:n-2]):
		w = w[:n-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	if len(w) > 3 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

// stemExceptions end like an inflection but are not one.
var stemExceptions = map[string]bool{
	"proceed": true, "exceed": true, "succeed": true, "indeed": true, "speed": true,
	"hundred": true, "news": true, "always": true, "nothing": true, "something": true,
	"anything": true, "everything": true, "during": true,
}

// stemOverrides are words the rules would reduce to something else: "note" and "noted"
// would both become the negator "not".
var stemOverrides = map[string]string{
	"note": "note", "notes": "note", "noted": "note", "noting": "note",
}

// undouble turns "stopp" (from "stopped") back into "stop".
func undouble(w string) string {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] && strings.IndexByte("bgmnprt", w[n-1]) >= 0 {
		return w[:n-1]
	}
	return w
}

func sibilant(w string) bool {
	return strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "z") ||
		strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh")
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´', '′':
		return true
	}
	return false
}

// isClauseBreak reports punctuation that ends a clause (after NFKC, so the full-width
// forms have become ASCII). The enumeration comma 、 does not: "电话、地址" is one list.
func isClauseBreak(r rune) bool {
	switch r {
	case ',', '!', '?', ';', '\n', '\r', '。', '｡', '\u2028', '\u2029':
		return true
	}
	return false
}

// isIdeographic reports the scripts written without spaces between words.
func isIdeographic(r rune) bool {
	return r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo)
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isASCIIAlnum(r rune) bool { return isASCIILetter(r) || r >= '0' && r <= '9' }

// isWordByte reports the bytes that continue an English word in folded text.
func isWordByte(c byte) bool { return isASCIIAlnum(rune(c)) || c == '\'' }
