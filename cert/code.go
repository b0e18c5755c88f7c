package cert

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"safedesk"
)

// CodeAlphabet holds the symbols of a verification code: digits and capital letters less
// the ones people confuse when reading a code aloud or off paper (0/O, 1/I/L). Its 31
// symbols give a 12-symbol code log2(31^12) ≈ 59.4 bits: far beyond guessing through a
// rate-limited verify page, so codes need no secrecy beyond being unguessable.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the number of symbols in a code, not counting the dashes.
const CodeLength = 12

// codeGroup is the number of symbols between dashes in the printed form.
const codeGroup = 4

// maxCodeInput bounds what NormalizeCode looks at, so a pasted essay costs nothing.
const maxCodeInput = 128

// NewCode returns a fresh random verification code in its printed form, such as
// "7KQM-C2XH-9RTD". Every symbol is drawn uniformly from CodeAlphabet with crypto/rand.
func NewCode() string {
	c, err := newCode(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return c
}

// newCode draws a code from r. Bytes are taken 5 bits at a time and 31 (the one value past
// the alphabet) is thrown away, so every symbol is exactly uniform.
func newCode(r io.Reader) (string, error) {
	var syms [CodeLength]byte
	var buf [16]byte
	n := 0
	for n < CodeLength {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return "", fmt.Errorf("cert: reading randomness: %w", err)
		}
		for _, b := range buf {
			if v := b & 31; v < byte(len(CodeAlphabet)) && n < CodeLength {
				syms[n] = CodeAlphabet[v]
				n++
			}
		}
	}
	return formatCode(syms[:]), nil
}

// formatCode groups CodeLength symbols as XXXX-XXXX-XXXX.
func formatCode(syms []byte) string {
	var b strings.Builder
	b.Grow(CodeLength + CodeLength/codeGroup)
	for i, c := range syms {
		if i > 0 && i%codeGroup == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// NormalizeCode turns what a person typed or pasted into the printed form of a code, or
// returns an EINVALID error (field "code") saying what is wrong with it.
//
// It accepts lowercase; dashes, spaces and other separators anywhere, or none; and the
// full-width letters, digits, dashes and spaces a Chinese input method produces. It
// rejects 0, O, 1, I and L, naming the character, rather than guessing what was meant:
// no code contains any of them, so there is nothing they could be a misreading of, and a
// guess would only turn "that is not a code" into a confusing "no such certificate".
// Anything else outside CodeAlphabet is rejected too.
func NormalizeCode(s string) (string, error) {
	if len(s) > maxCodeInput {
		return "", safedesk.FieldError("code", "A verification code has %d characters; this input is far longer.", CodeLength)
	}
	syms := make([]byte, 0, CodeLength)
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return "", safedesk.FieldError("code", "The verification code is not valid text.")
			}
		}
		r = foldWidth(r)
		if isCodeSeparator(r) {
			continue
		}
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		switch {
		case r < utf8.RuneSelf && strings.IndexByte(CodeAlphabet, byte(r)) >= 0:
			if len(syms) == CodeLength {
				return "", safedesk.FieldError("code", "A verification code has %d characters; this has more.", CodeLength)
			}
			syms = append(syms, byte(r))
		case r == '0' || r == 'O' || r == '1' || r == 'I' || r == 'L':
			return "", safedesk.FieldError("code", "Verification codes never contain 0, O, 1, I or L, but this one has %q: please check the code.", r)
		default:
			return "", safedesk.FieldError("code", "Verification codes contain only letters and digits; %q is not allowed.", r)
		}
	}
	if len(syms) != CodeLength {
		return "", safedesk.FieldError("code", "A verification code has %d characters; this has %d.", CodeLength, len(syms))
	}
	return formatCode(syms), nil
}

// foldWidth maps full-width ASCII forms (Ａ, ３, －) and the ideographic space to their
// ASCII counterparts.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// isCodeSeparator reports whether r is white space or a dash people put between groups.
func isCodeSeparator(r rune) bool {
	switch r {
	case '-', '_', '.', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u30FC':
		return true
	}
	return unicode.IsSpace(r)
}
