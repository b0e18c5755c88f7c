package exam

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// NormalizeAnswer reduces a short answer to the form answers are compared in, so that
// differences a trainer would not count as wrong do not count:
//
//  1. Unicode NFKC, which folds width (全角 "ＡＢＣ１２３" becomes "ABC123", the ideographic
//     space becomes a space, half-width katakana become full-width) and other compatibility
//     forms ("①" becomes "1");
//  2. full Unicode case folding ("SIM", "Sim" and "sim" compare equal; "ß" folds to "ss");
//  3. removal of every space, control and format character (such as a zero-width space)
//     and every punctuation mark, ASCII and CJK alike: , . ! ? ; : - ' " ( ) and
//     ，。！？、；：“”‘’（）《》【】「」… are all dropped.
//
// Symbols such as + $ ¥ and letters and digits of every script are kept. Word boundaries
// vanish with the spaces, which is what Chinese answers need ("SIM 卡劫持" equals
// "SIM卡劫持") and costs English little ("sim swap" equals "simswap").
func NormalizeAnswer(s string) string {
	s = norm.NFKC.String(s)
	// A Caser holds state, so each call makes its own; that keeps the function safe for
	// concurrent use.
	s = cases.Fold().String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}
