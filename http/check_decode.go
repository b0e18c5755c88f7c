package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"safedesk"
)

// checkRequest is the body of POST /api/v1/check.
type checkRequest struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// decodeCheckRequest decodes a check body as strictly as decodeJSON does: one object, no
// fields but role and text. The usual body, an object of the two keys with strings that
// need no unescaping, is read in place; anything else goes through encoding/json, which
// also words the errors, so the two paths accept and refuse the same bodies.
func decodeCheckRequest(b []byte) (checkRequest, error) {
	if req, ok := decodeCheckFast(b); ok {
		return req, nil
	}
	var req checkRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, safedesk.Errorf(safedesk.EINVALID, "The request body is not valid JSON for this call: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return req, safedesk.Errorf(safedesk.EINVALID, "The request body is not valid JSON for this call: more than one value.")
	}
	return req, nil
}

// decodeCheckFast reads {"role": "…", "text": "…"} (either order, either key optional,
// any JSON white space) whose strings are valid UTF-8 without escapes or control
// characters. It reports false for any other body, leaving it to encoding/json.
func decodeCheckFast(b []byte) (req checkRequest, ok bool) {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return req, false
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return req, skipJSONSpace(b, i+1) == len(b)
	}
	for {
		var key, val string
		if key, i, ok = plainJSONString(b, i); !ok {
			return req, false
		}
		if i = skipJSONSpace(b, i); i >= len(b) || b[i] != ':' {
			return req, false
		}
		if val, i, ok = plainJSONString(b, skipJSONSpace(b, i+1)); !ok {
			return req, false
		}
		switch key {
		case "role":
			req.Role = val
		case "text":
			req.Text = val
		default:
			return req, false
		}
		if i = skipJSONSpace(b, i); i >= len(b) {
			return req, false
		}
		switch b[i] {
		case ',':
			i = skipJSONSpace(b, i+1)
		case '}':
			return req, skipJSONSpace(b, i+1) == len(b)
		default:
			return req, false
		}
	}
}

// plainJSONString reads the JSON string at b[i:] if it holds neither an escape nor a
// control character and is valid UTF-8, returning a copy and the index after it.
func plainJSONString(b []byte, i int) (string, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return "", i, false
	}
	start := i + 1
	for j := start; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s := b[start:j]
			if !utf8.Valid(s) {
				return "", i, false // encoding/json replaces bad bytes; let it
			}
			return string(s), j + 1, true
		case c == '\\' || c < 0x20:
			return "", i, false
		}
	}
	return "", i, false
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
