package exam_test

import (
	"encoding/json"
	"fmt"

	"safedesk"
	"safedesk/exam"
)

func ExampleGrade() {
	q := &safedesk.Question{
		ID:   "q-demo",
		Type: safedesk.QuestionMultiple,
		Options: []safedesk.Option{
			{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"},
		},
		AnswerIDs: []string{"a", "c", "d"},
	}
	r, err := exam.DecodeResponse(q.Type, json.RawMessage(`["a","c","b"]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	strict := exam.Grade(q, r, exam.PolicyAllOrNothing, safedesk.LangEN)
	partial := exam.Grade(q, r, exam.PolicyPartial, safedesk.LangEN)
	fmt.Printf("all or nothing %.2f, partial %.2f\n", strict.Score, partial.Score)
	// Output: all or nothing 0.00, partial 0.33
}

func ExampleGrade_short() {
	q := &safedesk.Question{
		ID:     "q-hotline",
		Type:   safedesk.QuestionShort,
		Accept: map[string][]string{safedesk.LangZH: {"96110"}, safedesk.LangEN: {"96110"}},
	}
	for _, answer := range []string{"９６１１０。", "110"} {
		r := exam.Grade(q, exam.Response{Type: q.Type, Text: answer}, "", safedesk.LangZH)
		fmt.Printf("%s: score %v, needs review %v\n", answer, r.Score, r.NeedsReview)
	}
	// Output:
	// ９６１１０。: score 1, needs review false
	// 110: score 0, needs review true
}

func ExampleScoreAttempt() {
	results := []exam.Result{{Score: 1}, {Score: 1}, {Score: 0}, {NeedsReview: true}}
	s := exam.ScoreAttempt(results, 60)
	fmt.Printf("%.2f%% passed=%v pending=%d decided=%v\n", s.Percent, s.Passed, s.Pending, s.Decided)
	// Output: 50.00% passed=false pending=1 decided=false
}

func ExampleGain() {
	g, ok := exam.Gain(40, 70)
	fmt.Println(g, ok)
	_, ok = exam.Gain(100, 100)
	fmt.Println(ok)
	// Output:
	// 0.5 true
	// false
}
