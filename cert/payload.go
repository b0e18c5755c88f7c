package cert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode"
	"unicode/utf8"

	"safedesk"
)

// PayloadType names the payload format inside the signed bytes, so a signature over a
// certificate can never be mistaken for a signature over anything else the key might sign.
const PayloadType = "safedesk.certificate.v1"

// timeLayout is RFC 3339 in UTC at second precision: the only form a time takes in the
// canonical payload.
const timeLayout = "2006-01-02T15:04:05Z"

// A Payload is what a certificate asserts, and exactly what its signature covers.
type Payload struct {
	Code          string    // verification code in its printed form (see NewCode)
	Holder        string    // the holder's full name, as printed
	HolderLang    string    // optional language tag of the name, such as "zh-CN" or "en"
	CourseID      string    // course (pack) id
	CourseTitle   string    // course title, as printed
	CourseVersion string    // course version the exam was taken on
	IssuedAt      time.Time // when the certificate was issued
	ExpiresAt     time.Time // the first instant at which it is no longer valid
	Issuer        string    // the organisation that issues it
	KeyID         string    // id of the signing key; Sign fills it in
}

// Canonical returns the bytes that are signed: a JSON object with no white space whose keys
// are sorted bytewise (code, course_id, course_title, course_version, expires_at, holder,
// holder_lang, issued_at, issuer, kid, typ), holder_lang left out when empty, times in RFC
// 3339 UTC at second precision ("2026-03-01T08:00:00Z"), typ set to PayloadType. Strings
// are UTF-8 with only the quote and the backslash escaped; Validate has already refused
// every character that JSON would need to escape otherwise. Any other implementation can
// rebuild these bytes from the fields by those rules alone.
//
// Times are taken in UTC and truncated to the second first, so a payload read back from a
// database in another zone yields the same bytes. An invalid payload is an EINVALID error.
func (p Payload) Canonical() ([]byte, error) {
	p = p.normalized()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(512)
	b.WriteByte('{')
	member := func(key, value string) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		writeJSONString(&b, key)
		b.WriteByte(':')
		writeJSONString(&b, value)
	}
	member("code", p.Code)
	member("course_id", p.CourseID)
	member("course_title", p.CourseTitle)
	member("course_version", p.CourseVersion)
	member("expires_at", p.ExpiresAt.Format(timeLayout))
	member("holder", p.Holder)
	if p.HolderLang != "" {
		member("holder_lang", p.HolderLang)
	}
	member("issued_at", p.IssuedAt.Format(timeLayout))
	member("issuer", p.Issuer)
	member("kid", p.KeyID)
	member("typ", PayloadType)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// writeJSONString writes s quoted, escaping only the quote and the backslash.
func writeJSONString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// normalized returns p with its times in UTC at second precision.
func (p Payload) normalized() Payload {
	p.IssuedAt = p.IssuedAt.UTC().Truncate(time.Second)
	p.ExpiresAt = p.ExpiresAt.UTC().Truncate(time.Second)
	return p
}

// Validate returns an EINVALID error naming the first field that cannot be signed: a
// missing required field, an over-long one, text that is not UTF-8 or holds control,
// line-separator or bidirectional-override characters, a code not in printed form, times
// outside the years 2000–9999 or an expiry not after the issue, a key id that is not 16
// lowercase hex digits.
func (p Payload) Validate() error {
	if c, err := NormalizeCode(p.Code); err != nil || c != p.Code {
		return safedesk.FieldError("code", "The verification code is not in its printed form.")
	}
	texts := []struct {
		field, value string
		max          int
	}{
		{"holder", p.Holder, 128},
		{"course_id", p.CourseID, 128},
		{"course_title", p.CourseTitle, 256},
		{"course_version", p.CourseVersion, 64},
		{"issuer", p.Issuer, 256},
	}
	for _, t := range texts {
		if err := checkText(t.field, t.value, t.max); err != nil {
			return err
		}
	}
	if len(p.HolderLang) > 35 || !isLangTag(p.HolderLang) {
		return safedesk.FieldError("holder_lang", "The name's language must be a tag such as zh-CN or en.")
	}
	for _, t := range []struct {
		field string
		at    time.Time
	}{{"issued_at", p.IssuedAt}, {"expires_at", p.ExpiresAt}} {
		if y := t.at.UTC().Year(); y < 2000 || y > 9999 {
			return safedesk.FieldError(t.field, "The date must fall between the years 2000 and 9999.")
		}
	}
	if !p.ExpiresAt.After(p.IssuedAt) {
		return safedesk.FieldError("expires_at", "The certificate must expire after it is issued.")
	}
	if !isKeyID(p.KeyID) {
		return safedesk.FieldError("kid", "The key id must be 16 lowercase hexadecimal digits.")
	}
	return nil
}

// checkText requires a non-empty string of at most max characters that can stand in the
// canonical JSON unescaped and cannot reorder what a reader sees.
func checkText(field, s string, max int) error {
	if s == "" {
		return safedesk.FieldError(field, "This field is required.")
	}
	if !utf8.ValidString(s) {
		return safedesk.FieldError(field, "The text is not valid UTF-8.")
	}
	if utf8.RuneCountInString(s) > max {
		return safedesk.FieldError(field, "The text is longer than %d characters.", max)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) || isBidiControl(r) {
			return safedesk.FieldError(field, "The text contains the control character %U.", r)
		}
	}
	return nil
}

// isBidiControl reports whether r changes the direction text is displayed in: a holder
// name must not be able to make a verify page show something other than what was signed.
func isBidiControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// isLangTag accepts the empty string or letters, digits and dashes (a BCP 47 shape).
func isLangTag(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// MarshalJSON writes the canonical form, so a payload stored or filed as JSON is stored
// exactly as it was signed. An invalid payload cannot be marshalled.
func (p Payload) MarshalJSON() ([]byte, error) {
	return p.Canonical()
}

// UnmarshalJSON reads a payload written by MarshalJSON (with any white space). It is
// strict, because a verifier must see what the signature covers and nothing else: every
// value is a string, typ must be PayloadType, times must be in the canonical form, and
// unknown, missing or repeated keys are errors (a repeated key could show a reader one
// name while the signature checks another). It does not validate the values; Verify does.
func (p *Payload) UnmarshalJSON(data []byte) error {
	m, err := decodeFlatObject(data)
	if err != nil {
		return err
	}
	var q Payload
	fields := map[string]*string{
		"code": &q.Code, "course_id": &q.CourseID, "course_title": &q.CourseTitle,
		"course_version": &q.CourseVersion, "holder": &q.Holder, "holder_lang": &q.HolderLang,
		"issuer": &q.Issuer, "kid": &q.KeyID,
	}
	var typ, issued, expires string
	fields["typ"], fields["issued_at"], fields["expires_at"] = &typ, &issued, &expires
	for k, v := range m {
		dst, ok := fields[k]
		if !ok {
			return fmt.Errorf("cert: payload has unknown key %q", k)
		}
		*dst = v
	}
	for k := range fields {
		if _, ok := m[k]; !ok && k != "holder_lang" {
			return fmt.Errorf("cert: payload lacks key %q", k)
		}
	}
	if typ != PayloadType {
		return fmt.Errorf("cert: payload type is %q, want %q", typ, PayloadType)
	}
	if q.IssuedAt, err = parseCanonicalTime(issued); err != nil {
		return fmt.Errorf("cert: payload issued_at: %w", err)
	}
	if q.ExpiresAt, err = parseCanonicalTime(expires); err != nil {
		return fmt.Errorf("cert: payload expires_at: %w", err)
	}
	*p = q
	return nil
}

// parseCanonicalTime reads a time in the one form Canonical writes.
func parseCanonicalTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil || t.Format(timeLayout) != s {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 UTC time such as 2026-03-01T08:00:00Z", s)
	}
	return t, nil
}

// decodeFlatObject reads a JSON object whose values are all strings, refusing repeated
// keys and trailing data.
func decodeFlatObject(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("cert: payload is not a JSON object")
	}
	m := make(map[string]string)
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("cert: payload: %w", err)
		}
		k, ok := kt.(string)
		if !ok {
			return nil, fmt.Errorf("cert: payload key is not a string")
		}
		vt, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("cert: payload: %w", err)
		}
		v, ok := vt.(string)
		if !ok {
			return nil, fmt.Errorf("cert: payload value of %q is not a string", k)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("cert: payload repeats key %q", k)
		}
		m[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("cert: payload: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("cert: payload has data after the object")
	}
	return m, nil
}
