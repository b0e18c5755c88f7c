package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// decodeCheckSlow is the reference: encoding/json, no unknown fields, one value.
func decodeCheckSlow(b []byte) (checkRequest, error) {
	var req checkRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return req, errors.New("more than one value")
	}
	return req, nil
}

func TestDecodeCheckRequest(t *testing.T) {
	for _, tc := range []struct {
		body       string
		role, text string
		fast       bool   // the body takes the fast path
		err        string // part of the error, "" for none
	}{
		{body: `{"role":"customer","text":"加我微信"}`, role: "customer", text: "加我微信", fast: true},
		{body: " {\n\t\"text\" : \"hi\" ,\r\n \"role\":\"agent\" }\n", role: "agent", text: "hi", fast: true},
		{body: `{"text":""}`, fast: true},
		{body: `{}`, fast: true},
		{body: `{"text":"a","text":"b"}`, text: "b", fast: true}, // the last wins, as in encoding/json
		{body: `{"text":"line\nbreak \"quoted\" \u4f60"}`, text: "line\nbreak \"quoted\" 你"},
		{body: "{\"text\":\"bad \xff byte\"}", text: "bad \ufffd byte"},
		{body: `{"Text":"case"}`, text: "case"}, // encoding/json matches keys without case
		{body: `{"text":null}`},
		{body: `{"text":"x","lang":"en"}`, err: `unknown field "lang"`},
		{body: `{"text":"x"} {"text":"y"}`, err: "more than one value"},
		{body: `{"text":"x"`, err: "unexpected EOF"},
		{body: `{"text":1}`, err: "cannot unmarshal number"},
		{body: `["text"]`, err: "cannot unmarshal array"},
		{body: ``, err: "EOF"},
	} {
		_, fast := decodeCheckFast([]byte(tc.body))
		if fast != tc.fast {
			t.Errorf("%q: fast path %v, want %v", tc.body, fast, tc.fast)
		}
		req, err := decodeCheckRequest([]byte(tc.body))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.body, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one with %q", tc.body, err, tc.err)
		case tc.err == "" && (req.Role != tc.role || req.Text != tc.text):
			t.Errorf("%q: got %+v, want role %q text %q", tc.body, req, tc.role, tc.text)
		}
	}
}

// FuzzDecodeCheck holds the fast path to encoding/json: whatever it accepts, encoding/json
// accepts with the same result.
func FuzzDecodeCheck(f *testing.F) {
	for _, s := range []string{`{"role":"customer","text":"加我微信"}`, `{"text":"a\"b"}`, `{}`, ` { "text" : "x" } `,
		`{"text":"x","role":"agent",}`, "{\"text\":\"\xe4\xbd\"}", `{"role":"agent"}x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := decodeCheckFast(b)
		if !ok {
			return
		}
		want, err := decodeCheckSlow(b)
		if err != nil {
			t.Fatalf("%q: fast path accepted what encoding/json refuses: %v", b, err)
		}
		if got != want {
			t.Fatalf("%q: fast %+v, encoding/json %+v", b, got, want)
		}
	})
}
