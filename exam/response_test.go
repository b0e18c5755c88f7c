package exam

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"safedesk"
)

func TestDecodeResponse(t *testing.T) {
	const (
		single = safedesk.QuestionSingle
		tf     = safedesk.QuestionTrueFalse
		multi  = safedesk.QuestionMultiple
		order  = safedesk.QuestionOrdering
		short  = safedesk.QuestionShort
		match  = safedesk.QuestionMatching
	)
	long := strings.Repeat("长", MaxShortAnswerRunes+1)
	tests := []struct {
		name    string
		qtype   string
		raw     string
		want    Response
		wantErr string // a part of the message; "" for success
	}{
		{"single", single, `"b"`, Response{Type: single, Option: "b"}, ""},
		{"single padded", single, " \n\"b\"\t", Response{Type: single, Option: "b"}, ""},
		{"truefalse", tf, `"true"`, Response{Type: tf, Option: "true"}, ""},
		{"single null clears", single, `null`, Response{Type: single}, ""},
		{"single number", single, `1`, Response{}, "must be an option id (a string); it holds a number"},
		{"single bool", tf, `true`, Response{}, "it holds true or false"},
		{"single list", single, `["a"]`, Response{}, "it holds a list"},
		{"single empty id", single, `""`, Response{}, "empty string where an option id belongs"},
		{"single long id", single, `"` + strings.Repeat("x", MaxIDBytes+1) + `"`, Response{}, "the limit is 64"},

		{"multiple", multi, `["a","c"]`, Response{Type: multi, Options: []string{"a", "c"}}, ""},
		{"multiple empty clears", multi, `[]`, Response{Type: multi}, ""},
		{"multiple string", multi, `"a"`, Response{}, "must be a list of option ids (strings); it holds a string"},
		{"multiple numbers", multi, `[1,2]`, Response{}, "it holds a number"},
		{"multiple twice", multi, `["a","a"]`, Response{}, `lists option "a" twice`},
		{"multiple too many", multi, `[` + strings.Repeat(`"x",`, MaxResponseItems) + `"y"]`, Response{}, "lists 33 option ids"},
		{"ordering", order, `["d","a","b"]`, Response{Type: order, Options: []string{"d", "a", "b"}}, ""},
		{"ordering object", order, `{"a":"b"}`, Response{}, "it holds an object"},

		{"short", short, `"SIM 卡劫持"`, Response{Type: short, Text: "SIM 卡劫持"}, ""},
		{"short empty", short, `""`, Response{Type: short}, ""},
		{"short number", short, `96110`, Response{}, "must be the answer text (a string); it holds a number"},
		{"short too long", short, `"` + long + `"`, Response{}, "is 501 characters long"},

		{"matching", match, `{"p1":"a","p2":"c"}`, Response{Type: match, Pairs: map[string]string{"p1": "a", "p2": "c"}}, ""},
		{"matching empty clears", match, `{}`, Response{Type: match}, ""},
		{"matching string", match, `"a"`, Response{}, "must be an object that maps each pair id to an option id; it holds a string"},
		{"matching nested", match, `{"p1":{"x":1}}`, Response{}, "it holds an object"},
		{"matching empty key", match, `{"":"a"}`, Response{}, "empty string where a pair id belongs"},
		{"matching empty value", match, `{"p1":""}`, Response{}, "empty string where an option id belongs"},

		{"unknown type", "essay", `"x"`, Response{}, `is for an unknown question type "essay"`},
		{"missing", single, ``, Response{}, "is missing"},
		{"blank", single, `   `, Response{}, "is missing"},
		{"malformed", multi, `["a",`, Response{}, "not valid JSON"},
		{"trailing data", single, `"a" "b"`, Response{}, "not valid JSON"},
		{"too large", short, `"` + strings.Repeat("x", MaxResponseBytes) + `"`, Response{}, "the limit is 16384"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeResponse(tt.qtype, json.RawMessage(tt.raw))
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("got %+v, want an error containing %q", got, tt.wantErr)
				}
				var e *safedesk.Error
				if !errors.As(err, &e) || e.Code != safedesk.EINVALID || e.Field != "response" {
					t.Fatalf("error %#v is not an EINVALID error on field response", err)
				}
				if !strings.Contains(e.Message, tt.wantErr) {
					t.Errorf("message %q does not contain %q", e.Message, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestResponseMarshalJSON(t *testing.T) {
	tests := []struct {
		r    Response
		want string
	}{
		{Response{Type: safedesk.QuestionSingle, Option: "b"}, `"b"`},
		{Response{Type: safedesk.QuestionMultiple, Options: []string{"c", "a"}}, `["c","a"]`},
		{Response{Type: safedesk.QuestionShort, Text: "<96110>"}, `"\u003c96110\u003e"`},
		{Response{Type: safedesk.QuestionMatching, Pairs: map[string]string{"p2": "b", "p1": "a"}}, `{"p1":"a","p2":"b"}`},
		{Response{Type: safedesk.QuestionOrdering}, `null`},
		{Response{}, `null`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.r)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("Marshal(%+v) = %s, want %s", tt.r, b, tt.want)
		}
	}
	if _, err := json.Marshal(Response{Type: "essay", Text: "x"}); err == nil {
		t.Error("an unknown type encoded without error")
	}
}

func TestCheckResponse(t *testing.T) {
	tests := []struct {
		name    string
		q       *safedesk.Question
		r       Response
		wantErr string
	}{
		{"single ok", qSingle, Response{Type: safedesk.QuestionSingle, Option: "a"}, ""},
		{"single unknown", qSingle, Response{Type: safedesk.QuestionSingle, Option: "z"}, `names "z", which is not an option of question single`},
		{"truefalse as single", qTF, Response{Type: safedesk.QuestionSingle, Option: "true"}, ""},
		{"empty always fits", qMulti, Response{Type: safedesk.QuestionShort}, ""},
		{"wrong shape", qMulti, Response{Type: safedesk.QuestionSingle, Option: "a"}, "has the shape of a single question, but question multi is multiple"},
		{"multiple ok", qMulti, Response{Type: safedesk.QuestionMultiple, Options: []string{"a", "e"}}, ""},
		{"ordering unknown", qOrder, Response{Type: safedesk.QuestionOrdering, Options: []string{"a", "x"}}, `names "x"`},
		{"matching ok", qMatch, Response{Type: safedesk.QuestionMatching, Pairs: map[string]string{"p1": "d"}}, ""},
		{"matching unknown pair", qMatch, Response{Type: safedesk.QuestionMatching, Pairs: map[string]string{"p1": "a", "p7": "a"}}, `names "p7", which is not a pair`},
		{"matching unknown option", qMatch, Response{Type: safedesk.QuestionMatching, Pairs: map[string]string{"p1": "q"}}, `matches "p1" to "q"`},
		{"short anything", qShort, Response{Type: safedesk.QuestionShort, Text: "随便"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckResponse(tt.q, tt.r)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if safedesk.ErrorCode(err) != safedesk.EINVALID || !strings.Contains(safedesk.ErrorMessage(err), tt.wantErr) {
				t.Errorf("error %v, want EINVALID containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		q    *safedesk.Question
		lang string
		want string
	}{
		{qSingle, "", `"c"`},
		{qTF, "", `"false"`},
		{qMulti, "", `["a","c","d"]`},
		{qOrder, "", `["b","a","c","d"]`},
		{qMatch, "", `{"p1":"a","p2":"b","p3":"c"}`},
		{qShort, safedesk.LangEN, `"SIM swap"`},
		{qShort, safedesk.LangZH, `"SIM卡劫持"`},
		{qShort, "fr", `"SIM卡劫持"`},
		{&safedesk.Question{Type: safedesk.QuestionShort, Accept: map[string][]string{"en": {"only"}}}, "fr", `"only"`},
		{&safedesk.Question{Type: safedesk.QuestionShort}, "en", `null`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(Key(tt.q, tt.lang))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("Key(%s, %q) = %s, want %s", tt.q.ID, tt.lang, b, tt.want)
		}
	}
}

var fuzzTypes = []string{safedesk.QuestionSingle, safedesk.QuestionTrueFalse, safedesk.QuestionMultiple,
	safedesk.QuestionOrdering, safedesk.QuestionShort, safedesk.QuestionMatching, "essay"}

// FuzzDecodeResponse holds DecodeResponse to its contract on any input: it never panics,
// every error is an EINVALID *safedesk.Error about the response, and every response it
// accepts encodes back to JSON that decodes to the same response.
func FuzzDecodeResponse(f *testing.F) {
	seeds := []string{`"a"`, `["a","b"]`, `{"p1":"a"}`, `"SIM 卡劫持"`, `null`, `[]`, `{}`, `""`, `1`,
		`["a","a"]`, `{"":"x"}`, `"\ud800"`, `["\u0000"]`, "\"\xff\"", `[`, ` "b" `}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, typ uint8, raw []byte) {
		qtype := fuzzTypes[int(typ)%len(fuzzTypes)]
		r, err := DecodeResponse(qtype, raw)
		if err != nil {
			var e *safedesk.Error
			if !errors.As(err, &e) || e.Code != safedesk.EINVALID || e.Field != "response" || e.Message == "" {
				t.Fatalf("DecodeResponse(%s, %q): error %#v is not an EINVALID response error", qtype, raw, err)
			}
			return
		}
		if r.Type != qtype {
			t.Fatalf("decoded type %q for %q", r.Type, qtype)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal(%#v): %v", r, err)
		}
		again, err := DecodeResponse(qtype, b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if !reflect.DeepEqual(r, again) {
			t.Fatalf("round trip changed %#v into %#v", r, again)
		}
		Grade(fuzzQuestion(qtype), r, PolicyPartial, safedesk.LangZH) // must not panic
	})
}

func fuzzQuestion(qtype string) *safedesk.Question {
	for _, q := range []*safedesk.Question{qSingle, qTF, qMulti, qOrder, qShort, qMatch} {
		if q.Type == qtype {
			return q
		}
	}
	return qSingle
}

func BenchmarkDecodeResponse(b *testing.B) {
	raw := json.RawMessage(`["a","c","d"]`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeResponse(safedesk.QuestionMultiple, raw); err != nil {
			b.Fatal(err)
		}
	}
}
