package risk

import (
	"bytes"
	"flag"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// toneWeightsFile names the file TestWriteToneWeights writes the weights to:
//
//	go test ./risk -run TestWriteToneWeights -tone-weights data/tone.bin
var toneWeightsFile = flag.String("tone-weights", "", "write the tone model's weights to this file (TestWriteToneWeights)")

// shippedTone trains the weights of data/tone.bin: the experiment's features and
// training on the whole corpus and the whole calm sample, in that order, as the
// confirmation on fresh text fixed the design (docs/risk-engine.md).
func shippedTone(t testing.TB) toneWeights {
	ex := toneExamples(t, readCorpus(t, corpusFile))
	return trainTone(append(ex, toneExamples(t, readCorpus(t, calmFile))...))
}

// newRulesEngine is the engine with the tone model off: the lexicon alone reads anger.
func newRulesEngine(t testing.TB) *Engine {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Tone = nil
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestWriteToneWeights(t *testing.T) {
	if *toneWeightsFile == "" {
		t.Skip("no -tone-weights file")
	}
	if err := os.WriteFile(*toneWeightsFile, encodeTone(shippedTone(t)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestToneWeightsReproduce checks that the embedded weights are what the generator
// makes of the committed data. Training is deterministic; where the compiler may fuse
// multiplications and additions (not on amd64) the last bits can differ, and there the
// weights must instead give every corpus and calm message the same label.
func TestToneWeightsReproduce(t *testing.T) {
	embedded := DefaultConfig().Tone
	w := shippedTone(t)
	if bytes.Equal(encodeTone(w), embedded) {
		return
	}
	if runtime.GOARCH == "amd64" {
		t.Fatal("data/tone.bin is not what TestWriteToneWeights makes of the corpus and the calm sample; regenerate it")
	}
	em, err := parseTone(embedded)
	if err != nil {
		t.Fatal(err)
	}
	m := newToneModel(w)
	var nt normText
	for _, f := range []string{corpusFile, calmFile} {
		for _, l := range readCorpus(t, f) {
			nt.normalize(l.Text)
			if (toneLogit(m, &nt) >= m.cut) != (toneLogit(em, &nt) >= em.cut) {
				t.Errorf("regenerated weights label %q differently", l.Text)
			}
		}
	}
}

// TestToneLogitMatchesFeatures checks that the engine's one-pass scorer adds up exactly
// the features the weights were trained on, and that its 16-bit weights give every
// message of the labelled sets the label the trained weights give it, their logits
// within 0.005 of each other.
func TestToneLogitMatchesFeatures(t *testing.T) {
	w, err := decodeTone(DefaultConfig().Tone)
	if err != nil {
		t.Fatal(err)
	}
	m := newToneModel(w)
	var nt normText
	texts := []string{"", "a", "'", "I'm OK!!", "你好", "退款?? 退款呢??", "x\ny 中\n文 ab12cd", "\xff\xfe坏字节", "😡😡 WHY"}
	for _, f := range []string{corpusFile, calmFile, everydayFile} {
		for _, l := range readCorpus(t, f) {
			texts = append(texts, l.Text)
		}
	}
	for _, s := range texts {
		nt.normalize(s)
		feats := appendToneFeatures(&nt, nil)
		var want int64
		for _, f := range feats {
			want += int64(m.w[f])
		}
		got := toneLogit(m, &nt)
		if got != want {
			t.Errorf("%q: toneLogit %v, features %v", s, got, want)
		}
		trained := featsLogit(w, feats)
		if (got >= m.cut) != (trained >= toneCut) || math.Abs(float64(got)*m.scale-float64(trained)) > 0.005 {
			t.Errorf("%q: logit %v with 16-bit weights, %v as trained", s, float64(got)*m.scale, trained)
		}
	}
}

// TestToneModelInEngine checks what the tone model adds to a result: anger with the
// model's rule and reason, the JSON shape unchanged, and a configuration directory that
// can replace the weights or turn the model off.
func TestToneModelInEngine(t *testing.T) {
	const text = "我跟你讲，这事没完" // cold anger with no word of the lexicon
	if got := newRulesEngine(t).Check(RoleCustomer, text).Emotion; got.Label == EmotionAnger {
		t.Fatalf("the rules alone call %q angry; pick a line they miss", text)
	}
	r := newTestEngine(t).Check(RoleCustomer, text)
	if r.Emotion.Label != EmotionAnger || r.Emotion.Rule != toneRule || r.Emotion.Score < toneThreshold {
		t.Fatalf("emotion = %+v, want anger from %s", r.Emotion, toneRule)
	}
	if why, ok := Explain(toneRule); !ok || why.ZH == "" || why.EN == "" {
		t.Errorf("%s has no reason", toneRule)
	}
	js := string(r.AppendJSON(nil))
	if !strings.Contains(js, `"emotion":{"label":"anger","score":`) || strings.Contains(js, toneRule) {
		t.Errorf("JSON = %s, want the contract's emotion object", js)
	}
	if got := newTestEngine(t).Check(RoleCustomer, "你们这是什么破服务，气死我了！").Emotion; got.Rule != "" {
		t.Errorf("anger the rules read carries rule %q", got.Rule)
	}

	off, err := LoadConfig(fstest.MapFS{FileTone: {Data: []byte{}}})
	if err != nil {
		t.Fatal(err)
	}
	if e, err := New(off); err != nil || e.Check(RoleCustomer, text).Emotion.Label == EmotionAnger {
		t.Errorf("an empty %s should turn the model off (err %v)", FileTone, err)
	}
	bad, err := LoadConfig(fstest.MapFS{FileTone: {Data: []byte("sdtone01 short")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(bad); err == nil {
		t.Errorf("a malformed %s should fail New", FileTone)
	}
}

// BenchmarkToneLogit measures the tone model's walk over a normalised message: what it
// adds to a message the rules do not call angry.
func BenchmarkToneLogit(b *testing.B) {
	w, err := parseTone(DefaultConfig().Tone)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range chatMessages[:3] {
		var nt normText
		nt.normalize(m.text)
		b.Run(firstRunes(m.text, 12), func(b *testing.B) {
			b.SetBytes(int64(len(m.text)))
			b.ReportAllocs()
			var sink int64
			for b.Loop() {
				sink += toneLogit(w, &nt)
			}
			_ = sink
		})
	}
}

// BenchmarkToneCost sets the engine beside itself with the tone model off, on the
// throughput sets: what the model costs end to end. With -count, the two alternate.
func BenchmarkToneCost(b *testing.B) {
	engines := []struct {
		name string
		e    *Engine
	}{{"lexicon", newRulesEngine(b)}, {"lexicon+tone", newTestEngine(b)}}
	for _, set := range []string{"chat", "corpus"} {
		msgs := benchTexts(b)[set]
		for _, en := range engines {
			b.Run(set+"/"+en.name, func(b *testing.B) {
				b.SetBytes(textBytes(msgs))
				for b.Loop() {
					for _, l := range msgs {
						en.e.Check(l.Role, l.Text)
					}
				}
			})
		}
	}
}
