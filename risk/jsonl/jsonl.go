// Package jsonl reads and writes the JSON Lines of the scan contract
// (shared/contracts/scan.md): one message object per input line, one result object per
// output line. Decoding takes a reflection-free path for the usual flat objects of
// strings and falls back to encoding/json for anything else, so both agree on what is
// valid; encoding writes the id first, then the engine's result.
package jsonl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"safedesk/risk"
)

// AppendResult appends the output object for message m and its result r:
// {"id": …, "findings": …, "emotion": …, "masked": …}.
func AppendResult(dst []byte, m *Message, r *risk.Result) []byte {
	dst = append(dst, `{"id":`...)
	dst = m.AppendID(dst)
	dst = append(dst, ',')
	return r.AppendJSONFields(dst)
}

// Message is one input line of the scan contract: {"id": …, "role": …, "text": …}.
// Reuse one Message for many lines to reuse its buffers.
type Message struct {
	// ID is the "id" value as compact JSON (a string id re-encoded); nil when absent.
	ID   []byte
	Role risk.Role // RoleCustomer when absent or null
	Text string
	key  []byte // scratch for decoding
	val  []byte
}

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
	for i = skipSpace(b, i+1); ; i = skipSpace(b, i+1) {
		var ok bool
		if m.key, i, ok = jsonString(b, i, m.key[:0]); !ok {
			return false
		}
		if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		key := string(m.key) // compared only; the compiler does not allocate
		if bytes.HasPrefix(b[i:], []byte("null")) && key != "text" {
			switch key {
			case "id":
				m.ID, hasID = append(m.ID[:0], "null"...), true
			case "role":
				m.Role = risk.RoleCustomer
			}
			i += 4
		} else {
			if m.val, i, ok = jsonString(b, i, m.val[:0]); !ok {
				return false
			}
			switch key {
			case "id":
				m.ID, hasID = risk.AppendJSONString(m.ID[:0], string(m.val)), true
			case "role":
				role, err := risk.ParseRole(string(m.val))
				if err != nil {
					return false
				}
				m.Role = role
			case "text":
				m.Text, hasText = string(m.val), true
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

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// jsonString decodes the JSON string at b[i:] into dst and returns the index after it.
// It reports false for anything it leaves to encoding/json: invalid UTF-8, control
// characters, surrogate escapes, malformed strings.
func jsonString(b []byte, i int, dst []byte) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return dst, i, false
	}
	i++
	start := i
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			seg := b[start:i]
			if !utf8.Valid(seg) {
				return dst, i, false
			}
			return append(dst, seg...), i + 1, true
		case c < 0x20:
			return dst, i, false
		case c == '\\':
			if !utf8.Valid(b[start:i]) || i+1 >= len(b) {
				return dst, i, false
			}
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
					return dst, i, false
				}
				v, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
				if err != nil || v >= 0xD800 && v < 0xE000 {
					return dst, i, false
				}
				dst = utf8.AppendRune(dst, rune(v))
				i += 4
			default:
				return dst, i, false
			}
			i += 2
			start = i
		default:
			i++
		}
	}
	return dst, i, false
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
