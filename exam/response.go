package exam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"safedesk"
)

// Limits on one response. They bound the work and storage an answer save can cause; real
// answers are far below them (a question has at most 8 options and 8 pairs).
const (
	// MaxResponseBytes is the largest raw JSON response DecodeResponse accepts.
	MaxResponseBytes = 16 << 10
	// MaxResponseItems is the most option ids in a list or pairs in a map.
	MaxResponseItems = 32
	// MaxIDBytes is the longest option or pair id.
	MaxIDBytes = 64
	// MaxShortAnswerRunes is the longest short answer, in characters.
	MaxShortAnswerRunes = 500
)

// A Response is a trainee's answer to one question, decoded for the question's type. Only
// the field of that type is set:
//
//	single, truefalse   Option   the chosen option id
//	multiple            Options  the chosen option ids, in any order
//	ordering            Options  the option ids in the trainee's order
//	short               Text     the typed answer, as typed
//	matching            Pairs    pair id → option id
//
// The zero value for a type (no option, an empty list, empty text, no pairs) means the
// question was not answered.
type Response struct {
	Type    string
	Option  string
	Options []string
	Text    string
	Pairs   map[string]string
}

// Empty reports whether the response gives no answer.
func (r Response) Empty() bool {
	return r.Option == "" && len(r.Options) == 0 && r.Text == "" && len(r.Pairs) == 0
}

// MarshalJSON encodes the response in the shape the API uses for its type: a string, a
// list of strings or an object; an empty response is null. DecodeResponse reads it back.
func (r Response) MarshalJSON() ([]byte, error) {
	if r.Empty() {
		return []byte("null"), nil
	}
	switch r.Type {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		return json.Marshal(r.Option)
	case safedesk.QuestionMultiple, safedesk.QuestionOrdering:
		return json.Marshal(r.Options)
	case safedesk.QuestionShort:
		return json.Marshal(r.Text)
	case safedesk.QuestionMatching:
		return json.Marshal(r.Pairs)
	}
	return nil, fmt.Errorf("exam: cannot encode a response of question type %q", r.Type)
}

// DecodeResponse decodes the JSON value of an answer for a question of type qtype: an
// option id (single, truefalse), a list of option ids (multiple, ordering), a string
// (short) or an object from pair id to option id (matching). JSON null, and an empty list
// or object, decode to an empty Response (the answer is cleared).
//
// It checks the shape only; CheckResponse checks the ids against the question. Every
// error is a *safedesk.Error with code EINVALID and field "response" that says what is
// wrong in words a trainee's client developer can act on.
func DecodeResponse(qtype string, raw json.RawMessage) (Response, error) {
	r := Response{Type: qtype}
	switch qtype {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse, safedesk.QuestionMultiple,
		safedesk.QuestionOrdering, safedesk.QuestionShort, safedesk.QuestionMatching:
	default:
		return Response{}, responseError("is for an unknown question type %q", qtype)
	}
	if len(raw) > MaxResponseBytes {
		return Response{}, responseError("is %d bytes; the limit is %d", len(raw), MaxResponseBytes)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return Response{}, responseError("is missing")
	}
	if !json.Valid(raw) {
		return Response{}, responseError("is not valid JSON")
	}
	if string(raw) == "null" {
		return r, nil
	}
	var err error
	switch qtype {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		r.Option, err = decodeOption(raw)
	case safedesk.QuestionMultiple, safedesk.QuestionOrdering:
		r.Options, err = decodeOptionList(raw)
	case safedesk.QuestionShort:
		r.Text, err = decodeText(raw)
	case safedesk.QuestionMatching:
		r.Pairs, err = decodePairs(raw)
	}
	if err != nil {
		return Response{}, err
	}
	return r, nil
}

func decodeOption(raw []byte) (string, error) {
	var s string
	if err := unmarshal(raw, &s); err != nil {
		return "", responseError("must be an option id (a string); it holds %s", err)
	}
	if err := checkID(s, "an option id"); err != nil {
		return "", err
	}
	return s, nil
}

func decodeOptionList(raw []byte) ([]string, error) {
	var ids []string
	if err := unmarshal(raw, &ids); err != nil {
		return nil, responseError("must be a list of option ids (strings); it holds %s", err)
	}
	if len(ids) > MaxResponseItems {
		return nil, responseError("lists %d option ids; the limit is %d", len(ids), MaxResponseItems)
	}
	for i, id := range ids {
		if err := checkID(id, "an option id"); err != nil {
			return nil, err
		}
		if slices.Contains(ids[:i], id) {
			return nil, responseError("lists option %q twice", id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}

func decodeText(raw []byte) (string, error) {
	var s string
	if err := unmarshal(raw, &s); err != nil {
		return "", responseError("must be the answer text (a string); it holds %s", err)
	}
	if n := utf8.RuneCountInString(s); n > MaxShortAnswerRunes {
		return "", responseError("is %d characters long; the limit is %d", n, MaxShortAnswerRunes)
	}
	return s, nil
}

func decodePairs(raw []byte) (map[string]string, error) {
	var m map[string]string
	if err := unmarshal(raw, &m); err != nil {
		return nil, responseError("must be an object that maps each pair id to an option id; it holds %s", err)
	}
	if len(m) > MaxResponseItems {
		return nil, responseError("maps %d pairs; the limit is %d", len(m), MaxResponseItems)
	}
	for k, v := range m {
		if err := checkID(k, "a pair id"); err != nil {
			return nil, err
		}
		if err := checkID(v, "an option id"); err != nil {
			return nil, err
		}
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// unmarshal decodes raw into v and, on a type mismatch, returns an error that names the
// JSON kind found (for example "a number"), which is all a message needs.
func unmarshal(raw []byte, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errors.New(jsonKind(te.Value))
	}
	return errors.New("malformed JSON")
}

func jsonKind(v string) string {
	switch {
	case v == "string":
		return "a string"
	case strings.HasPrefix(v, "number"):
		return "a number"
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	}
	return v
}

func checkID(id, what string) error {
	switch {
	case id == "":
		return responseError("holds an empty string where %s belongs", what)
	case len(id) > MaxIDBytes:
		return responseError("holds %s of %d bytes; the limit is %d", what, len(id), MaxIDBytes)
	}
	return nil
}

func responseError(format string, args ...any) *safedesk.Error {
	return safedesk.FieldError("response", "The response "+format+".", args...)
}

// CheckResponse reports whether r fits question q: the response was decoded for q's type
// (single and truefalse share a shape), and every option and pair id it names exists in q.
// An empty response always fits. It returns an EINVALID *safedesk.Error naming the first
// unknown id, for the API to refuse the save.
func CheckResponse(q *safedesk.Question, r Response) error {
	if r.Empty() {
		return nil
	}
	if !sameShape(q.Type, r.Type) {
		return responseError("has the shape of a %s question, but question %s is %s", r.Type, q.ID, q.Type)
	}
	options := idSet(q.Options)
	switch q.Type {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		if !options[r.Option] {
			return responseError("names %q, which is not an option of question %s", r.Option, q.ID)
		}
	case safedesk.QuestionMultiple, safedesk.QuestionOrdering:
		for _, id := range r.Options {
			if !options[id] {
				return responseError("names %q, which is not an option of question %s", id, q.ID)
			}
		}
	case safedesk.QuestionMatching:
		pairs := idSet(q.Pairs)
		for _, k := range sortedKeys(r.Pairs) {
			if !pairs[k] {
				return responseError("names %q, which is not a pair of question %s", k, q.ID)
			}
			if !options[r.Pairs[k]] {
				return responseError("matches %q to %q, which is not an option of question %s", k, r.Pairs[k], q.ID)
			}
		}
	}
	return nil
}

func sameShape(a, b string) bool {
	single := func(t string) bool { return t == safedesk.QuestionSingle || t == safedesk.QuestionTrueFalse }
	return a == b || single(a) && single(b)
}

func idSet(opts []safedesk.Option) map[string]bool {
	m := make(map[string]bool, len(opts))
	for _, o := range opts {
		m[o.ID] = true
	}
	return m
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Key returns the answer key of q as a Response, in the shape a trainee's response takes,
// so that the trainer's view of the pool and a client submitting the key use one format.
// A short question's key is its first accepted answer in lang, else in the default
// language, else in any language (by language tag order).
func Key(q *safedesk.Question, lang string) Response {
	r := Response{Type: q.Type}
	switch q.Type {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		if len(q.AnswerIDs) > 0 {
			r.Option = q.AnswerIDs[0]
		}
	case safedesk.QuestionMultiple, safedesk.QuestionOrdering:
		r.Options = slices.Clone(q.AnswerIDs)
	case safedesk.QuestionMatching:
		if len(q.AnswerMap) > 0 {
			r.Pairs = make(map[string]string, len(q.AnswerMap))
			for k, v := range q.AnswerMap {
				r.Pairs[k] = v
			}
		}
	case safedesk.QuestionShort:
		langs := []string{lang, safedesk.DefaultLang}
		for l := range q.Accept {
			langs = append(langs, l)
		}
		slices.Sort(langs[2:])
		for _, l := range langs {
			if a := q.Accept[l]; len(a) > 0 {
				r.Text = a[0]
				break
			}
		}
	}
	return r
}
