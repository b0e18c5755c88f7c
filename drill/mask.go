package drill

import (
	"safedesk"
	"safedesk/risk"
)

// maskedFindings turns the risk findings on orig into findings on masked, the text the
// transcript keeps, so that the debrief can highlight them without ever holding the raw
// personal data.
//
// The risk engine masks numbers and addresses character for character, so offsets only
// move at e-mail addresses, which keep their first character and everything from the "@"
// ("zhang.san@example.com" → "z***@example.com"). The shift of each e-mail is computed
// from that rule; should the total not add up to the difference in length (a masking
// rule changed, a repeated address was masked elsewhere), offsets are scaled instead:
// still valid, only less exact.
func maskedFindings(orig, masked string, fs []risk.Finding, lang string) []Finding {
	out := make([]Finding, 0, len(fs))
	if len(fs) == 0 {
		return out
	}
	om := []rune(masked)
	no := 0
	for range orig {
		no++
	}
	type shift struct{ at, by int } // from code point at (in orig) on, offsets move by
	var shifts []shift
	total := 0
	for _, f := range fs {
		if f.Type == risk.PIIEmail {
			if by := emailMaskLen(f.Text) - (f.End - f.Start); by != 0 {
				shifts = append(shifts, shift{f.End, by})
				total += by
			}
		}
	}
	exact := no+total == len(om)
	pos := func(p int, end bool) int {
		if !exact {
			if no == 0 {
				return 0
			}
			return min(len(om), p*len(om)/no)
		}
		q := p
		for _, s := range shifts {
			if p > s.at || p == s.at && end {
				q += s.by
			}
		}
		return max(0, min(len(om), q))
	}
	for _, f := range fs {
		s, e := pos(f.Start, false), pos(f.End, true)
		if e < s {
			e = s
		}
		reason := f.Reason.EN
		if lang == safedesk.LangZH {
			reason = f.Reason.ZH
		}
		out = append(out, Finding{
			Type: string(f.Type), Start: s, End: e, Text: string(om[s:e]), Score: f.Score, Reason: reason,
		})
	}
	return out
}

// emailMaskLen returns the length in code points of the masked form of the e-mail
// address s: its first character, "***", and everything from the "@" (or a spelled-out
// "(at)") on; an address without one is masked character for character.
func emailMaskLen(s string) int {
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '@', '＠':
			if i == 0 {
				return len(rs)
			}
			return 1 + 3 + len(rs) - i
		case '(', '[', '{', '（', '【':
			if i+3 < len(rs) && (rs[i+1] == 'a' || rs[i+1] == 'A') && (rs[i+2] == 't' || rs[i+2] == 'T') {
				if i == 0 {
					return len(rs)
				}
				return 1 + 3 + len(rs) - i
			}
		}
	}
	return len(rs)
}
