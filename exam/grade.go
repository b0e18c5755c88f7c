package exam

import (
	"math"
	"slices"
	"strings"

	"safedesk"
)

// Scoring policies, as ExamSpec.MultipleChoice names them.
const (
	// PolicyAllOrNothing gives a question full credit only when the answer is entirely
	// right. It is the default.
	PolicyAllOrNothing = "all_or_nothing"
	// PolicyPartial gives part credit to part-right answers of multiple-choice, ordering
	// and matching questions.
	PolicyPartial = "partial"
)

// A Result is the grade of one answer.
type Result struct {
	QuestionID string `json:"question_id"`
	// Score is the credit earned, from 0 to 1. An answer waiting for review scores 0
	// until a trainer decides.
	Score float64 `json:"score"`
	// Correct reports full credit.
	Correct bool `json:"correct"`
	// Answered is false when the response was empty.
	Answered bool `json:"answered"`
	// NeedsReview marks a short answer that matched no accepted answer: a trainer decides
	// whether it is right (see Reviewed).
	NeedsReview bool `json:"needs_review"`
}

// Reviewed returns the result after a trainer's decision: the score (clamped to 0..1)
// replaces the provisional one and the result no longer needs review.
func (r Result) Reviewed(score float64) Result {
	r.Score = clamp01(score)
	r.Correct = r.Score == 1
	r.NeedsReview = false
	return r
}

// Grade grades response as an answer to q under policy (PolicyAllOrNothing or
// PolicyPartial; anything else, including "", is all-or-nothing, the safe reading). lang is
// the language the trainee answered in; short answers are matched against the accepted
// answers of that language first and then of every other language, so a trainee who
// answers in English on a Chinese paper is not marked wrong for it.
//
// The rules per question type:
//
//	single, truefalse  full credit for the key's option.
//	multiple           all-or-nothing: exactly the key's options, in any order.
//	                   partial: (right picks − wrong picks) / key size, at least 0.
//	                   An id that is not an option counts as a wrong pick.
//	ordering           full credit only for exactly the key's order. partial: the share of
//	                   the key's n(n−1)/2 item pairs that the response puts in the right
//	                   relative order (items missing from the response earn nothing for
//	                   their pairs), never 1 unless exact. A response naming an id that is
//	                   not an option scores 0.
//	matching           all-or-nothing: every pair right. partial: the share of the key's
//	                   pairs matched right; pairs the key does not have are ignored.
//	short              full credit when NormalizeAnswer of the response equals that of an
//	                   accepted answer; otherwise, if anything was typed, 0 and NeedsReview.
//
// A response decoded for another question type, or an empty one, scores 0 and is not
// answered (single and truefalse share a shape).
func Grade(q *safedesk.Question, response Response, policy string, lang string) Result {
	res := Result{QuestionID: q.ID}
	if response.Empty() || (response.Type != "" && !sameShape(q.Type, response.Type)) {
		return res
	}
	res.Answered = true
	switch q.Type {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		if len(q.AnswerIDs) == 1 && response.Option == q.AnswerIDs[0] {
			res.Score = 1
		}
	case safedesk.QuestionMultiple:
		res.Score = gradeMultiple(q.AnswerIDs, response.Options, policy == PolicyPartial)
	case safedesk.QuestionOrdering:
		res.Score = gradeOrdering(q, response.Options, policy == PolicyPartial)
	case safedesk.QuestionMatching:
		res.Score = gradeMatching(q.AnswerMap, response.Pairs, policy == PolicyPartial)
	case safedesk.QuestionShort:
		if strings.TrimSpace(response.Text) == "" {
			res.Answered = false
			return res
		}
		if matchShort(q.Accept, response.Text, lang) {
			res.Score = 1
		} else {
			res.NeedsReview = true
		}
	}
	res.Correct = res.Score == 1
	return res
}

func gradeMultiple(key, picks []string, partial bool) float64 {
	if len(key) == 0 {
		return 0
	}
	right, wrong := 0, 0
	for i, id := range picks {
		if slices.Contains(picks[:i], id) {
			continue // DecodeResponse refuses duplicates; a hand-built Response gains nothing from them
		}
		if slices.Contains(key, id) {
			right++
		} else {
			wrong++
		}
	}
	if right == len(key) && wrong == 0 {
		return 1
	}
	if !partial {
		return 0
	}
	return math.Max(0, float64(right-wrong)/float64(len(key)))
}

func gradeOrdering(q *safedesk.Question, order []string, partial bool) float64 {
	key := q.AnswerIDs
	if len(key) == 0 {
		return 0
	}
	if slices.Equal(order, key) {
		return 1
	}
	if !partial || len(key) < 2 {
		return 0
	}
	options := idSet(q.Options)
	pos := make(map[string]int, len(order))
	for i, id := range order {
		if !options[id] {
			return 0
		}
		if _, dup := pos[id]; !dup {
			pos[id] = i
		}
	}
	right, total := 0, 0
	for i := range key {
		for j := i + 1; j < len(key); j++ {
			total++
			a, okA := pos[key[i]]
			b, okB := pos[key[j]]
			if okA && okB && a < b {
				right++
			}
		}
	}
	if right == total {
		// Every key item in the right relative order but not the exact list (a repeated
		// id, say): part credit cannot reach full credit.
		right--
	}
	return float64(right) / float64(total)
}

func gradeMatching(key, given map[string]string, partial bool) float64 {
	if len(key) == 0 {
		return 0
	}
	right := 0
	for pair, opt := range key {
		if given[pair] == opt {
			right++
		}
	}
	if right == len(key) {
		return 1
	}
	if !partial {
		return 0
	}
	return float64(right) / float64(len(key))
}

// matchShort reports whether text matches an accepted answer: those of lang first (the
// likely match), then those of every other language in tag order.
func matchShort(accept map[string][]string, text, lang string) bool {
	got := NormalizeAnswer(text)
	if got == "" {
		return false
	}
	match := func(list []string) bool {
		for _, a := range list {
			if NormalizeAnswer(a) == got {
				return true
			}
		}
		return false
	}
	if match(accept[lang]) {
		return true
	}
	others := make([]string, 0, len(accept))
	for l := range accept {
		if l != lang {
			others = append(others, l)
		}
	}
	slices.Sort(others)
	for _, l := range others {
		if match(accept[l]) {
			return true
		}
	}
	return false
}

func clamp01(x float64) float64 {
	switch {
	case x > 1:
		return 1
	case x > 0:
		return x
	}
	return 0 // also NaN
}
