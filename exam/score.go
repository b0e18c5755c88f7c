package exam

import "math"

// An AttemptScore is the outcome of an attempt.
type AttemptScore struct {
	// Percent is the score from 0 to 100: the mean question score × 100, rounded to two
	// decimals, half away from zero (66.666… → 66.67, 12.345 → 12.35 when exact in
	// float64). Answers waiting for review count as 0.
	Percent float64 `json:"score"`
	// Passed reports Percent ≥ the pass mark: the rounded score a trainee sees decides, so
	// a shown 80.00 never fails a pass mark of 80.
	Passed bool `json:"passed"`
	// Pending counts answers waiting for a trainer's review.
	Pending int `json:"pending_review"`
	// MaxPercent is the score if every pending answer were accepted; it equals Percent
	// when nothing is pending.
	MaxPercent float64 `json:"max_score"`
	// Decided reports that reviews cannot change Passed: nothing is pending, the attempt
	// passes already, or it fails even with every pending answer accepted. A caller
	// issues a certificate only for a decided pass.
	Decided bool `json:"decided"`
}

// ScoreAttempt scores an attempt from the results of every question on its paper
// (unanswered questions included, as Grade returns them) against passMark, a percentage.
// An attempt without questions scores 0 and does not pass.
func ScoreAttempt(results []Result, passMark int) AttemptScore {
	var s AttemptScore
	if len(results) == 0 {
		s.Decided = true
		return s
	}
	sum, pendingMax := 0.0, 0.0
	for _, r := range results {
		if r.NeedsReview {
			s.Pending++
			pendingMax++
			continue
		}
		sum += clamp01(r.Score)
	}
	n := float64(len(results))
	s.Percent = percent(sum, n)
	s.MaxPercent = percent(sum+pendingMax, n)
	pm := float64(passMark)
	s.Passed = s.Percent >= pm
	s.Decided = s.Pending == 0 || s.Passed || s.MaxPercent < pm
	return s
}

// percent returns 100 × part / whole rounded to two decimals, half away from zero.
func percent(part, whole float64) float64 {
	return math.Round(part*10000/whole) / 100
}
