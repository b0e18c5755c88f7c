package exam

import (
	"errors"
	"strings"
	"testing"

	"safedesk"
	"safedesk/content"
)

func TestRuleMatchesAgreesWithContent(t *testing.T) {
	p := mustPack(t)
	rules := []safedesk.BlueprintRule{
		{ChapterID: "ch02"},
		{ChapterID: "ch03", Difficulty: []string{"hard"}},
		{ChapterID: "ch04", Difficulty: []string{"easy", "medium"}},
		{ChapterID: "ch02", Tags: []string{"topic:refund-scam", "competency:escalate"}},
		{ChapterID: "ch05", Difficulty: []string{"medium"}, Tags: []string{"competency:recognise"}},
		{ChapterID: "nope"},
	}
	for _, e := range p.Exams {
		rules = append(rules, e.Blueprint...)
	}
	for _, r := range rules {
		for _, q := range p.Questions {
			if got, want := RuleMatches(r, q), content.RuleMatches(r, q); got != want {
				t.Errorf("rule %+v, question %s: RuleMatches %v, content.RuleMatches %v", r, q.ID, got, want)
			}
		}
	}
}

// TestDrawOverlappingRules: a broad rule must not take the questions a narrower later
// rule needs, even when usage makes them the most attractive.
func TestDrawOverlappingRules(t *testing.T) {
	spec := &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{
		{ChapterID: "ch1", Count: 2},
		{ChapterID: "ch1", Count: 2, Difficulty: []string{"hard"}},
	}}
	bank := tinyBank(4, 0, 1) // q0, q1 hard; q2, q3 easy
	usage := map[string]int{"q2": 5, "q3": 5}
	for seed := range uint64(100) {
		p, err := Draw(spec, bank, usage, nil, seeded(seed))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkPaper(t, spec, bank, p)
	}
}

func TestDrawErrors(t *testing.T) {
	bank := tinyBank(3, 0, 1)
	tests := []struct {
		name  string
		spec  *safedesk.ExamSpec
		bank  []*safedesk.Question
		code  string
		field string
		msg   string
	}{
		{"too few", &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch1", Count: 1}, {ChapterID: "ch1", Count: 4, Difficulty: []string{"hard"}}}},
			bank, safedesk.EINVALID, "blueprint[1].count", "blueprint[1] (chapter ch1, difficulty hard) asks for 4 questions but the bank has only 2 that fit"},
		{"no chapter", &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch9", Count: 1, Tags: []string{"a", "b"}}}},
			bank, safedesk.EINVALID, "blueprint[0].count", "blueprint[0] (chapter ch9, tags a|b) asks for 1 question but the bank has only 0 that fit"},
		{"competing rules", &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch1", Count: 2}, {ChapterID: "ch1", Count: 2, Difficulty: []string{"hard"}}}},
			bank, safedesk.EINVALID, "blueprint[1].count", "asks for 2 questions and 2 fit, but earlier rules need some of the same questions: blueprint[0] to blueprint[1] ask for 4 questions and the bank can give them only 3"},
		{"zero count", &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch1", Count: 0}}},
			bank, safedesk.EINVALID, "blueprint[0].count", "must draw at least 1 question, not 0"},
		{"empty blueprint", &safedesk.ExamSpec{ID: "x"}, bank, safedesk.EINVALID, "blueprint", "draws no questions"},
		{"nil spec", nil, bank, safedesk.EINVALID, "", "No exam"},
		{"duplicate question", &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch1", Count: 1}}},
			append(tinyBank(2), tinyBank(1)...), safedesk.EINVALID, "", `Question "q0" appears twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Draw(tt.spec, append(tt.bank, nil), nil, nil, seeded(1))
			var e *safedesk.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want a *safedesk.Error", err)
			}
			if e.Code != tt.code || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("got %s %q %q, want %s %q containing %q", e.Code, e.Field, e.Message, tt.code, tt.field, tt.msg)
			}
			if cerr := CheckBlueprint(tt.spec, tt.bank); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("CheckBlueprint: %v, Draw: %v", cerr, err)
			}
		})
	}
	t.Run("no random source", func(t *testing.T) {
		_, err := Draw(&safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch1", Count: 1}}}, bank, nil, nil, nil)
		if safedesk.ErrorCode(err) != safedesk.EINTERNAL {
			t.Errorf("got %v, want EINTERNAL", err)
		}
	})
}

// BenchmarkDrawOverlapping draws a blueprint whose rules compete for questions, the case
// that needs a feasibility check per pick.
func BenchmarkDrawOverlapping(b *testing.B) {
	p := mustPack(b)
	spec := &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{
		{ChapterID: "ch02", Count: 6},
		{ChapterID: "ch02", Count: 4, Difficulty: []string{"hard"}},
		{ChapterID: "ch04", Count: 8},
		{ChapterID: "ch04", Count: 4, Difficulty: []string{"medium", "hard"}},
		{ChapterID: "ch05", Count: 8},
	}}
	rng := seeded(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Draw(spec, p.Questions, nil, nil, rng); err != nil {
			b.Fatal(err)
		}
	}
}
