package risk

import (
	"fmt"
	"strings"
	"testing"
)

// TestToneConfirm is the pre-registered confirmation of the tone model on fresh text
// (docs/risk-engine.md, "The tone model, confirmed on fresh text"). Its design was fixed
// before batch 19 and the second calm sample were scored: the experiment's features and
// training, trained on the whole corpus (batches 1-18) and the calm sample, no gate, and
// anger when the rules say anger or the model's probability is at least 0.80. It is run
// once, and its figures are judged by the decision rule written beside it:
//
//	go test ./risk -run TestToneConfirm -v -tone
//
// (a) batch-19 anger F1 rises by at least 0.08 over the rules, with precision ≥ 0.85;
// (b) the shipping engine calls at most 1.0 % of the second calm sample angry; (c) no
// counter-example of TestEmotion turns angry; (d) the corpus targets still hold.
func TestToneConfirm(t *testing.T) {
	if !*toneExperiment {
		t.Skip("run with -tone")
	}
	const threshold = 0.80
	// Batch 19 and the second calm sample were scored from files of their own, then
	// appended to the corpus and the calm sample: the run is repeated on those lines,
	// with the model trained on the lines before them.
	const corpusBefore, calmBefore = 1840, 849

	e := newRulesEngine(t) // the rules alone, as the engine was when the run was fixed
	all, calmAll := readCorpus(t, corpusFile), readCorpus(t, calmFile)
	corpus, batch19 := all[:corpusBefore], all[corpusBefore:]
	calm2 := calmAll[calmBefore:]
	train := append(toneExamples(t, corpus), toneExamples(t, calmAll[:calmBefore])...)
	w := trainTone(train)

	// judge runs the rules and the model on msgs and tallies anger both ways: the
	// rules alone, and the rules ORed with the model.
	judge := func(name string, msgs []labelled) (rules, both counts, added []string) {
		ex := toneExamples(t, msgs)
		for i, l := range msgs {
			r := e.Check(l.Role, l.Text).Emotion.Label == EmotionAnger
			m := toneProb(w, &ex[i]) >= threshold
			want := l.Emotion == EmotionAnger
			rules.record(want, r)
			both.record(want, r || m)
			if m && !r {
				mark := "right"
				if !want {
					mark = "WRONG"
				}
				added = append(added, fmt.Sprintf("%s, model adds anger (%s): %q", name, mark, l.Text))
			}
		}
		return
	}
	var sb strings.Builder
	report := func(name string, msgs []labelled) (counts, counts) {
		rules, both, added := judge(name, msgs)
		_, _, fr := rules.prf()
		_, _, fb := both.prf()
		fmt.Fprintf(&sb, "%-10s rules %s | rules OR model %s | F1 %+.3f | called angry: rules %d, with model %d of %d (%.2f%%)\n",
			name, prfString(rules), prfString(both), fb-fr, rules.tp+rules.fp, both.tp+both.fp, len(msgs), pct(both.tp+both.fp, len(msgs)))
		for _, a := range added {
			fmt.Fprintln(&sb, "   ", a)
		}
		return rules, both
	}

	rules19, both19 := report("batch 19", batch19)
	_, calmBoth := report("calm2", calm2)
	report("everyday", readCorpus(t, everydayFile))
	var cases []labelled
	for _, c := range emotionCases {
		cases = append(cases, labelled{Role: RoleCustomer, Text: c.text, Emotion: c.want})
	}
	_, caseBoth := report("TestEmotion", cases)
	_, corpusBoth := report("corpus", corpus)
	t.Log("\n" + sb.String())

	_, _, fr := rules19.prf()
	p, _, fb := both19.prf()
	_, _, fc := corpusBoth.prf()
	calmRate := pct(calmBoth.tp+calmBoth.fp, len(calm2))
	a := fb-fr >= 0.08 && p >= 0.85
	b := calmRate <= 1.0
	c := caseBoth.fp == 0
	d := fc >= 0.85 // the other targets are untouched: the model speaks only of anger
	t.Logf("decision: (a) %v (F1 %.3f -> %.3f, %+.3f, precision %.3f); (b) %v (%.2f%%); (c) %v (%d broken); (d) %v (corpus anger F1 %.3f); ship: %v",
		a, fr, fb, fb-fr, p, b, calmRate, c, caseBoth.fp, d, fc, a && b && c && d)
}
