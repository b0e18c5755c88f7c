package http

import (
	"encoding/json"
	"sync"

	"safedesk"
	"safedesk/exam"
)

// apiOption is an option as a trainee sees it.
type apiOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type apiChatLine struct {
	From string `json:"from"`
	Text string `json:"text"`
}

// apiQuestion is a question on a paper: never the key.
type apiQuestion struct {
	ID      string        `json:"id"`
	Type    string        `json:"type"`
	Prompt  string        `json:"prompt"`
	Chat    []apiChatLine `json:"chat,omitempty"`
	Options []apiOption   `json:"options"`
	// Pairs are the left-hand items of a matching question, in the order a response lists
	// its choices.
	Pairs []apiOption `json:"pairs,omitempty"`
}

// apiPoolQuestion is a question with its key, for trainers.
type apiPoolQuestion struct {
	apiQuestion
	Answer      any      `json:"answer"`
	Explanation string   `json:"explanation"`
	Lesson      string   `json:"lesson"`
	Chapter     string   `json:"chapter"`
	Difficulty  string   `json:"difficulty"`
	Tags        []string `json:"tags"`
}

func options(opts []safedesk.Option, lang string) []apiOption {
	out := make([]apiOption, 0, len(opts))
	for _, o := range opts {
		out = append(out, apiOption{ID: o.ID, Text: o.Text.In(lang)})
	}
	return out
}

// viewQuestion renders q for a paper item (nil item: bank order).
func viewQuestion(q *safedesk.Question, it *exam.PaperItem, lang string) apiQuestion {
	v := apiQuestion{ID: q.ID, Type: q.Type, Prompt: q.Prompt.In(lang), Options: options(q.Options, lang)}
	if it != nil {
		v.Options = options(it.ArrangeOptions(q), lang)
	}
	if q.Type == safedesk.QuestionMatching {
		// Pairs keep the bank's order: a response lists one option per pair in this order.
		v.Pairs = options(q.Pairs, lang)
	}
	for _, c := range q.Chat {
		v.Chat = append(v.Chat, apiChatLine{From: c.From, Text: c.Text.In(lang)})
	}
	return v
}

// apiResponse turns a response into the shape the API uses: an option id, a list of ids
// (multiple, ordering, and matching as one option id per pair in order) or a string.
func apiResponse(q *safedesk.Question, r exam.Response) any {
	if r.Empty() {
		return nil
	}
	switch q.Type {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		return r.Option
	case safedesk.QuestionShort:
		return r.Text
	case safedesk.QuestionMatching:
		out := make([]string, len(q.Pairs))
		for i, p := range q.Pairs {
			out[i] = r.Pairs[p.ID]
		}
		return out
	}
	return r.Options
}

// decodeResponse reads an API response for q and checks that it names only q's options.
// A matching response may be the list apiResponse writes or an object pair id → option id.
func decodeResponse(q *safedesk.Question, raw json.RawMessage) (exam.Response, error) {
	if q.Type == safedesk.QuestionMatching {
		var list []*string
		if err := json.Unmarshal(raw, &list); err == nil && list != nil {
			if len(list) > len(q.Pairs) {
				return exam.Response{}, safedesk.FieldError("response", "The response lists %d choices for %d pairs.", len(list), len(q.Pairs))
			}
			m := map[string]string{}
			for i, v := range list {
				if v != nil && *v != "" {
					m[q.Pairs[i].ID] = *v
				}
			}
			b, _ := json.Marshal(m)
			raw = b
		}
	}
	r, err := exam.DecodeResponse(q.Type, raw)
	if err != nil {
		return r, err
	}
	return r, exam.CheckResponse(q, r)
}

// questionIndex maps question ids of a parsed pack; packs never change, so one index per
// pack is kept.
var questionIndexes sync.Map // *safedesk.Pack → map[string]*safedesk.Question

func questionIndex(p *safedesk.Pack) map[string]*safedesk.Question {
	if m, ok := questionIndexes.Load(p); ok {
		return m.(map[string]*safedesk.Question)
	}
	m := make(map[string]*safedesk.Question, len(p.Questions))
	for _, q := range p.Questions {
		m[q.ID] = q
	}
	questionIndexes.Store(p, m)
	return m
}
