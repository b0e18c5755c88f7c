// Package jsonl reads and writes the JSON Lines of the scan contract
// (shared/contracts/scan.md): one message object per input line, one result object per
// output line. Decoding takes a reflection-free path for the usual flat objects of
// strings and falls back to encoding/json for anything else, so both agree on what is
// valid; encoding writes the id first, then the engine's result.
package jsonl

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"safedesk/risk"
)

// AppendResult appends the output object for message m and its result r:
// {"id": …, "findings": …, "emotion": …, "masked": …}.
func AppendResult(dst []byte, m *Message, r *risk.Result) []byte {
	dst = append(dst, `{"id":`...)
	dst = m.AppendID(dst)
	dst = append(dst, ',')
	if m.textPlain && r.Masked == m.Text {
		// Nothing was masked and the text needs no escaping: it is written as it came.
		dst = r.AppendJSONHead(dst)
		dst = append(dst, '"')
		dst = append(dst, m.Text...)
		return append(dst, '"', '}')
	}
	return r.AppendJSONFields(dst)
}

// Message is one input line of the scan contract: {"id": …, "role": …, "text": …}.
// Reuse one Message for many lines to reuse its buffers (not from several goroutines at
// once). The Text of an earlier line stays valid; texts are copied into shared 64 KB
// blocks, so keeping one text alive keeps its block.
type Message struct {
	// ID is the "id" value as compact JSON (a string id re-encoded); nil when absent.
	ID   []byte
	Role risk.Role // RoleCustomer when absent or null
	Text string
	// Borrow lets Decode point Text into the line it was given instead of copying it,
	// when the text needs no unescaping: Text is then valid only as long as that line
	// is. For a caller that is done with a line before it reads the next (the scan
	// command); others leave it false.
	Borrow bool
	// textPlain says that Text is written back by encoding/json byte for byte as it
	// came (no escapes, no "<", ">", "&", U+2028 or U+2029).
	textPlain bool
	key       []byte // scratch for decoding
	val       []byte
	// arena backs the Text of successive messages: texts are appended and never
	// overwritten, so a Text stays valid after the next Decode while many messages
	// share one allocation. It is a pointer so that copies of a Message share it
	// rather than write over each other's texts.
	arena *textArena
}

type textArena struct{ buf []byte }

// arenaSize is the size of one arena block; a longer text gets a block of its own.
const arenaSize = 64 << 10

// Decode reads one line. Plain objects of string fields take a fast path; any other
// shape goes through encoding/json, which also words the errors. The error text is what
// the scan command reports after "line N: ": the line is not JSON, not an object, has no
// "text" (or a null one), a "text" that is not a string, or a role other than
// "customer" and "agent".
func (m *Message) Decode(line []byte) error {
	if m.decodeFast(line) {
		return nil
	}
	return m.decodeSlow(line)
}

// decodeSlow decodes any JSON with encoding/json.
func (m *Message) decodeSlow(line []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(line, &obj); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return errors.New("not a JSON object")
		}
		return fmt.Errorf("invalid JSON: %v", err)
	}
	if obj == nil {
		return errors.New("not a JSON object")
	}
	raw, ok := obj["text"]
	if !ok || string(raw) == "null" {
		return errors.New(`no "text"`)
	}
	if err := json.Unmarshal(raw, &m.Text); err != nil {
		return errors.New(`"text" is not a string`)
	}
	m.textPlain = false
	m.Role = risk.RoleCustomer
	if raw, ok := obj["role"]; ok && string(raw) != "null" {
		var role string
		if err := json.Unmarshal(raw, &role); err != nil {
			return errors.New(`"role" is not a string`)
		}
		r, err := risk.ParseRole(role)
		if err != nil {
			return err
		}
		m.Role = r
	}
	m.ID = nil
	if raw, ok := obj["id"]; ok {
		var s string
		if string(raw) == "null" {
			m.ID = []byte("null")
		} else if json.Unmarshal(raw, &s) == nil {
			m.ID = risk.AppendJSONString(nil, s)
		} else {
			var b bytes.Buffer
			json.Compact(&b, raw) // raw came from a successful Unmarshal
			m.ID = b.Bytes()
		}
	}
	return nil
}

// decodeFast decodes an object whose values are all strings (or a null id or role)
// without reflection; it reports false for anything else, leaving m to the slow path.
func (m *Message) decodeFast(b []byte) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	m.ID, m.Role = m.ID[:0], risk.RoleCustomer
	hasID, hasText := false, false
	const (
		kOther = iota
		kID
		kRole
		kText
	)
	for i = skipSpace(b, i+1); ; i = skipSpace(b, i+1) {
		// The three keys of the contract, written plainly, are recognised in place;
		// any other key is decoded.
		var ok bool
		key := kOther
		switch {
		case at(b, i, `"text"`):
			key, i = kText, i+len(`"text"`)
		case at(b, i, `"id"`):
			key, i = kID, i+len(`"id"`)
		case at(b, i, `"role"`):
			key, i = kRole, i+len(`"role"`)
		default:
			if m.key, i, _, ok = jsonString(b, i, m.key[:0]); !ok {
				return false
			}
			switch string(m.key) {
			case "id":
				key = kID
			case "role":
				key = kRole
			case "text":
				key = kText
			}
		}
		if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		switch {
		case key != kText && at(b, i, "null"):
			switch key {
			case kID:
				m.ID, hasID = append(m.ID[:0], "null"...), true
			case kRole:
				m.Role = risk.RoleCustomer
			}
			i += 4
		case key == kRole && at(b, i, `"customer"`):
			m.Role, i = risk.RoleCustomer, i+len(`"customer"`)
		case key == kRole && at(b, i, `"agent"`):
			m.Role, i = risk.RoleAgent, i+len(`"agent"`)
		case key == kText:
			if i, ok = m.decodeText(b, i); !ok {
				return false
			}
			hasText = true
		case key == kID && i < len(b) && b[i] == '"':
			// The usual id, a string that encoding/json writes back as it is: copied
			// whole after one pass; any other string is decoded below.
			if end, body, plain := scanText(b, i+1); body && plain {
				m.ID, i, hasID = append(m.ID[:0], b[i:end+1]...), end+1, true
				break
			}
			fallthrough
		default:
			start := i
			var plain bool
			if m.val, i, plain, ok = jsonString(b, i, m.val[:0]); !ok {
				return false
			}
			switch key {
			case kID:
				if plain {
					m.ID = append(m.ID[:0], b[start:i]...) // already as encoding/json writes it
				} else {
					m.ID = risk.AppendJSONString(m.ID[:0], string(m.val))
				}
				hasID = true
			case kRole:
				switch string(m.val) {
				case "", string(risk.RoleCustomer):
					m.Role = risk.RoleCustomer
				case string(risk.RoleAgent):
					m.Role = risk.RoleAgent
				default:
					return false // the slow path words the error
				}
			}
		}
		if i = skipSpace(b, i); i < len(b) && b[i] == ',' {
			continue
		}
		if i >= len(b) || b[i] != '}' {
			return false
		}
		break
	}
	if !hasID {
		m.ID = nil
	}
	return hasText && skipSpace(b, i+1) == len(b)
}

// decodeText decodes the JSON string at b[i:] straight into the arena and sets m.Text.
func (m *Message) decodeText(b []byte, i int) (int, bool) {
	if m.arena == nil {
		m.arena = new(textArena)
	}
	a := m.arena
	// The decoded string is no longer than the rest of the line.
	if need := len(b) - i; cap(a.buf)-len(a.buf) < need {
		a.buf = make([]byte, 0, max(arenaSize, need))
	}
	start := len(a.buf)
	var buf []byte
	next, ok := 0, false
	m.textPlain = false
	if i < len(b) && b[i] == '"' {
		// The common case, a string without escapes: one pass finds its end, checks it
		// and tells whether it can be written back as it is.
		end, body, plain := scanText(b, i+1)
		if body && m.Borrow {
			m.Text, m.textPlain = "", plain
			if end > i+1 {
				m.Text = unsafe.String(&b[i+1], end-i-1)
			}
			return end + 1, true
		}
		if body {
			buf, next, ok, m.textPlain = append(a.buf, b[i+1:end]...), end+1, true, plain
		}
	}
	if !ok {
		if buf, next, _, ok = jsonString(b, i, a.buf); !ok {
			a.buf = a.buf[:start] // nothing refers to what was written
			return next, false
		}
	}
	// The bytes at buf[start:] are never written again: later texts are appended after
	// them or go to a new block.
	a.buf = buf
	m.Text = ""
	if len(buf) > start {
		m.Text = unsafe.String(&buf[start], len(buf)-start)
	}
	return next, true
}

// at reports whether b[i:] begins with s; for the short constants it is called with,
// the comparison compiles to a few loads instead of a call.
func at(b []byte, i int, s string) bool {
	return len(b)-i >= len(s) && string(b[i:i+len(s)]) == s
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// Kinds of bytes in the body of a JSON string, for scanText.
const (
	bPlain = iota // printable ASCII written as it is
	bHTML         // "<", ">", "&": valid, but escaped by encoding/json
	bLead3        // the lead byte of a three-byte sequence that takes any continuation
	bOther        // any other non-ASCII byte: decoded in full
	bStop         // '"', '\\' or a control character
)

var textBytes = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c == '"' || c == '\\' || c < 0x20:
			t[c] = bStop
		case c == '<' || c == '>' || c == '&':
			t[c] = bHTML
		case c < utf8.RuneSelf:
			t[c] = bPlain
		case c >= 0xE1 && c <= 0xEF && c != 0xED:
			t[c] = bLead3
		default:
			t[c] = bOther
		}
	}
	return
}()

// cjkPairCont selects the continuation bytes of two three-byte characters in a
// little-endian word (bytes 1, 2, 4 and 5); each must be 10xxxxxx.
const cjkPairCont = 0x0000_C0C0_00C0_C000

// cjkLead marks the lead bytes of three-byte sequences that take any continuation,
// except E2 (whose U+2028 and U+2029 are not plain): a pair of characters with these
// leads and valid continuations is valid UTF-8 and plain.
var cjkLead = func() (t [256]bool) {
	for c := range t {
		t[c] = textBytes[c] == bLead3 && c != 0xE2
	}
	return
}()

// cjkPair reports whether the first six bytes of x (little-endian) are two three-byte
// characters that are valid UTF-8 and plain.
func cjkPair(x uint64) bool {
	return x&cjkPairCont == cjkPairCont&0x808080808080 && cjkLead[byte(x)] && cjkLead[byte(x>>24)]
}

// plain8 reports whether the eight bytes of x are all plain ASCII (bPlain): none of
// them is 0x80 or more, below 0x20, or one of '"', '\\', '<', '>', '&'. Each test sets the
// top bit of a byte where that byte matches (and, through a borrow, maybe of a byte above
// it: then plain8 is false and the caller goes byte by byte, which is only slower).
func plain8(x uint64) bool {
	const lsb, msb = 0x0101010101010101, 0x8080808080808080
	q, bs, lt, gt, amp := x^('"'*lsb), x^('\\'*lsb), x^('<'*lsb), x^('>'*lsb), x^('&'*lsb)
	bad := x | (x-0x20*lsb)&^x |
		(q-lsb)&^q | (bs-lsb)&^bs | (lt-lsb)&^lt | (gt-lsb)&^gt | (amp-lsb)&^amp
	return bad&msb == 0
}

// scanText reads the body of a JSON string from b[i:] in one pass and returns the index
// of its closing quote. ok reports a body that is its own value: no escapes, no control
// characters, valid UTF-8. plain reports that encoding/json would also write it back
// unchanged (no "<", ">", "&", U+2028 or U+2029).
func scanText(b []byte, i int) (end int, ok, plain bool) {
	plain = true
	for i < len(b) {
		switch textBytes[b[i]] {
		case bPlain:
			i++
			// Eight plain ASCII bytes at a time.
			for i+8 <= len(b) && plain8(binary.LittleEndian.Uint64(b[i:])) {
				i += 8
			}
		case bLead3:
			if i+2 >= len(b) || b[i+1]&0xC0 != 0x80 || b[i+2]&0xC0 != 0x80 {
				return i, false, false
			}
			if b[i] == 0xE2 && b[i+1] == 0x80 && b[i+2]&0xFE == 0xA8 {
				plain = false // U+2028, U+2029
			}
			i += 3
			// Chinese text: two three-byte characters at a time while both are valid
			// and neither could be U+2028 or U+2029 (lead byte E2).
			for i+8 <= len(b) {
				if !cjkPair(binary.LittleEndian.Uint64(b[i:])) {
					break
				}
				i += 6
			}
		case bHTML:
			plain = false
			i++
		case bOther:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return i, false, false
			}
			i += size
		default:
			if b[i] != '"' {
				return i, false, false
			}
			return i, true, plain
		}
	}
	return i, false, false
}

// strSafe marks the ASCII bytes that stand for themselves in a JSON string and that
// encoding/json also writes unchanged.
var strSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return
}()

// jsonString decodes the JSON string at b[i:] into dst and returns the index after it.
// plain reports a string without escapes that encoding/json would write back byte for
// byte (no "<", ">", "&", U+2028 or U+2029). It reports false for anything it leaves to
// encoding/json: invalid UTF-8, control characters, surrogate escapes, malformed strings.
func jsonString(b []byte, i int, dst []byte) (_ []byte, next int, plain, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return dst, i, false, false
	}
	i++
	start := i
	plain = true
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf && strSafe[c] {
			i++
			continue
		}
		switch {
		case c >= utf8.RuneSelf:
			// Three-byte sequences whose lead byte allows any continuation (all of CJK)
			// are checked inline; U+2028 and U+2029 (E2 80 A8/A9) are valid but not plain.
			if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80 {
				if c == 0xE2 && b[i+1] == 0x80 && b[i+2]&0xFE == 0xA8 {
					plain = false
				}
				i += 3
				continue
			}
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return dst, i, false, false
			}
			i += size
		case c == '<' || c == '>' || c == '&':
			plain = false
			i++
		case c == '"':
			return append(dst, b[start:i]...), i + 1, plain, true
		case c < 0x20:
			return dst, i, false, false
		default: // '\\'
			if i+1 >= len(b) {
				return dst, i, false, false
			}
			plain = false
			dst = append(dst, b[start:i]...)
			switch e := b[i+1]; e {
			case '"', '\\', '/':
				dst = append(dst, e)
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				if i+6 > len(b) {
					return dst, i, false, false
				}
				v, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
				if err != nil || v >= 0xD800 && v < 0xE000 {
					return dst, i, false, false
				}
				dst = utf8.AppendRune(dst, rune(v))
				i += 4
			default:
				return dst, i, false, false
			}
			i += 2
			start = i
		}
	}
	return dst, i, false, false
}

// AppendID appends the message id as JSON ("null" when the line had none).
func (m *Message) AppendID(dst []byte) []byte {
	if m.ID == nil {
		return append(dst, "null"...)
	}
	return append(dst, m.ID...)
}

// IDText returns the id for people: a string id unquoted, anything else as JSON.
func (m *Message) IDText() string {
	var s string
	if m.ID != nil && json.Unmarshal(m.ID, &s) == nil {
		return s
	}
	return string(m.AppendID(nil))
}
