package content

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"safedesk"
)

var questionTypes = []string{safedesk.QuestionSingle, safedesk.QuestionMultiple, safedesk.QuestionTrueFalse,
	safedesk.QuestionShort, safedesk.QuestionOrdering, safedesk.QuestionMatching}

// readQuestions reads a questions file: a mapping with one field, questions, a list.
func readQuestions(c *collector, file string, b []byte, langs []string) []*safedesk.Question {
	root := parseYAML(c, file, b, 1)
	if root == nil {
		return nil
	}
	o := newObj(c, file, "", root, langs, "questions")
	var out []*safedesk.Question
	for i, n := range o.list("questions", true) {
		if q := readQuestion(c, file, fmt.Sprintf("questions[%d]", i), n, langs); q != nil {
			out = append(out, q)
		}
	}
	return out
}

func readQuestion(c *collector, file, path string, n *yaml.Node, langs []string) *safedesk.Question {
	before := len(c.problems)
	o := newObj(c, file, path, n, langs, "id", "type", "lesson", "difficulty", "tags", "chat", "prompt",
		"options", "pairs", "answer", "accept", "explanation")
	q := &safedesk.Question{
		ID:          o.id("id", true),
		Type:        o.oneOf("type", true, "", questionTypes...),
		LessonID:    o.id("lesson", true),
		Difficulty:  o.oneOf("difficulty", true, "", safedesk.Difficulties...),
		Tags:        o.strings("tags", false),
		Prompt:      o.text("prompt", true),
		Explanation: o.text("explanation", true),
	}
	if q.ID != "" {
		path = q.ID // later messages name the question, which is easier to find than an index
		o.path = path
	}
	for i, cn := range o.list("chat", false) {
		co := newObj(c, file, fmt.Sprintf("%s.chat[%d]", path, i), cn, langs, "from", "text")
		q.Chat = append(q.Chat, safedesk.ChatLine{
			From: co.oneOf("from", true, "", "customer", "agent"),
			Text: co.text("text", true),
		})
	}
	q.Options = readOptions(c, file, o, "options")
	q.Pairs = readOptions(c, file, o, "pairs")
	readAnswer(c, file, o, q)
	if len(c.problems) > before {
		return nil
	}
	return q
}

func readOptions(c *collector, file string, o *obj, field string) []safedesk.Option {
	var out []safedesk.Option
	seen := map[string]bool{}
	for i, n := range o.list(field, false) {
		oo := newObj(c, file, fmt.Sprintf("%s.%s[%d]", o.path, field, i), n, o.langs, "id", "text")
		opt := safedesk.Option{ID: oo.id("id", true), Text: oo.text("text", true)}
		if opt.ID != "" && seen[opt.ID] {
			c.add(file, n.Line, oo.sub("id"), "option id %q is used twice in this question", opt.ID)
		}
		seen[opt.ID] = true
		out = append(out, opt)
	}
	return out
}

// readAnswer reads the key in the shape the question's type needs and checks it against the
// options.
func readAnswer(c *collector, file string, o *obj, q *safedesk.Question) {
	fail := func(n *yaml.Node, format string, args ...any) {
		line := o.line()
		if n != nil {
			line = n.Line
		}
		c.add(file, line, o.sub("answer"), format, args...)
	}
	optionIDs := map[string]bool{}
	for _, op := range q.Options {
		optionIDs[op.ID] = true
	}
	countOptions := func(min, max int) {
		if len(q.Options) < min || len(q.Options) > max {
			c.add(file, o.line(), o.sub("options"), "a %s question has %d–%d options, not %d", q.Type, min, max, len(q.Options))
		}
	}
	noField := func(name string) {
		if o.has(name) {
			c.add(file, o.get(name, false).Line, o.sub(name), "not used by %s questions", q.Type)
		}
	}
	ans := o.get("answer", q.Type != safedesk.QuestionShort && q.Type != "")
	switch q.Type {
	case safedesk.QuestionSingle:
		countOptions(2, 6)
		noField("pairs")
		noField("accept")
		if ans != nil {
			if ans.Kind != yaml.ScalarNode || !optionIDs[ans.Value] {
				fail(ans, "must be the id of one of the options")
				return
			}
			q.AnswerIDs = []string{ans.Value}
		}
	case safedesk.QuestionTrueFalse:
		noField("options")
		noField("pairs")
		noField("accept")
		q.Options = []safedesk.Option{
			{ID: "true", Text: safedesk.Text{safedesk.LangZH: "正确", safedesk.LangEN: "True"}},
			{ID: "false", Text: safedesk.Text{safedesk.LangZH: "错误", safedesk.LangEN: "False"}},
		}
		if ans != nil {
			if ans.Kind != yaml.ScalarNode || (ans.Value != "true" && ans.Value != "false") {
				fail(ans, "must be true or false")
				return
			}
			q.AnswerIDs = []string{ans.Value}
		}
	case safedesk.QuestionMultiple, safedesk.QuestionOrdering:
		countOptions(3, 8)
		noField("pairs")
		noField("accept")
		if ans == nil {
			return
		}
		if ans.Kind != yaml.SequenceNode {
			fail(ans, "must be a list of option ids")
			return
		}
		seen := map[string]bool{}
		for _, a := range ans.Content {
			if a.Kind != yaml.ScalarNode || !optionIDs[a.Value] {
				fail(a, "%q is not the id of an option", a.Value)
				return
			}
			if seen[a.Value] {
				fail(a, "%q is listed twice", a.Value)
				return
			}
			seen[a.Value] = true
			q.AnswerIDs = append(q.AnswerIDs, a.Value)
		}
		if q.Type == safedesk.QuestionMultiple && (len(q.AnswerIDs) < 2 || len(q.AnswerIDs) >= len(q.Options)) {
			fail(ans, "a multiple-choice key has at least 2 and fewer than all %d options, not %d", len(q.Options), len(q.AnswerIDs))
		}
		if q.Type == safedesk.QuestionOrdering && len(q.AnswerIDs) != len(q.Options) {
			fail(ans, "an ordering key lists every option once (%d of %d)", len(q.AnswerIDs), len(q.Options))
		}
	case safedesk.QuestionMatching:
		countOptions(2, 8)
		noField("accept")
		if len(q.Pairs) < 2 || len(q.Pairs) > 8 {
			c.add(file, o.line(), o.sub("pairs"), "a matching question has 2–8 pairs, not %d", len(q.Pairs))
		}
		if ans == nil {
			return
		}
		if ans.Kind != yaml.MappingNode {
			fail(ans, "must map each pair id to an option id")
			return
		}
		pairIDs := map[string]bool{}
		for _, p := range q.Pairs {
			pairIDs[p.ID] = true
		}
		q.AnswerMap = map[string]string{}
		for i := 0; i+1 < len(ans.Content); i += 2 {
			k, v := ans.Content[i], ans.Content[i+1]
			if !pairIDs[k.Value] {
				fail(k, "%q is not the id of a pair", k.Value)
				continue
			}
			if v.Kind != yaml.ScalarNode || !optionIDs[v.Value] {
				fail(v, "%q is not the id of an option", v.Value)
				continue
			}
			q.AnswerMap[k.Value] = v.Value
		}
		if len(q.AnswerMap) != len(q.Pairs) {
			fail(ans, "every pair needs an answer (%d of %d given)", len(q.AnswerMap), len(q.Pairs))
		}
	case safedesk.QuestionShort:
		noField("options")
		noField("pairs")
		noField("answer")
		q.Accept = o.textList("accept", true)
	}
}
