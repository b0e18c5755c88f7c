package risk

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mask returns the original text with every pii.* finding masked: numbers keep at most
// their first three and last four digits ("138****8000"), e-mails their first character
// and domain ("z***@example.com"), addresses their first three characters. Chat-app
// account ids after an app name ("wx123456" → "wx******") are masked whole. Separators
// and punctuation stay, so the shape of the text survives. fs is sorted and its pii.*
// findings do not overlap.
func mask(nt *normText, fs []Finding, handles [][2]int, spans []maskSpan) (string, []maskSpan) {
	spans = spans[:0]
	for i := range fs {
		if fs[i].Type.IsPII() {
			spans = append(spans, maskSpan{fs[i].Start, fs[i].End, fs[i].Type})
		}
	}
	for _, h := range handles {
		spans = append(spans, maskSpan{h[0], h[1], ""})
	}
	if len(spans) == 0 {
		return nt.orig, spans
	}
	// Personal data first where spans start together; later overlapping spans (an
	// account id that is also a phone number) are skipped below.
	slices.SortFunc(spans, func(a, b maskSpan) int {
		if a.s != b.s {
			return a.s - b.s
		}
		if (a.typ == "") != (b.typ == "") {
			if a.typ == "" {
				return 1
			}
			return -1
		}
		return 0
	})
	orig := nt.orig
	var sb strings.Builder
	sb.Grow(len(orig) + 8)
	pos := 0
	for _, sp := range spans {
		if sp.s < pos {
			continue // overlaps a span already masked
		}
		sb.WriteString(orig[nt.offsets()[pos]:nt.offsets()[sp.s]])
		text := nt.origText(sp.s, sp.e)
		switch sp.typ {
		case PIIEmail:
			maskEmail(&sb, text)
		case PIIAddress:
			maskAddress(&sb, text, 3)
		case "":
			maskAddress(&sb, text, 0)
		default:
			maskNumber(&sb, text)
		}
		pos = sp.e
	}
	sb.WriteString(orig[nt.offsets()[pos]:])
	out := sb.String()
	// A value detected once but written again where context made it look like
	// something else is masked there too: masked text never shows a detected value.
	for i := range fs {
		if f := &fs[i]; f.Type.IsPII() && (i == 0 || f.Text != fs[i-1].Text) && strings.Contains(out, f.Text) {
			var m strings.Builder
			switch f.Type {
			case PIIEmail:
				maskEmail(&m, f.Text)
			case PIIAddress:
				maskAddress(&m, f.Text, 3)
			default:
				maskNumber(&m, f.Text)
			}
			out = strings.ReplaceAll(out, f.Text, m.String())
		}
	}
	return out, spans
}

// maskSpan is a span of the original to mask.
type maskSpan struct {
	s, e int
	typ  Type // "" for an account id
}

// isNumberChar reports the characters of a written number that carry a digit.
func isNumberChar(r rune) bool {
	if r >= 0xFF10 && r <= 0xFF19 { // full-width digits
		return true
	}
	return digitValue(r) >= 0 || r == 'x' || r == 'X' || r == 'ｘ' || r == 'Ｘ'
}

func maskNumber(sb *strings.Builder, s string) {
	total := 0
	for _, r := range s {
		if isNumberChar(r) {
			total++
		}
	}
	head, tail := 3, 4
	if total < 10 {
		head, tail = total/4, total/4
	}
	n := 0
	for _, r := range s {
		if !isNumberChar(r) {
			sb.WriteRune(r)
			continue
		}
		if n < head || n >= total-tail {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('*')
		}
		n++
	}
}

// atSign returns the byte offset and length of the "@" (or "(at)", "＠" …) in an
// e-mail address as written, or -1.
func atSign(s string) (int, int) {
	for i, r := range s {
		switch r {
		case '@', '＠':
			return i, utf8.RuneLen(r)
		case '(', '[', '{', '（', '【':
			rest := strings.ToLower(s[i+utf8.RuneLen(r):])
			if strings.HasPrefix(rest, "at") && len(rest) > 2 {
				_, size := utf8.DecodeRuneInString(rest[2:])
				return i, utf8.RuneLen(r) + 2 + size
			}
		}
	}
	return -1, 0
}

func maskEmail(sb *strings.Builder, s string) {
	at, _ := atSign(s)
	if at <= 0 {
		maskAddress(sb, s, 1)
		return
	}
	_, size := utf8.DecodeRuneInString(s)
	sb.WriteString(s[:size])
	sb.WriteString("***")
	sb.WriteString(s[at:])
}

// maskAddress keeps the first keep characters of s and masks every later letter and
// digit.
func maskAddress(sb *strings.Builder, s string, keep int) {
	n := 0
	for _, r := range s {
		n++
		if n > keep && (unicode.IsLetter(r) || unicode.IsDigit(r) || isNumberChar(r)) {
			sb.WriteByte('*')
			continue
		}
		sb.WriteRune(r)
	}
}
