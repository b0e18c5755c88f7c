package drill

import (
	"testing"
)

func TestScore(t *testing.T) {
	good := func(rule string, pts int) Hit { return Hit{Rule: rule, Severity: SeverityGood, Points: pts} }
	major := func(rule string, pts int) Hit { return Hit{Rule: rule, Severity: SeverityMajor, Points: -pts} }
	minor := func(rule string, pts int) Hit { return Hit{Rule: rule, Severity: SeverityMinor, Points: -pts} }
	crit := func(rule string) Hit { return Hit{Rule: rule, Severity: SeverityCritical} }
	type reply struct {
		hits    []Hit
		verdict Verdict
	}
	tests := []struct {
		name       string
		goodPoints int
		replies    []reply
		final      []Hit
		done       bool
		score      int
		passed     bool
		critical   int
	}{
		{"nothing earned, nothing lost", 100, nil, nil, true, 50, false, 0},
		{"every good move", 80, []reply{{hits: []Hit{good("a", 50), good("b", 30)}}}, nil, true, 100, true, 0},
		{"a good rule counts once per run", 100, []reply{{hits: []Hit{good("a", 40)}}, {hits: []Hit{good("a", 40)}}}, nil, true, 70, true, 0},
		{"scaled to the scenario's total", 40, []reply{{hits: []Hit{good("a", 10)}}}, nil, true, 63, false, 0}, // 50 + 12.5 rounds up
		{"penalties once per reply", 100, []reply{{hits: []Hit{good("a", 100), minor("j", 5)}}, {hits: []Hit{minor("j", 5)}}}, nil, true, 90, true, 0},
		{"missing rules subtract", 100, []reply{{hits: []Hit{good("a", 60)}}}, []Hit{major("m", 20)}, true, 60, false, 0},
		{"clamped at zero", 100, []reply{{hits: []Hit{major("x", 80)}}}, []Hit{major("m", 20)}, true, 0, false, 0},
		{"clamped at 100", 10, []reply{{hits: []Hit{good("a", 10), good("b", 10)}}}, nil, true, 100, true, 0},
		{"no good rules", 0, []reply{{hits: []Hit{minor("j", 5)}}}, nil, true, 95, true, 0},
		{"critical fails whatever the score", 10, []reply{{hits: []Hit{good("a", 10), crit("c")}}}, []Hit{major("m", 20)}, true, 100, false, 1},
		{"not passed before the end", 10, []reply{{hits: []Hit{good("a", 10)}}}, nil, false, 100, false, 0},
		{"trainer passes a reply", 100, []reply{{hits: []Hit{good("a", 100), crit("c"), major("p", 15)}, verdict: VerdictPass}}, nil, true, 100, true, 0},
		{"trainer fails a reply", 100, []reply{{hits: []Hit{good("a", 100), {Rule: ruleTrainerFail, Severity: SeverityCritical}}, verdict: VerdictFail}}, nil, true, 50, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := &Run{GoodPoints: tt.goodPoints, PassScore: 70, Done: tt.done, Final: tt.final}
			for i, r := range tt.replies {
				run.Feedback = append(run.Feedback, Feedback{Reply: i, Hits: r.hits, Verdict: r.verdict})
			}
			score(run)
			if run.Score != tt.score || run.Passed != tt.passed || len(run.Critical) != tt.critical {
				t.Errorf("score %d passed %v critical %d, want %d %v %d (earned %d, penalty %d)",
					run.Score, run.Passed, len(run.Critical), tt.score, tt.passed, tt.critical, run.Earned, run.Penalty)
			}
		})
	}
}
