package exam

import (
	"math"
	"testing"

	"safedesk"
)

func opts(ids ...string) []safedesk.Option {
	out := make([]safedesk.Option, len(ids))
	for i, id := range ids {
		out[i] = safedesk.Option{ID: id, Text: safedesk.Text{safedesk.LangEN: "option " + id}}
	}
	return out
}

// Fixture questions, one per type.
var (
	qSingle = &safedesk.Question{ID: "single", Type: safedesk.QuestionSingle, Options: opts("a", "b", "c", "d"), AnswerIDs: []string{"c"}}
	qTF     = &safedesk.Question{ID: "tf", Type: safedesk.QuestionTrueFalse, Options: opts("true", "false"), AnswerIDs: []string{"false"}}
	qMulti  = &safedesk.Question{ID: "multi", Type: safedesk.QuestionMultiple, Options: opts("a", "b", "c", "d", "e"), AnswerIDs: []string{"a", "c", "d"}}
	qOrder  = &safedesk.Question{ID: "order", Type: safedesk.QuestionOrdering, Options: opts("a", "b", "c", "d"), AnswerIDs: []string{"b", "a", "c", "d"}}
	qMatch  = &safedesk.Question{ID: "match", Type: safedesk.QuestionMatching, Pairs: opts("p1", "p2", "p3"), Options: opts("a", "b", "c", "d"),
		AnswerMap: map[string]string{"p1": "a", "p2": "b", "p3": "c"}}
	qShort = &safedesk.Question{ID: "short", Type: safedesk.QuestionShort, Accept: map[string][]string{
		safedesk.LangZH: {"SIM卡劫持", "换卡攻击"},
		safedesk.LangEN: {"SIM swap", "SIM hijacking"},
	}}
)

func TestGrade(t *testing.T) {
	const aon, partial = PolicyAllOrNothing, PolicyPartial
	single := func(id string) Response { return Response{Type: safedesk.QuestionSingle, Option: id} }
	list := func(typ string, ids ...string) Response { return Response{Type: typ, Options: ids} }
	pairs := func(m map[string]string) Response { return Response{Type: safedesk.QuestionMatching, Pairs: m} }
	short := func(s string) Response { return Response{Type: safedesk.QuestionShort, Text: s} }
	const m, o = safedesk.QuestionMultiple, safedesk.QuestionOrdering
	tests := []struct {
		name    string
		q       *safedesk.Question
		r       Response
		policy  string
		lang    string
		score   float64
		review  bool
		noReply bool
	}{
		{"single right", qSingle, single("c"), aon, "", 1, false, false},
		{"single wrong", qSingle, single("a"), aon, "", 0, false, false},
		{"single unknown option", qSingle, single("zz"), partial, "", 0, false, false},
		{"single empty", qSingle, Response{Type: safedesk.QuestionSingle}, aon, "", 0, false, true},
		{"single given a list", qSingle, list(m, "c"), aon, "", 0, false, true},
		{"truefalse right", qTF, Response{Type: safedesk.QuestionTrueFalse, Option: "false"}, aon, "", 1, false, false},
		{"truefalse wrong", qTF, Response{Type: safedesk.QuestionTrueFalse, Option: "true"}, aon, "", 0, false, false},
		{"truefalse shaped as single", qTF, single("false"), aon, "", 1, false, false},

		{"multiple exact", qMulti, list(m, "a", "c", "d"), aon, "", 1, false, false},
		{"multiple exact any order", qMulti, list(m, "d", "a", "c"), aon, "", 1, false, false},
		{"multiple exact partial policy", qMulti, list(m, "d", "a", "c"), partial, "", 1, false, false},
		{"multiple missing one, all or nothing", qMulti, list(m, "a", "c"), aon, "", 0, false, false},
		{"multiple missing one, partial 2/3", qMulti, list(m, "a", "c"), partial, "", 2.0 / 3, false, false},
		{"multiple one extra, partial (3-1)/3", qMulti, list(m, "a", "c", "d", "e"), partial, "", 2.0 / 3, false, false},
		{"multiple one extra, all or nothing", qMulti, list(m, "a", "c", "d", "e"), aon, "", 0, false, false},
		{"multiple every option, partial (3-2)/3", qMulti, list(m, "a", "b", "c", "d", "e"), partial, "", 1.0 / 3, false, false},
		{"multiple more wrong than right floors at 0", qMulti, list(m, "a", "b", "e"), partial, "", 0, false, false},
		{"multiple only wrong", qMulti, list(m, "b", "e"), partial, "", 0, false, false},
		{"multiple unknown id is a wrong pick", qMulti, list(m, "a", "c", "d", "zz"), partial, "", 2.0 / 3, false, false},
		{"multiple duplicate counted once", qMulti, list(m, "a", "a", "c"), partial, "", 2.0 / 3, false, false},
		{"multiple unknown policy is all or nothing", qMulti, list(m, "a", "c"), "generous", "", 0, false, false},
		{"multiple empty", qMulti, list(m), partial, "", 0, false, true},

		{"ordering exact", qOrder, list(o, "b", "a", "c", "d"), aon, "", 1, false, false},
		{"ordering one swap, all or nothing", qOrder, list(o, "a", "b", "c", "d"), aon, "", 0, false, false},
		// Key b<a<c<d has 6 pairs; a,b,c,d gets all but (b,a) right: 5/6.
		{"ordering one swap, partial 5/6", qOrder, list(o, "a", "b", "c", "d"), partial, "", 5.0 / 6, false, false},
		{"ordering reversed, partial 0", qOrder, list(o, "d", "c", "a", "b"), partial, "", 0, false, false},
		// Only b and a given, in the right order: 1 of 6 pairs.
		{"ordering partial list", qOrder, list(o, "b", "a"), partial, "", 1.0 / 6, false, false},
		{"ordering unknown id scores 0", qOrder, list(o, "b", "a", "c", "zz"), partial, "", 0, false, false},
		// Every pair right but an id repeated: part credit stops below full credit (5/6).
		{"ordering repeated id never full", qOrder, list(o, "b", "a", "c", "d", "d"), partial, "", 5.0 / 6, false, false},

		{"matching all right", qMatch, pairs(map[string]string{"p1": "a", "p2": "b", "p3": "c"}), aon, "", 1, false, false},
		{"matching two of three, all or nothing", qMatch, pairs(map[string]string{"p1": "a", "p2": "b", "p3": "d"}), aon, "", 0, false, false},
		{"matching two of three, partial", qMatch, pairs(map[string]string{"p1": "a", "p2": "b", "p3": "d"}), partial, "", 2.0 / 3, false, false},
		{"matching one given, partial", qMatch, pairs(map[string]string{"p2": "b"}), partial, "", 1.0 / 3, false, false},
		{"matching extra pair ignored", qMatch, pairs(map[string]string{"p1": "a", "p2": "b", "p3": "c", "p9": "a"}), aon, "", 1, false, false},
		{"matching empty", qMatch, pairs(nil), partial, "", 0, false, true},

		{"short exact zh", qShort, short("SIM卡劫持"), aon, safedesk.LangZH, 1, false, false},
		{"short full width, space and full stop", qShort, short("ＳＩＭ 卡劫持。"), aon, safedesk.LangZH, 1, false, false},
		{"short english answer on a chinese paper", qShort, short("sim-swap"), aon, safedesk.LangZH, 1, false, false},
		{"short chinese answer on an english paper", qShort, short("「换卡攻击」"), aon, safedesk.LangEN, 1, false, false},
		{"short case and quotes", qShort, short("“Sim Hijacking”!"), aon, safedesk.LangEN, 1, false, false},
		{"short unknown answer needs review", qShort, short("号码被盗"), aon, safedesk.LangZH, 0, true, false},
		{"short punctuation only needs review", qShort, short("？？"), aon, safedesk.LangZH, 0, true, false},
		{"short blank is unanswered", qShort, short(" \u3000\t"), aon, safedesk.LangZH, 0, false, true},
		{"short empty is unanswered", qShort, short(""), aon, safedesk.LangZH, 0, false, true},
		{"short language without answers", qShort, short("SIM swap"), aon, "fr", 1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Grade(tt.q, tt.r, tt.policy, tt.lang)
			if math.Abs(got.Score-tt.score) > 1e-12 {
				t.Errorf("score %v, want %v", got.Score, tt.score)
			}
			if got.NeedsReview != tt.review {
				t.Errorf("NeedsReview %v, want %v", got.NeedsReview, tt.review)
			}
			if got.Answered == tt.noReply {
				t.Errorf("Answered %v, want %v", got.Answered, !tt.noReply)
			}
			if got.Correct != (tt.score == 1) {
				t.Errorf("Correct %v with score %v", got.Correct, got.Score)
			}
			if got.QuestionID != tt.q.ID {
				t.Errorf("QuestionID %q, want %q", got.QuestionID, tt.q.ID)
			}
		})
	}
}

// TestGradeKey holds every question type's key, given back as a response, to full credit
// under both policies: what the trainer's pool shows is what a perfect trainee sends.
func TestGradeKey(t *testing.T) {
	for _, q := range []*safedesk.Question{qSingle, qTF, qMulti, qOrder, qMatch, qShort} {
		for _, policy := range []string{PolicyAllOrNothing, PolicyPartial} {
			for _, lang := range safedesk.Langs {
				if r := Grade(q, Key(q, lang), policy, lang); r.Score != 1 || !r.Correct {
					t.Errorf("%s %s %s: key scores %+v", q.ID, policy, lang, r)
				}
			}
		}
	}
}

func TestResultReviewed(t *testing.T) {
	r := Grade(qShort, Response{Type: safedesk.QuestionShort, Text: "号码被盗"}, "", safedesk.LangZH)
	if !r.NeedsReview {
		t.Fatal("want NeedsReview")
	}
	tests := []struct {
		give, want float64
	}{{1, 1}, {0, 0}, {0.5, 0.5}, {2, 1}, {-1, 0}, {math.NaN(), 0}}
	for _, tt := range tests {
		got := r.Reviewed(tt.give)
		if got.Score != tt.want || got.NeedsReview || got.Correct != (tt.want == 1) {
			t.Errorf("Reviewed(%v) = %+v, want score %v", tt.give, got, tt.want)
		}
	}
}

func TestScoreAttempt(t *testing.T) {
	res := func(scores ...float64) []Result {
		out := make([]Result, len(scores))
		for i, s := range scores {
			if s < 0 { // -1 marks an answer waiting for review
				out[i] = Result{NeedsReview: true, Answered: true}
				continue
			}
			out[i] = Result{Score: s, Correct: s == 1, Answered: true}
		}
		return out
	}
	tests := []struct {
		name     string
		results  []Result
		passMark int
		want     AttemptScore
	}{
		{"all right", res(1, 1, 1), 80, AttemptScore{Percent: 100, MaxPercent: 100, Passed: true, Decided: true}},
		{"none", nil, 0, AttemptScore{Decided: true}},
		// 2/3 = 66.666… rounds to 66.67.
		{"two thirds", res(1, 1, 0), 60, AttemptScore{Percent: 66.67, MaxPercent: 66.67, Passed: true, Decided: true}},
		// 1/3 = 33.333… rounds to 33.33.
		{"one third fails", res(1, 0, 0), 60, AttemptScore{Percent: 33.33, MaxPercent: 33.33, Decided: true}},
		// (1 + 0.125) / 8 = 14.0625 % rounds to 14.06.
		{"partial credit", res(1, 0.125, 0, 0, 0, 0, 0, 0), 10, AttemptScore{Percent: 14.06, MaxPercent: 14.06, Passed: true, Decided: true}},
		// 4/5 = 80 % meets a pass mark of 80 exactly.
		{"at the pass mark", res(1, 1, 1, 1, 0), 80, AttemptScore{Percent: 80, MaxPercent: 80, Passed: true, Decided: true}},
		// 79/99 = 79.797… just under.
		{"just under", append(res(make([]float64, 20)...), resOnes(79)...), 80, AttemptScore{Percent: 79.8, MaxPercent: 79.8, Decided: true}},
		// 3 of 4 right, 1 pending: 75 now, 100 if accepted; undecided at 80.
		{"pending may pass", res(1, 1, 1, -1), 80, AttemptScore{Percent: 75, MaxPercent: 100, Pending: 1}},
		// 4 of 5 right already pass; the pending answer cannot change that.
		{"pending but passed", res(1, 1, 1, 1, -1), 80, AttemptScore{Percent: 80, MaxPercent: 100, Passed: true, Pending: 1, Decided: true}},
		// 0 of 4 and 1 pending: at most 25 %, a decided fail.
		{"pending cannot pass", res(0, 0, 0, -1), 80, AttemptScore{Percent: 0, MaxPercent: 25, Pending: 1, Decided: true}},
		{"scores out of range are clamped", []Result{{Score: 3}, {Score: -2}}, 50, AttemptScore{Percent: 50, MaxPercent: 50, Passed: true, Decided: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ScoreAttempt(tt.results, tt.passMark); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func resOnes(n int) []Result {
	out := make([]Result, n)
	for i := range out {
		out[i] = Result{Score: 1, Correct: true, Answered: true}
	}
	return out
}

func TestNormalizeAnswer(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"全角ＡＢＣ", "全角abc"},
		{"ＡＢＣ１２３", "abc123"},
		{"“引号”", "引号"},
		{"‘单引号’", "单引号"},
		{"《个人信息保护法》", "个人信息保护法"},
		{"（仿冒）", "仿冒"},
		{"，。！？、；：“”‘’（）《》", ""},
		{"【重要】「提示」…", "重要提示"},
		{"  S I M  卡 ", "sim卡"},
		{"SIM\u3000卡劫持", "sim卡劫持"},
		{"SIM-swap!", "simswap"},
		{"Call 96110.", "call96110"},
		{"kefu-claim.top（仿冒）", "kefuclaimtop仿冒"},
		{"zero\u200bwidth", "zerowidth"},
		{"tab\tand\nnewline", "tabandnewline"},
		{"Straße", "strasse"},
		{"ÉCOLE", "école"},
		{"①②", "12"},
		{"ｶﾀｶﾅ", "カタカナ"},
		{"C++ & $5", "c++$5"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeAnswer(tt.in); got != tt.want {
			t.Errorf("NormalizeAnswer(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkGrade(b *testing.B) {
	cases := []struct {
		name string
		q    *safedesk.Question
		r    Response
	}{
		{"single", qSingle, Response{Type: safedesk.QuestionSingle, Option: "c"}},
		{"multiple", qMulti, Response{Type: safedesk.QuestionMultiple, Options: []string{"a", "c", "e"}}},
		{"ordering", qOrder, Response{Type: safedesk.QuestionOrdering, Options: []string{"a", "b", "c", "d"}}},
		{"matching", qMatch, Response{Type: safedesk.QuestionMatching, Pairs: map[string]string{"p1": "a", "p2": "b", "p3": "d"}}},
		{"short", qShort, Response{Type: safedesk.QuestionShort, Text: "ＳＩＭ 卡劫持。"}},
		{"short-review", qShort, Response{Type: safedesk.QuestionShort, Text: "号码被人盗走了"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Grade(c.q, c.r, PolicyPartial, safedesk.LangZH)
			}
		})
	}
}
