package risk

import (
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends r encoded as JSON to dst and returns the extended slice. The output
// is byte for byte what encoding/json's Marshal produces for r; it exists because the
// scan command writes one object per message and reflection would dominate its cost.
func (r *Result) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	return r.AppendJSONFields(dst)
}

// AppendJSONFields appends the fields of r as JSON, without the opening brace, and the
// closing brace: callers that add fields of their own (the scan command's "id") write
// "{", their fields and a comma first.
func (r *Result) AppendJSONFields(dst []byte) []byte {
	dst = r.AppendJSONHead(dst)
	dst = AppendJSONString(dst, r.Masked)
	return append(dst, '}')
}

// AppendJSONHead is AppendJSONFields up to the value of "masked": it ends with
// `"masked":`, for callers that hold that value already encoded.
func (r *Result) AppendJSONHead(dst []byte) []byte {
	dst = append(dst, `"findings":[`...)
	for i := range r.Findings {
		if i > 0 {
			dst = append(dst, ',')
		}
		f := &r.Findings[i]
		dst = append(dst, `{"type":`...)
		dst = AppendJSONString(dst, string(f.Type))
		dst = append(dst, `,"start":`...)
		dst = strconv.AppendInt(dst, int64(f.Start), 10)
		dst = append(dst, `,"end":`...)
		dst = strconv.AppendInt(dst, int64(f.End), 10)
		dst = append(dst, `,"text":`...)
		dst = AppendJSONString(dst, f.Text)
		dst = append(dst, `,"score":`...)
		dst = appendFloat(dst, f.Score)
		dst = append(dst, `,"rule":`...)
		if enc, ok := reasonJSON[f.Rule]; ok && f.Reason == enc.reason {
			dst = append(dst, enc.json...) // the rule and its reason, encoded once
			continue
		}
		dst = AppendJSONString(dst, f.Rule)
		dst = append(dst, `,"reason":{"zh-CN":`...)
		dst = AppendJSONString(dst, f.Reason.ZH)
		dst = append(dst, `,"en":`...)
		dst = AppendJSONString(dst, f.Reason.EN)
		dst = append(dst, "}}"...)
	}
	dst = append(dst, `],"emotion":{"label":`...)
	switch l := r.Emotion.Label; l {
	case EmotionNeutral, EmotionAnger, EmotionAnxiety, EmotionPositive:
		dst = append(append(append(dst, '"'), l...), '"') // plain ASCII words
	default:
		dst = AppendJSONString(dst, l)
	}
	dst = append(dst, `,"score":`...)
	dst = appendFloat(dst, r.Emotion.Score)
	return append(dst, `},"masked":`...)
}

// encodedReason is a rule's reason with the JSON that AppendJSONFields writes for the
// rule id and that reason, after `"rule":` up to the end of the finding's object.
type encodedReason struct {
	reason Reason
	json   []byte
}

// reasonJSON holds the encodedReason of every rule, so that a result is not escaped
// through its longest strings again and again.
var reasonJSON = func() map[string]encodedReason {
	m := make(map[string]encodedReason, len(reasons))
	for rule, r := range reasons {
		b := AppendJSONString(nil, rule)
		b = append(b, `,"reason":{"zh-CN":`...)
		b = AppendJSONString(b, r.ZH)
		b = append(b, `,"en":`...)
		b = AppendJSONString(b, r.EN)
		b = append(b, "}}"...)
		m[rule] = encodedReason{r, b}
	}
	return m
}()

// hundredths holds k/100 and its JSON for k in 0..100, the values the engine's scores
// take.
var hundredths = func() (t [101]struct {
	v    float64
	json string
}) {
	for k := range t {
		t[k].v = float64(k) / 100
		t[k].json = string(strconv.AppendFloat(nil, t[k].v, 'f', -1, 64))
	}
	return
}()

// appendFloat formats like encoding/json for the values the engine produces (0..1).
func appendFloat(dst []byte, f float64) []byte {
	if f >= 0 && f <= 1 {
		if h := &hundredths[int(f*100+0.5)]; h.v == f {
			return append(dst, h.json...)
		}
	}
	if f != 0 && (f < 1e-6 || f >= 1e21) {
		return strconv.AppendFloat(dst, f, 'g', -1, 64) // never produced; kept valid
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes that encoding/json writes unchanged inside a string.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return
}()

// AppendJSONString appends s as a JSON string with the escaping of encoding/json:
// HTML-significant characters, control characters, U+2028 and U+2029 escaped, and
// invalid UTF-8 replaced by U+FFFD.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		// Three-byte sequences whose lead byte allows any continuation (all of CJK) are
		// checked inline; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
		if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			(c != 0xE2 || s[i+1] != 0x80 || s[i+2]&0xFE != 0xA8) {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
