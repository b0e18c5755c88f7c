package exam

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"

	"safedesk"
	"safedesk/content"
)

// defaultPack loads the built-in course once for all tests.
var defaultPack = sync.OnceValues(func() (*safedesk.Pack, error) { return content.Load(content.Default()) })

func mustPack(tb testing.TB) *safedesk.Pack {
	tb.Helper()
	p, err := defaultPack()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5afede5c)) }

// checkPaper verifies that p is a valid paper for spec: the right number of distinct
// questions per rule, each fitting its rule, and option orders that are permutations.
func checkPaper(t *testing.T, spec *safedesk.ExamSpec, bank []*safedesk.Question, p Paper) {
	t.Helper()
	byID := map[string]*safedesk.Question{}
	for _, q := range bank {
		byID[q.ID] = q
	}
	if len(p.Items) != spec.QuestionCount() {
		t.Fatalf("%d questions, want %d", len(p.Items), spec.QuestionCount())
	}
	perRule := make([]int, len(spec.Blueprint))
	seen := map[string]bool{}
	for _, it := range p.Items {
		q := byID[it.QuestionID]
		switch {
		case q == nil:
			t.Fatalf("question %q is not in the bank", it.QuestionID)
		case seen[q.ID]:
			t.Fatalf("question %q drawn twice", q.ID)
		case !content.RuleMatches(spec.Blueprint[it.Rule], q):
			t.Fatalf("question %q does not fit rule %d", q.ID, it.Rule)
		}
		seen[q.ID] = true
		perRule[it.Rule]++
		checkPermutation(t, q.ID, q.Options, it.Options)
		checkPermutation(t, q.ID, q.Pairs, it.Pairs)
	}
	for i, r := range spec.Blueprint {
		if perRule[i] != r.Count {
			t.Errorf("rule %d drew %d questions, want %d", i, perRule[i], r.Count)
		}
	}
}

func checkPermutation(t *testing.T, qid string, opts []safedesk.Option, order []string) {
	t.Helper()
	if order == nil {
		return
	}
	var want []string
	for _, o := range opts {
		want = append(want, o.ID)
	}
	got := slices.Clone(order)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: order %v is not a permutation of %v", qid, order, want)
	}
}

// TestDrawDefaultPack draws every exam of the default pack with many seeds.
func TestDrawDefaultPack(t *testing.T) {
	p := mustPack(t)
	if len(p.Exams) == 0 {
		t.Fatal("the default pack has no exams")
	}
	for _, spec := range p.Exams {
		t.Run(spec.ID, func(t *testing.T) {
			if err := CheckBlueprint(spec, p.Questions); err != nil {
				t.Fatal(err)
			}
			for seed := range uint64(50) {
				paper, err := Draw(spec, p.Questions, nil, nil, seeded(seed))
				if err != nil {
					t.Fatal(err)
				}
				checkPaper(t, spec, p.Questions, paper)
			}
		})
	}
}

func certification(tb testing.TB) *safedesk.ExamSpec {
	p := mustPack(tb)
	for _, e := range p.Exams {
		if e.ID == "certification" {
			return e
		}
	}
	tb.Fatal("no certification exam in the default pack")
	return nil
}

// TestDrawDeterministic holds Draw to the same paper for the same seed, whatever the
// order of the bank.
func TestDrawDeterministic(t *testing.T) {
	p := mustPack(t)
	spec := certification(t)
	usage := map[string]int{p.Questions[0].ID: 3, p.Questions[5].ID: 1}
	a, err := Draw(spec, p.Questions, usage, nil, seeded(42))
	if err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(p.Questions)
	slices.Reverse(reversed)
	b, err := Draw(spec, reversed, usage, nil, seeded(42))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different papers:\n%v\n%v", a.QuestionIDs(), b.QuestionIDs())
	}
	c, err := Draw(spec, p.Questions, usage, nil, seeded(43))
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 42 and 43 drew the same paper")
	}
}

// TestDrawLeastUsed: questions used least are drawn first.
func TestDrawLeastUsed(t *testing.T) {
	p := mustPack(t)
	spec := certification(t)
	t.Run("fresh questions win", func(t *testing.T) {
		usage := map[string]int{}
		var fresh []string
		for _, q := range p.Questions {
			usage[q.ID] = 5
			if q.ChapterID == "ch02" && len(fresh) < 3 {
				usage[q.ID] = 0
				fresh = append(fresh, q.ID)
			}
		}
		for seed := range uint64(20) {
			paper, err := Draw(spec, p.Questions, usage, nil, seeded(seed))
			if err != nil {
				t.Fatal(err)
			}
			ids := paper.QuestionIDs()
			for _, id := range fresh {
				if !slices.Contains(ids, id) {
					t.Fatalf("seed %d: unused question %s not drawn", seed, id)
				}
			}
		}
	})
	t.Run("usage stays level", func(t *testing.T) {
		// Papers drawn one after another, each adding to the usage, keep every chapter's
		// questions within one use of each other.
		usage := map[string]int{}
		rng := seeded(7)
		var prev []string
		for range 300 {
			paper, err := Draw(spec, p.Questions, usage, prev, rng)
			if err != nil {
				t.Fatal(err)
			}
			prev = paper.QuestionIDs()
			for _, id := range prev {
				usage[id]++
			}
		}
		lo, hi := map[string]int{}, map[string]int{}
		for _, q := range p.Questions {
			u := usage[q.ID]
			if l, ok := lo[q.ChapterID]; !ok || u < l {
				lo[q.ChapterID] = u
			}
			hi[q.ChapterID] = max(hi[q.ChapterID], u)
		}
		for ch := range lo {
			if hi[ch]-lo[ch] > 1 {
				t.Errorf("chapter %s: usage from %d to %d", ch, lo[ch], hi[ch])
			}
		}
	})
}

// tinyBank returns n questions of chapter ch1, ids q0…, easy unless listed as hard.
func tinyBank(n int, hard ...int) []*safedesk.Question {
	var bank []*safedesk.Question
	for i := range n {
		d := "easy"
		if slices.Contains(hard, i) {
			d = "hard"
		}
		bank = append(bank, &safedesk.Question{ID: "q" + string(rune('0'+i)), Type: safedesk.QuestionSingle,
			ChapterID: "ch1", Difficulty: d, Options: opts("a", "b", "c"), AnswerIDs: []string{"a"}})
	}
	return bank
}

// TestDrawNeverSamePaperTwice loops over seeds on banks where a repeat is likely.
func TestDrawNeverSamePaperTwice(t *testing.T) {
	spec := &safedesk.ExamSpec{ID: "tiny", Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch1", Count: 2}}}
	bank := tinyBank(3)
	t.Run("random ties", func(t *testing.T) {
		for seed := range uint64(500) {
			first, err := Draw(spec, bank, nil, nil, seeded(seed))
			if err != nil {
				t.Fatal(err)
			}
			second, err := Draw(spec, bank, nil, first.QuestionIDs(), seeded(seed+1e6))
			if err != nil {
				t.Fatal(err)
			}
			if sameSet(first.QuestionIDs(), second.QuestionIDs()) {
				t.Fatalf("seed %d: %v twice", seed, first.QuestionIDs())
			}
		}
	})
	t.Run("usage favours the previous paper", func(t *testing.T) {
		// q0 and q1 are unused and would be drawn; q2 must come in instead of one of them.
		usage := map[string]int{"q2": 10}
		for seed := range uint64(100) {
			p, err := Draw(spec, bank, usage, []string{"q1", "q0"}, seeded(seed))
			if err != nil {
				t.Fatal(err)
			}
			if ids := p.QuestionIDs(); !slices.Contains(ids, "q2") || len(ids) != 2 {
				t.Fatalf("seed %d: %v", seed, ids)
			}
		}
	})
	t.Run("swap prefers the rule where it costs least", func(t *testing.T) {
		spec := &safedesk.ExamSpec{Blueprint: []safedesk.BlueprintRule{{ChapterID: "ch1", Count: 2}, {ChapterID: "ch2", Count: 1}}}
		bank := append(tinyBank(3), &safedesk.Question{ID: "r0", ChapterID: "ch2"}, &safedesk.Question{ID: "r1", ChapterID: "ch2"})
		usage := map[string]int{"q2": 9, "r1": 1}
		for seed := range uint64(50) {
			p, err := Draw(spec, bank, usage, []string{"q0", "q1", "r0"}, seeded(seed))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.QuestionIDs(); !sameSet(got, []string{"q0", "q1", "r1"}) {
				t.Fatalf("seed %d: %v, want q0 q1 r1", seed, got)
			}
		}
	})
	t.Run("bank allows one paper", func(t *testing.T) {
		only := tinyBank(2)
		p, err := Draw(spec, only, nil, []string{"q0", "q1"}, seeded(1))
		if err != nil {
			t.Fatal(err)
		}
		if !sameSet(p.QuestionIDs(), []string{"q0", "q1"}) {
			t.Errorf("got %v", p.QuestionIDs())
		}
	})
	t.Run("default bank chained", func(t *testing.T) {
		p := mustPack(t)
		for _, spec := range p.Exams {
			rng := seeded(99)
			var prev []string
			for i := range 200 {
				paper, err := Draw(spec, p.Questions, nil, prev, rng)
				if err != nil {
					t.Fatal(err)
				}
				if sameSet(prev, paper.QuestionIDs()) {
					t.Fatalf("%s: draw %d repeats the previous paper", spec.ID, i)
				}
				prev = paper.QuestionIDs()
			}
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestDrawShuffleOptions(t *testing.T) {
	p := mustPack(t)
	spec := *certification(t)
	byID := map[string]*safedesk.Question{}
	for _, q := range p.Questions {
		byID[q.ID] = q
	}
	moved := 0
	for seed := range uint64(30) {
		spec.ShuffleOptions = true
		paper, err := Draw(&spec, p.Questions, nil, nil, seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range paper.Items {
			q := byID[it.QuestionID]
			switch q.Type {
			case safedesk.QuestionTrueFalse, safedesk.QuestionShort:
				if it.Options != nil || it.Pairs != nil {
					t.Errorf("%s (%s) has a shuffled order", q.ID, q.Type)
				}
				continue
			case safedesk.QuestionOrdering:
				if slices.Equal(it.Options, q.AnswerIDs) {
					t.Errorf("seed %d: ordering question %s shown in its key's order", seed, q.ID)
				}
			case safedesk.QuestionMatching:
				if it.Pairs == nil {
					t.Errorf("%s: pairs not shuffled", q.ID)
				}
			}
			if it.Options == nil {
				t.Fatalf("%s (%s): options not shuffled", q.ID, q.Type)
			}
			if !slices.Equal(ids(it.ArrangeOptions(q)), it.Options) {
				t.Errorf("%s: ArrangeOptions disagrees with %v", q.ID, it.Options)
			}
			if !slices.Equal(ids(q.Options), it.Options) {
				moved++
			}
		}
		spec.ShuffleOptions = false
		plain, err := Draw(&spec, p.Questions, nil, nil, seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range plain.Items {
			if it.Options != nil || it.Pairs != nil {
				t.Fatalf("%s shuffled without ShuffleOptions", it.QuestionID)
			}
		}
	}
	if moved == 0 {
		t.Error("no option order ever changed")
	}
}

func ids(o []safedesk.Option) []string {
	var out []string
	for _, x := range o {
		out = append(out, x.ID)
	}
	return out
}

func TestArrange(t *testing.T) {
	q := &safedesk.Question{Options: opts("a", "b", "c", "d"), Pairs: opts("p1", "p2")}
	tests := []struct {
		order []string
		want  []string
	}{
		{nil, []string{"a", "b", "c", "d"}},
		{[]string{"c", "a", "d", "b"}, []string{"c", "a", "d", "b"}},
		{[]string{"d", "gone", "b"}, []string{"d", "b", "a", "c"}}, // stale order after an edit
		{[]string{"b", "b"}, []string{"b", "a", "c", "d"}},
	}
	for _, tt := range tests {
		if got := ids(PaperItem{Options: tt.order}.ArrangeOptions(q)); !slices.Equal(got, tt.want) {
			t.Errorf("ArrangeOptions(%v) = %v, want %v", tt.order, got, tt.want)
		}
	}
	if got := ids(PaperItem{Pairs: []string{"p2"}}.ArrangePairs(q)); !slices.Equal(got, []string{"p2", "p1"}) {
		t.Errorf("ArrangePairs = %v", got)
	}
}

// BenchmarkDraw draws the certification paper (30 questions) from the default bank
// (~190 questions), the work of one exam start.
func BenchmarkDraw(b *testing.B) {
	p := mustPack(b)
	spec := certification(b)
	usage := map[string]int{}
	for i, q := range p.Questions {
		usage[q.ID] = i % 7
	}
	rng := seeded(1)
	var prev []string
	b.ReportAllocs()
	for b.Loop() {
		paper, err := Draw(spec, p.Questions, usage, prev, rng)
		if err != nil {
			b.Fatal(err)
		}
		prev = paper.QuestionIDs()
	}
}
