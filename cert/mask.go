package cert

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskName returns a holder's name as the public verify page shows it: enough for someone
// holding the certificate to recognise it, too little to learn a stranger's name from a
// code. Characters are counted as people see them (a letter with its accents, an emoji with
// its modifiers is one), and each hidden one becomes one "*".
//
//   - A name written in Chinese, Japanese or Korean script (white space inside it is
//     dropped) keeps its first and last character: 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜, 诸葛孔明
//     → 诸**明; a two-character name keeps the first: 张三 → 张*; a single character
//     becomes *.
//   - Any other name keeps its last word whole and the first letter of every other word:
//     John Smith → J*** Smith, Mary Ann Lee → M*** A** Lee. A single word keeps its first
//     letter only (Madonna → M******), a single letter becomes *.
//
// Leading, trailing and repeated white space is ignored, invalid UTF-8 shows as U+FFFD,
// and control and direction-changing characters are dropped. An empty name stays empty.
func MaskName(name string) string {
	words := strings.FieldsFunc(cleanName(name), unicode.IsSpace)
	switch {
	case len(words) == 0:
		return ""
	case allEastAsian(words):
		cl := graphemes(strings.Join(words, ""))
		switch len(cl) {
		case 1:
			return "*"
		case 2:
			return cl[0] + "*"
		}
		return cl[0] + strings.Repeat("*", len(cl)-2) + cl[len(cl)-1]
	case len(words) == 1:
		cl := graphemes(words[0])
		if len(cl) == 1 {
			return "*"
		}
		return cl[0] + strings.Repeat("*", len(cl)-1)
	}
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == len(words)-1 {
			b.WriteString(w)
			break
		}
		cl := graphemes(w)
		b.WriteString(cl[0])
		b.WriteString(strings.Repeat("*", len(cl)-1))
	}
	return b.String()
}

// cleanName replaces invalid UTF-8 and drops characters that are invisible or that change
// how the rest is displayed.
func cleanName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || isBidiControl(r) || r == '\u200B' || r == '\u2060' || r == '\uFEFF' {
			return -1
		}
		return r
	}, s)
}

// allEastAsian reports whether every word is written in a script that puts no spaces
// between given and family name.
func allEastAsian(words []string) bool {
	for _, w := range words {
		ea := false
		for _, r := range w {
			if unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek) {
				return false
			}
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) {
				ea = true
			}
		}
		if !ea {
			return false
		}
	}
	return true
}

// graphemes splits s into user-perceived characters, close enough for names: a base
// character with the combining marks, variation selectors, emoji modifiers and tags that
// follow it, characters joined by a zero-width joiner, and regional-indicator pairs
// (flags) stay together.
func graphemes(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		start := i
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if isRegionalIndicator(r) {
			if r2, n2 := utf8.DecodeRuneInString(s[i:]); isRegionalIndicator(r2) {
				i += n2
			}
		}
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == '\u200D' { // zero-width joiner: the next character belongs here too
				i += n
				if i < len(s) {
					_, n = utf8.DecodeRuneInString(s[i:])
					i += n
				}
				continue
			}
			if !isExtender(r) {
				break
			}
			i += n
		}
		out = append(out, s[start:i])
	}
	return out
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// isExtender reports whether r attaches to the character before it.
func isExtender(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		(r >= 0xFE00 && r <= 0xFE0F) || (r >= 0xE0100 && r <= 0xE01EF) || // variation selectors
		(r >= 0x1F3FB && r <= 0x1F3FF) || // skin tones
		(r >= 0xE0020 && r <= 0xE007F) // tags (subdivision flags)
}
