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
		dst = AppendJSONString(dst, f.Rule)
		dst = append(dst, `,"reason":{"zh-CN":`...)
		dst = AppendJSONString(dst, f.Reason.ZH)
		dst = append(dst, `,"en":`...)
		dst = AppendJSONString(dst, f.Reason.EN)
		dst = append(dst, "}}"...)
	}
	dst = append(dst, `],"emotion":{"label":`...)
	dst = AppendJSONString(dst, r.Emotion.Label)
	dst = append(dst, `,"score":`...)
	dst = appendFloat(dst, r.Emotion.Score)
	dst = append(dst, `},"masked":`...)
	dst = AppendJSONString(dst, r.Masked)
	return append(dst, '}')
}

// appendFloat formats like encoding/json for the values the engine produces (0..1).
func appendFloat(dst []byte, f float64) []byte {
	if f != 0 && (f < 1e-6 || f >= 1e21) {
		return strconv.AppendFloat(dst, f, 'g', -1, 64) // never produced; kept valid
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string with the escaping of encoding/json:
// HTML-significant characters, control characters, U+2028 and U+2029 escaped, and
// invalid UTF-8 replaced by U+FFFD.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
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
