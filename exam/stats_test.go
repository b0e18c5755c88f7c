package exam

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"safedesk"
)

// attemptsOf builds attempts of questions q1…qN (in that slot order) from score rows.
func attemptsOf(rows ...[]float64) []ScoredAttempt {
	out := make([]ScoredAttempt, len(rows))
	for a, row := range rows {
		for j, s := range row {
			out[a].Items = append(out[a].Items, ScoredItem{QuestionID: fmt.Sprintf("q%d", j+1), Score: s})
		}
	}
	return out
}

func near(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s is nil, want %.6f", name, want)
		return
	}
	if math.Abs(*got-want) > 5e-6 {
		t.Errorf("%s = %.6f, want %.6f", name, *got, want)
	}
}

func isNil(t *testing.T, name string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want nil", name, *got)
	}
}

func item(t *testing.T, st *Statistics, id string) ItemStatistics {
	t.Helper()
	for _, it := range st.Items {
		if it.QuestionID == id {
			return it
		}
	}
	t.Fatalf("no item %s", id)
	return ItemStatistics{}
}

// TestAnalyzeWorkedExample checks the statistics against a calculation by hand.
//
// Four attempts of three questions (S = 4, P = 3):
//
//	     q1 q2 q3   T   T%
//	A1    1  1  1   3   100
//	A2    1  1  0   2   66.667
//	A3    1  0  0   1   33.333
//	A4    0  0  1   1   33.333
//
// Test: T̄ = 7/4 = 1.75 → mean 58.333 %; median (33.333 + 66.667)/2 = 50 %.
// Deviations of T: 1.25, 0.25, −0.75, −0.75.
// Σd² = 1.5625 + 0.0625 + 0.5625 + 0.5625 = 2.75 → V(T) = k₂ = 2.75/3 = 0.916667,
// SD = √0.916667 = 0.957427 marks = 31.914236 % (× 100/3).
// Σd³ = 1.953125 + 0.015625 − 0.421875 − 0.421875 = 1.125 → m₃ = 0.28125,
// k₃ = 16 · 0.28125 / (3 · 2) = 0.75 → skewness = 0.75 / 0.916667^1.5 = 0.854563.
// Σd⁴ = 2.441406 + 0.003906 + 0.316406 + 0.316406 = 3.078125 → m₄ = 0.769531, m₂ = 0.6875,
// k₄ = 16 · (5 · 0.769531 − 9 · 0.6875²) / (3 · 2 · 1) = 16 · (3.847656 − 4.253906) / 6
// = −1.083333 → kurtosis = −1.083333 / 0.916667² = −1.289256.
// Slot variances: q1 {1,1,1,0} → 0.25; q2 {1,1,0,0} → 1/3; q3 {1,0,0,1} → 1/3; Σ = 0.916667
// = V(T) → α = 3/2 · (1 − 1) = 0, error ratio √1 = 1, standard error = SD = 31.914236 %.
//
// q2: x = {1,1,0,0}, x̄ = 0.5, V(x) = 1/3, SD = 0.577350. Rest X−x = {2,1,1,1}, mean 1.25,
// deviations {0.75,−0.25,−0.25,−0.25}, V = 0.75/3 = 0.25. Σ dx·dr = 0.375 − 0.125 + 0.125 +
// 0.125 = 0.5 → C = 1/6 → D = (1/6) / √(1/3 · 1/4) = 0.577350. Sorted x {0,0,1,1} with
// sorted rest {1,1,1,2}: Σ = 0.125 + 0.125 − 0.125 + 0.375 = 0.5 → C_max = 1/6 → DE = 1.
//
// q3: x = {1,0,0,1}, x̄ = 0.5, V(x) = 1/3. Rest {2,2,1,0}, mean 1.25, deviations
// {0.75,0.75,−0.25,−1.25}, V = 2.75/3 = 0.916667. Σ dx·dr = 0.375 − 0.375 + 0.125 − 0.625
// = −0.5 → C = −1/6 → D = −(1/6) / √(1/3 · 0.916667) = −0.301511. Sorted x {0,0,1,1} with
// sorted rest {0,1,2,2}: Σ = 0.625 + 0.125 + 0.375 + 0.375 = 1.5 → C_max = 0.5 →
// DE = −1/3.
//
// q1: x = {1,1,1,0}, x̄ = 0.75, V(x) = 0.25, SD 0.5. Rest {2,1,0,1}, mean 1: Σ dx·dr =
// 0.25 + 0 − 0.25 + 0 = 0 → D = 0; sorted pairs give Σ = 0.75 + 0.25 = 1 → DE = 0.
func TestAnalyzeWorkedExample(t *testing.T) {
	st := Analyze(attemptsOf(
		[]float64{1, 1, 1},
		[]float64{1, 1, 0},
		[]float64{1, 0, 0},
		[]float64{0, 0, 1},
	), nil)
	if st.Attempts != 4 {
		t.Errorf("Attempts = %d", st.Attempts)
	}
	near(t, "mean", st.Mean, 58.333333)
	near(t, "median", st.Median, 50)
	near(t, "sd", st.SD, 31.914236)
	near(t, "skewness", st.Skewness, 0.854563)
	near(t, "kurtosis", st.Kurtosis, -1.289256)
	near(t, "alpha", st.Alpha, 0)
	near(t, "error ratio", st.ErrorRatio, 1)
	near(t, "standard error", st.StandardError, 31.914236)
	if !slices.Equal(st.Flags, []string{FlagFewAttempts, FlagLowAlpha}) {
		t.Errorf("flags %v", st.Flags)
	}

	q1, q2, q3 := item(t, st, "q1"), item(t, st, "q2"), item(t, st, "q3")
	near(t, "q1 facility", &q1.Facility, 0.75)
	near(t, "q1 sd", q1.SD, 0.5)
	near(t, "q1 discrimination", q1.Discrimination, 0)
	near(t, "q1 efficiency", q1.Efficiency, 0)
	near(t, "q2 facility", &q2.Facility, 0.5)
	near(t, "q2 sd", q2.SD, 0.577350)
	near(t, "q2 discrimination", q2.Discrimination, 0.577350)
	near(t, "q2 efficiency", q2.Efficiency, 1)
	near(t, "q3 discrimination", q3.Discrimination, -0.301511)
	near(t, "q3 efficiency", q3.Efficiency, -1.0/3)
	if !slices.Equal(q3.Flags, []string{FlagFewAttempts, FlagNegativeDiscrimination}) {
		t.Errorf("q3 flags %v", q3.Flags)
	}
	if !slices.Equal(q1.Flags, []string{FlagFewAttempts, FlagLowDiscrimination}) {
		t.Errorf("q1 flags %v", q1.Flags)
	}
	if got := []string{st.Items[0].QuestionID, st.Items[1].QuestionID, st.Items[2].QuestionID}; !slices.Equal(got, []string{"q1", "q2", "q3"}) {
		t.Errorf("item order %v", got)
	}
}

// TestAnalyzeReliability checks alpha on a perfect Guttman pattern by hand.
//
//	     q1 q2 q3   T
//	B1    1  1  1   3
//	B2    1  1  0   2
//	B3    1  0  0   1
//	B4    0  0  0   0
//
// Slot variances 0.25 + 1/3 + 0.25 = 0.833333. T̄ = 1.5, deviations ±1.5, ±0.5, Σd² = 5,
// V(T) = 5/3 = 1.666667 → α = 3/2 · (1 − 0.833333/1.666667) = 0.75; error ratio
// √0.25 = 0.5; SD = √(5/3) · 100/3 = 43.033148 %; standard error 0.5 · 43.033148 =
// 21.516574 %. The scores are symmetric: skewness 0. m₂ = 1.25, m₄ = (2 · 5.0625 + 2 ·
// 0.0625)/4 = 2.5625, k₄ = 16 · (5 · 2.5625 − 9 · 1.5625)/6 = −3.333333, kurtosis
// −3.333333 / (5/3)² = −1.2. Mean 50 %, median (33.333 + 66.667)/2 = 50 %.
// q2: x {1,1,0,0}, rest {2,1,1,0}, mean 1, deviations {1,0,0,−1}, V = 2/3; Σ dx·dr = 1,
// C = 1/3 → D = (1/3)/√(1/3 · 2/3) = 0.707107; sorted pairs give the same sum → DE = 1.
func TestAnalyzeReliability(t *testing.T) {
	st := Analyze(attemptsOf(
		[]float64{1, 1, 1},
		[]float64{1, 1, 0},
		[]float64{1, 0, 0},
		[]float64{0, 0, 0},
	), nil)
	near(t, "mean", st.Mean, 50)
	near(t, "median", st.Median, 50)
	near(t, "alpha", st.Alpha, 0.75)
	near(t, "error ratio", st.ErrorRatio, 0.5)
	near(t, "sd", st.SD, 43.033148)
	near(t, "standard error", st.StandardError, 21.516574)
	near(t, "skewness", st.Skewness, 0)
	near(t, "kurtosis", st.Kurtosis, -1.2)
	q2 := item(t, st, "q2")
	near(t, "q2 discrimination", q2.Discrimination, 0.707107)
	near(t, "q2 efficiency", q2.Efficiency, 1)
	if slices.Contains(st.Flags, FlagLowAlpha) {
		t.Errorf("alpha 0.75 flagged low: %v", st.Flags)
	}
}

// TestAnalyzeRandomPapers: questions drawn at random sit in different slots; item
// statistics follow the question, alpha the slot, and a missing slot scores 0.
//
//	A1: qa=1 qb=1      T=2
//	A2: qc=1 qa=0      T=1
//	A3: qb=0           T=0 (one slot only: slot 2 counts 0)
//
// Percents 100, 50, 0 → mean 50, median 50, SD 50. Slot 1 {1,1,0}: V = 1/3; slot 2 {1,0,0}:
// V = 1/3. V(T) over {2,1,0} = 1 → α = 2 · (1 − 2/3) = 0.666667; error ratio
// √(1/3) = 0.577350, standard error 28.867513. qa: x {1,0}, rest {1,1}: V(rest) = 0, so
// no discrimination; qb: x {1,0} in A1 and A3, rest {1,0} → D = 1.
func TestAnalyzeRandomPapers(t *testing.T) {
	st := Analyze([]ScoredAttempt{
		{Items: []ScoredItem{{QuestionID: "qa", Score: 1}, {QuestionID: "qb", Score: 1}}},
		{Items: []ScoredItem{{QuestionID: "qc", Score: 1}, {QuestionID: "qa", Score: 0}}},
		{Items: []ScoredItem{{QuestionID: "qb", Score: 0}}},
	}, nil)
	near(t, "mean", st.Mean, 50)
	near(t, "median", st.Median, 50)
	near(t, "sd", st.SD, 50)
	near(t, "alpha", st.Alpha, 2.0/3)
	near(t, "error ratio", st.ErrorRatio, math.Sqrt(1.0/3))
	near(t, "standard error", st.StandardError, 50*math.Sqrt(1.0/3))
	isNil(t, "kurtosis with 3 attempts", st.Kurtosis)
	qa, qb, qc := item(t, st, "qa"), item(t, st, "qb"), item(t, st, "qc")
	if qa.Attempts != 2 || qb.Attempts != 2 || qc.Attempts != 1 {
		t.Errorf("attempts %d %d %d", qa.Attempts, qb.Attempts, qc.Attempts)
	}
	isNil(t, "qa discrimination (constant rest)", qa.Discrimination)
	near(t, "qb discrimination", qb.Discrimination, 1)
	isNil(t, "qc sd (one attempt)", qc.SD)
	// Not in a bank: rows sort by id.
	if got := []string{st.Items[0].QuestionID, st.Items[1].QuestionID, st.Items[2].QuestionID}; !slices.Equal(got, []string{"qa", "qb", "qc"}) {
		t.Errorf("item order %v", got)
	}
}

// TestAnalyzeDegenerate: too few attempts or no variance leave statistics nil, never NaN,
// and the result always encodes as JSON.
func TestAnalyzeDegenerate(t *testing.T) {
	tests := []struct {
		name     string
		attempts []ScoredAttempt
		check    func(t *testing.T, st *Statistics)
	}{
		{"none", nil, func(t *testing.T, st *Statistics) {
			isNil(t, "mean", st.Mean)
			if st.Items == nil || st.Flags == nil {
				t.Error("nil slices would encode as null")
			}
		}},
		{"one attempt", attemptsOf([]float64{1, 0, 1}), func(t *testing.T, st *Statistics) {
			near(t, "mean", st.Mean, 66.666667)
			near(t, "median", st.Median, 66.666667)
			isNil(t, "sd", st.SD)
			isNil(t, "alpha", st.Alpha)
			isNil(t, "q1 sd", st.Items[0].SD)
			isNil(t, "q1 discrimination", st.Items[0].Discrimination)
		}},
		{"everyone equal", attemptsOf([]float64{1, 0, 1}, []float64{1, 0, 1}, []float64{1, 0, 1}, []float64{1, 0, 1}), func(t *testing.T, st *Statistics) {
			near(t, "sd", st.SD, 0)
			isNil(t, "skewness", st.Skewness)
			isNil(t, "kurtosis", st.Kurtosis)
			isNil(t, "alpha", st.Alpha)
			isNil(t, "standard error", st.StandardError)
			near(t, "q1 sd", st.Items[0].SD, 0)
			isNil(t, "q1 discrimination", st.Items[0].Discrimination)
			isNil(t, "q1 efficiency", st.Items[0].Efficiency)
		}},
		{"thirds equal", attemptsOf([]float64{1, 0.333333333}, []float64{1, 0.333333333}, []float64{1, 0.333333333}), func(t *testing.T, st *Statistics) {
			isNil(t, "skewness", st.Skewness)
		}},
		{"one question", attemptsOf([]float64{1}, []float64{0}, []float64{1}), func(t *testing.T, st *Statistics) {
			isNil(t, "alpha with one slot", st.Alpha)
			near(t, "sd", st.SD, 57.735027)
		}},
		{"empty attempts", []ScoredAttempt{{}, {}}, func(t *testing.T, st *Statistics) {
			near(t, "mean", st.Mean, 0)
			if len(st.Items) != 0 {
				t.Errorf("items %v", st.Items)
			}
		}},
		{"not finite scores", attemptsOf([]float64{math.NaN(), 1}, []float64{math.Inf(1), 0}), func(t *testing.T, st *Statistics) {
			near(t, "mean", st.Mean, 25)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Analyze(tt.attempts, nil)
			tt.check(t, st)
			if _, err := json.Marshal(st); err != nil {
				t.Fatalf("JSON: %v", err)
			}
		})
	}
}

// TestAnalyzeDistractors checks the distractor analysis by hand.
//
// Six attempts of a single-choice question "s" (key a; options a, b, c) and a filler "f".
// By total: A1 2, A2 2, A3 1 (top third: A1, A2), A4 1, A5 0, A6 0 (bottom third: A5, A6).
//
//	     s    f   T
//	A1   a    1   2
//	A2   a    1   2
//	A3   b    1   1
//	A4   a    0   1
//	A5   c    0   0
//	A6   -    0   0
//
// Option a: 3 of 6 overall (0.5), 2/2 top, 0/2 bottom. b: 1/6, 0 top, 0 bottom. c: 1/6, 0
// top, 1/2 bottom. Omitted: 1/6, 0 top, 1/2 bottom.
func TestAnalyzeDistractors(t *testing.T) {
	s := &safedesk.Question{ID: "s", Type: safedesk.QuestionSingle, Options: opts("a", "b", "c"), AnswerIDs: []string{"a"}}
	f := &safedesk.Question{ID: "f", Type: safedesk.QuestionShort}
	row := func(choice string, fs float64) ScoredAttempt {
		r := Response{Type: safedesk.QuestionSingle, Option: choice}
		score := 0.0
		if choice == "a" {
			score = 1
		}
		return ScoredAttempt{Items: []ScoredItem{{QuestionID: "s", Score: score, Response: r}, {QuestionID: "f", Score: fs}}}
	}
	st := Analyze([]ScoredAttempt{row("a", 1), row("a", 1), row("b", 1), row("a", 0), row("c", 0), row("", 0)},
		[]*safedesk.Question{f, s})
	if st.Items[0].QuestionID != "f" {
		t.Errorf("rows not in bank order: %s first", st.Items[0].QuestionID)
	}
	it := item(t, st, "s")
	if it.TopAttempts != 2 || it.BottomAttempts != 2 || it.Type != safedesk.QuestionSingle {
		t.Errorf("top %d bottom %d type %q", it.TopAttempts, it.BottomAttempts, it.Type)
	}
	want := []struct {
		id               string
		correct          bool
		all, top, bottom float64
	}{
		{"a", true, 0.5, 1, 0},
		{"b", false, 1.0 / 6, 0, 0},
		{"c", false, 1.0 / 6, 0, 0.5},
	}
	if len(it.Options) != len(want) {
		t.Fatalf("%d options", len(it.Options))
	}
	for i, w := range want {
		o := it.Options[i]
		if o.ID != w.id || o.Correct != w.correct {
			t.Errorf("option %d: %s %v", i, o.ID, o.Correct)
		}
		near(t, w.id+" all", &o.All, w.all)
		near(t, w.id+" top", o.Top, w.top)
		near(t, w.id+" bottom", o.Bottom, w.bottom)
	}
	near(t, "omitted all", &it.Omitted.All, 1.0/6)
	near(t, "omitted top", it.Omitted.Top, 0)
	near(t, "omitted bottom", it.Omitted.Bottom, 0.5)
	if slices.Contains(it.Flags, FlagDistractorAttractsTop) {
		t.Errorf("flags %v", it.Flags)
	}
	if fi := item(t, st, "f"); fi.Options != nil || fi.Omitted != nil {
		t.Error("a short question got a distractor analysis")
	}

	// The top third choosing a wrong option that the bottom third avoids is flagged.
	st = Analyze([]ScoredAttempt{row("b", 1), row("b", 1), row("a", 1), row("a", 0), row("a", 0), row("a", 0)}, []*safedesk.Question{s, f})
	if it := item(t, st, "s"); !slices.Contains(it.Flags, FlagDistractorAttractsTop) {
		t.Errorf("flags %v, want %s", it.Flags, FlagDistractorAttractsTop)
	}
}

func TestAnalyzeMultipleChoiceShares(t *testing.T) {
	q := &safedesk.Question{ID: "m", Type: safedesk.QuestionMultiple, Options: opts("a", "b", "c"), AnswerIDs: []string{"a", "b"}}
	at := func(ids ...string) ScoredAttempt {
		return ScoredAttempt{Items: []ScoredItem{{QuestionID: "m", Response: Response{Type: safedesk.QuestionMultiple, Options: ids}}}}
	}
	st := Analyze([]ScoredAttempt{at("a", "b"), at("a", "c"), at("zz")}, []*safedesk.Question{q})
	it := item(t, st, "m")
	// a chosen by 2 of 3, b by 1, c by 1; "zz" is no option, so the third attempt omitted.
	for i, want := range []float64{2.0 / 3, 1.0 / 3, 1.0 / 3} {
		near(t, it.Options[i].ID, &it.Options[i].All, want)
	}
	near(t, "omitted", &it.Omitted.All, 1.0/3)
	// One third of 3 attempts is 1 attempt.
	if it.TopAttempts != 1 || it.BottomAttempts != 1 {
		t.Errorf("thirds %d %d", it.TopAttempts, it.BottomAttempts)
	}
}

// syntheticAttempts returns attempts of papers of perPaper questions drawn from a bank of
// bankSize, scored by a simple ability model, for benchmarks.
func syntheticAttempts(n, perPaper, bankSize int) ([]ScoredAttempt, []*safedesk.Question) {
	rng := rand.New(rand.NewPCG(1, 2))
	bank := make([]*safedesk.Question, bankSize)
	for i := range bank {
		bank[i] = &safedesk.Question{ID: fmt.Sprintf("q%03d", i), Type: safedesk.QuestionSingle, Options: opts("a", "b", "c", "d"), AnswerIDs: []string{"a"}}
	}
	choices := []string{"a", "b", "c", "d"}
	attempts := make([]ScoredAttempt, n)
	for a := range attempts {
		ability := rng.Float64()
		perm := rng.Perm(bankSize)[:perPaper]
		items := make([]ScoredItem, perPaper)
		for j, qi := range perm {
			c := choices[rng.IntN(4)]
			if rng.Float64() < ability {
				c = "a"
			}
			score := 0.0
			if c == "a" {
				score = 1
			}
			items[j] = ScoredItem{QuestionID: bank[qi].ID, Score: score, Response: Response{Type: safedesk.QuestionSingle, Option: c}}
		}
		attempts[a].Items = items
	}
	return attempts, bank
}

func TestAnalyzeSynthetic(t *testing.T) {
	attempts, bank := syntheticAttempts(600, 30, 190)
	st := Analyze(attempts, bank)
	if st.Alpha == nil || *st.Alpha < 0.8 {
		t.Errorf("alpha %v: items driven by one ability should be consistent", st.Alpha)
	}
	var sumD float64
	for _, it := range st.Items {
		if it.Discrimination == nil || *it.Discrimination <= 0 {
			t.Errorf("%s: discrimination %v", it.QuestionID, it.Discrimination)
			continue
		}
		sumD += *it.Discrimination
		if it.Efficiency == nil || *it.Efficiency <= 0 || *it.Efficiency > 1 {
			t.Errorf("%s: efficiency %v", it.QuestionID, it.Efficiency)
		}
	}
	if mean := sumD / float64(len(st.Items)); mean < 0.3 {
		t.Errorf("mean discrimination %.3f", mean)
	}
	if _, err := json.Marshal(st); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkAnalyze1M analyses 1,000,020 item responses: 33,334 attempts of 30 questions
// drawn from 190.
func BenchmarkAnalyze1M(b *testing.B) {
	attempts, bank := syntheticAttempts(33334, 30, 190)
	b.ReportAllocs()
	for b.Loop() {
		Analyze(attempts, bank)
	}
}
