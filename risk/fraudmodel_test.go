package risk

import (
	"bytes"
	"flag"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// fraudWeightsFile names where TestWriteFraudWeights writes the fraud model's weights:
//
//	go test ./risk -run TestWriteFraudWeights -fraud-weights data/fraud.bin
var fraudWeightsFile = flag.String("fraud-weights", "", "write the fraud model's weights to this file (TestWriteFraudWeights)")

// fraudExample is one message as the fraud model sees it.
type fraudExample struct {
	feats []uint32
	types [len(fraudTypes)]bool
}

func fraudExamples(t testing.TB, msgs []labelled) []fraudExample {
	ex := make([]fraudExample, len(msgs))
	var nt normText
	for i, l := range msgs {
		nt.normalize(l.Text)
		ex[i].feats = appendToneFeatures(&nt, nil)
		for _, ty := range l.Types {
			for ti, ft := range fraudTypes {
				if ty == ft {
					ex[i].types[ti] = true
				}
			}
		}
	}
	return ex
}

// trainFraud fits one logistic regression per fraud type as the tone model's is fitted
// (fitLogistic), the type's messages weighing twice.
func trainFraud(ex []fraudExample) fraudWeights {
	out := new([len(fraudTypes)][1 << toneBits]float32)
	for ti := range fraudTypes {
		w := fitLogistic(len(ex), func(i int) []uint32 { return ex[i].feats }, func(i int) bool { return ex[i].types[ti] })
		for i, x := range w {
			out[ti][i] = float32(x)
		}
	}
	return out
}

// shippedFraud trains the weights of data/fraud.bin on the whole corpus, the calm
// sample and the everyday messages, in that order.
func shippedFraud(t testing.TB) fraudWeights {
	var msgs []labelled
	for _, f := range []string{corpusFile, calmFile, everydayFile} {
		msgs = append(msgs, readCorpus(t, f)...)
	}
	return trainFraud(fraudExamples(t, msgs))
}

func TestWriteFraudWeights(t *testing.T) {
	if *fraudWeightsFile == "" {
		t.Skip("no -fraud-weights file")
	}
	if err := os.WriteFile(*fraudWeightsFile, encodeFraudWeights(shippedFraud(t)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFraudWeightsReproduce checks that the embedded weights are what the generator
// makes of the committed data, as TestToneWeightsReproduce does for the tone model.
func TestFraudWeightsReproduce(t *testing.T) {
	embedded := DefaultConfig().Fraud
	w := shippedFraud(t)
	if bytes.Equal(encodeFraudWeights(w), embedded) {
		return
	}
	if runtime.GOARCH == "amd64" {
		t.Fatal("data/fraud.bin is not what TestWriteFraudWeights makes of the corpus, the calm sample and the everyday messages; regenerate it")
	}
	em, err := parseFraudModel(embedded)
	if err != nil {
		t.Fatal(err)
	}
	m := newFraudModel(w)
	var nt normText
	for _, f := range []string{corpusFile, calmFile, everydayFile} {
		for _, l := range readCorpus(t, f) {
			nt.normalize(l.Text)
			feats := appendToneFeatures(&nt, nil)
			for ti := range fraudTypes {
				var a, b int64
				for _, x := range feats {
					a, b = a+int64(m.w[ti][x]), b+int64(em.w[ti][x])
				}
				if (a >= m.cut) != (b >= em.cut) {
					t.Errorf("regenerated weights read %q differently for %s", l.Text, fraudTypes[ti])
				}
			}
		}
	}
}

// TestFraudWeightsFile checks the file format: a round trip, and clear errors for a
// file of the wrong size or version and for weights that are not numbers.
func TestFraudWeightsFile(t *testing.T) {
	w := shippedFraud(t)
	b := encodeFraudWeights(w)
	back, err := decodeFraudWeights(b)
	if err != nil || !bytes.Equal(encodeFraudWeights(back), b) {
		t.Fatalf("round trip: %v", err)
	}
	for name, bad := range map[string][]byte{
		"short": b[:len(b)-1],
		"magic": append([]byte("sdfraud0"), b[len(fraudMagic):]...),
		"not a number": func() []byte {
			c := bytes.Clone(b)
			copy(c[len(fraudMagic)+8:], []byte{0, 0, 0xc0, 0x7f}) // a NaN
			return c
		}(),
	} {
		if _, err := parseFraudModel(bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	cfg := DefaultConfig()
	cfg.Fraud = b[:10]
	if _, err := New(cfg); err == nil {
		t.Error("New took a broken fraud.bin")
	}
}

// TestFraudModelInEngine checks what the fraud model adds to a result: a type the rules
// miss, with its own rule id and reason and the span of a cue of that type; nothing in
// a message the rules read as advice; and nothing at all with the model off (an empty
// fraud.bin in a configuration directory).
func TestFraudModelInEngine(t *testing.T) {
	e := newTestEngine(t)
	const scam = "Earn $50 a day liking Shein products, small top-up required to start"
	r := e.Check(RoleCustomer, scam)
	var found *Finding
	for i := range r.Findings {
		if r.Findings[i].Type == FraudBrushing {
			found = &r.Findings[i]
		}
	}
	if found == nil || found.Rule != "fraud.brushing.model" || found.Score < fraudThreshold || found.Reason.EN == "" {
		t.Fatalf("%q: %+v, want brushing from the model", scam, r.Findings)
	}
	if found.Text != scam[found.Start:found.End] || found.Text == "" {
		t.Errorf("span %d-%d %q", found.Start, found.End, found.Text)
	}
	for _, advice := range []string{
		"提醒：任何要求屏幕共享、下载会议软件的“客服”都是骗子",
		"亲，本店不会私下加微信交易，优惠都在店铺页面领取哦",
	} {
		for _, f := range e.Check(RoleAgent, advice).Findings {
			if strings.HasSuffix(f.Rule, ".model") {
				t.Errorf("%q: %s from the model", advice, f.Type)
			}
		}
	}
	cfg, err := LoadConfig(fstest.MapFS{FileFraud: &fstest.MapFile{}})
	if err != nil {
		t.Fatal(err)
	}
	off, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := off.Check(RoleCustomer, scam); len(r.Findings) != 0 {
		t.Errorf("model off: %+v", r.Findings)
	}
}

// BenchmarkFraudModelCost sets a Checker beside itself with the fraud model off, on the
// chat and corpus sets:
//
//	go test ./risk -run '^$' -bench BenchmarkFraudModelCost -count 3
func BenchmarkFraudModelCost(b *testing.B) {
	off := DefaultConfig()
	off.Fraud = nil
	rules, err := New(off)
	if err != nil {
		b.Fatal(err)
	}
	engines := []struct {
		name string
		e    *Engine
	}{{"rules", rules}, {"rules+model", newTestEngine(b)}}
	for _, set := range []string{"chat", "corpus"} {
		msgs := benchTexts(b)[set]
		for _, en := range engines {
			b.Run(set+"/"+en.name, func(b *testing.B) {
				c := en.e.NewChecker()
				b.SetBytes(textBytes(msgs))
				for b.Loop() {
					for _, l := range msgs {
						c.Check(l.Role, l.Text)
					}
				}
			})
		}
	}
}
