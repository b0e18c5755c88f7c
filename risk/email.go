package risk

import "bytes"

func isLocalByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

var atForms = [][]byte{[]byte("@"), []byte("(at)"), []byte("[at]"), []byte("{at}")}

// findEmails reports e-mail addresses, also when the "@" is written "(at)" or "[at]" or
// in full width.
func (e *Engine) findEmails(sc *scratch) {
	b := sc.nt.b
	nt := &sc.nt
	if !nt.hasPunct('@') && !nt.hasPunct(')') && !nt.hasPunct(']') && !nt.hasPunct('}') {
		return // no "@" and no "(at)"
	}
	if bytes.IndexByte(b, '@') < 0 && !hasAtWord(b) {
		return
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '@' && b[i] != '(' && b[i] != '[' && b[i] != '{' {
			continue
		}
		atLen := 0
		for _, f := range atForms {
			if bytes.HasPrefix(b[i:], f) {
				atLen = len(f)
				break
			}
		}
		if atLen == 0 {
			continue
		}
		ls := i
		for ls > 0 && isLocalByte(b[ls-1]) {
			ls--
		}
		for ls < i && (b[ls] == '.' || b[ls] == '-') {
			ls++
		}
		if ls == i || ls >= 2 && b[ls-1] == '/' && b[ls-2] == '/' {
			continue // no local part, or the userinfo of a URL
		}
		ds := i + atLen
		de := ds
		for de < len(b) && (b[de] >= 'a' && b[de] <= 'z' || b[de] >= '0' && b[de] <= '9' || b[de] == '-' || b[de] == '.') {
			de++
		}
		for de > ds && (b[de-1] == '.' || b[de-1] == '-') {
			de--
		}
		dom := b[ds:de]
		dot := bytes.LastIndexByte(dom, '.')
		if dot <= 0 || len(dom)-dot-1 < 2 || bytes.Contains(dom, []byte("..")) || !lettersOnly(dom[dot+1:]) {
			continue
		}
		s, en := sc.nt.origSpan(ls, de)
		if sc.overlapsExcluded(s, en) {
			continue
		}
		sc.excluded = append(sc.excluded, [2]int{s, en})
		sc.add(PIIEmail, s, en, 0.95, "pii.email")
		i = de - 1
	}
}

// hasAtWord reports whether b holds "at)", "at]" or "at}" (the closing half of "(at)").
func hasAtWord(b []byte) bool {
	for _, close := range [...]byte{')', ']', '}'} {
		for i := 0; ; {
			j := bytes.IndexByte(b[i:], close)
			if j < 0 {
				break
			}
			if i += j; i >= 2 && b[i-2] == 'a' && b[i-1] == 't' {
				return true
			}
			i++
		}
	}
	return false
}

func lettersOnly(b []byte) bool {
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
