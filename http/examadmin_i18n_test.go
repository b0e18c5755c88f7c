package http

import (
	"testing"

	"safedesk"
	"safedesk/exam"
)

// TestExamAdminMessages checks the message keys the exam pages build at run time: every
// exam kind, review and scoring policy, difficulty, question type and statistics flag,
// and the flashes the handlers redirect with.
func TestExamAdminMessages(t *testing.T) {
	var keys []string
	add := func(prefix string, names ...string) {
		for _, n := range names {
			keys = append(keys, prefix+n)
		}
	}
	add("examadmin.kind.", safedesk.ExamKinds...)
	add("examadmin.review.", safedesk.ReviewScore, safedesk.ReviewAnswers, safedesk.ReviewAnswersAfterClose)
	add("examadmin.scoring.", safedesk.ScoringAllOrNothing, safedesk.ScoringPartial)
	add("examadmin.diff.", safedesk.Difficulties...)
	add("examadmin.qtype.", safedesk.QuestionSingle, safedesk.QuestionMultiple, safedesk.QuestionTrueFalse,
		safedesk.QuestionShort, safedesk.QuestionOrdering, safedesk.QuestionMatching)
	add("examadmin.flag.", exam.FlagTooHard, exam.FlagTooEasy, exam.FlagLowDiscrimination, exam.FlagNegativeDiscrimination,
		exam.FlagDistractorAttractsTop, exam.FlagLowAlpha, exam.FlagFewAttempts)
	add("flash.", "exam_created", "exam_saved", "accommodation_saved", "reviewed", "reviewed_certified")
	for _, f := range statFigures(&exam.Statistics{}) {
		keys = append(keys, f.Key)
		if f.Hint != "" {
			keys = append(keys, f.Hint)
		}
	}
	for _, k := range keys {
		if !hasMessage(k) {
			t.Errorf("no message %q", k)
		}
	}
}
