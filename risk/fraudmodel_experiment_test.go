package risk

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// The fraud model experiment asks whether a statistical reading of scam wording adds to
// the cue rules on text they were not written for. Each of batches 30-38 that holds
// fraud labels is held out in turn; a model per fraud type is trained on the corpus
// lines before it with the calm and everyday samples, and its findings, behind the
// engine's gate (fraudModelGate, fraudModelMay), are added to the rules' first reading
// of the batch: the engine of the commit before the batch's round, whose fraud types per
// line are testdata/fraud_first.jsonl. It prints precision, recall and F1 over all fraud
// types pooled, per threshold (docs/risk-engine.md, "A statistical fraud model"):
//
//	go test ./risk -run TestFraudModelExperiment -v -fraudexp
var fraudExp = flag.Bool("fraudexp", false, "run the fraud model experiment (TestFraudModelExperiment)")

func TestFraudModelExperiment(t *testing.T) {
	if !*fraudExp {
		t.Skip("run with -fraudexp")
	}
	e := newTestEngine(t)
	corpus := readCorpus(t, corpusFile)
	ex := fraudExamples(t, corpus)
	negs := fraudExamples(t, append(readCorpus(t, calmFile), readCorpus(t, everydayFile)...))
	// may[i][ti]: the engine's gate lets the model report type ti in corpus line i.
	may := make([][len(fraudTypes)]bool, len(corpus))
	for i, l := range corpus {
		var sc scratch
		e.check(&sc, l.Role, l.Text)
		j := &fraudJudge{sc: &sc, c: &sc.cueSet}
		for ti := range fraudTypes {
			may[i][ti] = fraudModelGate(j.c) && j.fraudModelMay(ti)
		}
	}
	raw, err := os.ReadFile("testdata/fraud_first.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	first := map[int]map[Type]bool{} // corpus line: the rules' first types
	var order []int                  // batches, in file order
	lines := map[int][]int{}
	for _, s := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var d struct {
			Batch, Line int
			First       []Type
		}
		if err := json.Unmarshal([]byte(s), &d); err != nil {
			t.Fatal(err)
		}
		if lines[d.Batch] == nil {
			order = append(order, d.Batch)
		}
		lines[d.Batch] = append(lines[d.Batch], d.Line)
		first[d.Line] = map[Type]bool{}
		for _, ty := range d.First {
			first[d.Line][ty] = true
		}
	}
	thresholds := []float64{0.9, 0.95, 0.97, 0.99}
	var rules counts
	with := make([]counts, len(thresholds))
	for _, b := range order {
		ls := lines[b]
		train := append(append([]fraudExample{}, ex[:ls[0]]...), negs...)
		m := newFraudModel(trainFraud(train))
		var br counts
		bw := make([]counts, len(thresholds))
		for _, i := range ls {
			for ti, ty := range fraudTypes {
				label, got := ex[i].types[ti], first[i][ty]
				br.record(label, got)
				var sum int64
				for _, f := range ex[i].feats {
					sum += int64(m.w[ti][f])
				}
				p := 1 / (1 + math.Exp(-float64(sum)*m.scale))
				for k, thr := range thresholds {
					bw[k].record(label, got || may[i][ti] && p >= thr)
				}
			}
		}
		line := fmt.Sprintf("batch %d: rules %s", b, prfString(br))
		for k, thr := range thresholds {
			line += fmt.Sprintf(" | %.2f: %s", thr, prfString(bw[k]))
			with[k].add(bw[k])
		}
		t.Log(line)
		rules.add(br)
	}
	t.Logf("all: rules first %s (P / R / F1)", prfString(rules))
	for k, thr := range thresholds {
		t.Logf("all: rules first or model at %.2f: %s", thr, prfString(with[k]))
	}
}
