package risk

import (
	"encoding/json"
	"reflect"
	"sync"
	"testing"
)

// TestCheckerMatchesCheck holds a Checker, which reuses the array of its results'
// findings, to Engine.Check over the corpus and everyday chat, each result compared
// before the next Check.
func TestCheckerMatchesCheck(t *testing.T) {
	e := newTestEngine(t)
	c := e.NewChecker()
	msgs := append(readCorpus(t, corpusFile), readCorpus(t, everydayFile)...)
	for round := range 2 { // the second round on arrays grown by the first
		for _, l := range msgs {
			got, want := c.Check(l.Role, l.Text), e.Check(l.Role, l.Text)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %q:\n got %+v\nwant %+v", round, l.Text, got, want)
			}
		}
	}
}

// BenchmarkChecker is BenchmarkThroughput through a Checker, as the scan command checks:
// its allocations per message are those of the messages with personal data to mask.
func BenchmarkChecker(b *testing.B) {
	e := newTestEngine(b)
	for _, name := range []string{"chat", "corpus"} {
		msgs := benchTexts(b)[name]
		b.Run(name, func(b *testing.B) {
			c := e.NewChecker()
			b.SetBytes(textBytes(msgs))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range msgs {
					c.Check(l.Role, l.Text)
				}
			}
		})
	}
}

// TestAppendCheckMatchesCheck holds AppendCheck, from several goroutines at once so that
// their pooled working memory is shared around, to Engine.Check encoded by encoding/json.
func TestAppendCheckMatchesCheck(t *testing.T) {
	e := newTestEngine(t)
	msgs := append(readCorpus(t, corpusFile), readCorpus(t, everydayFile)...)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var buf []byte
			for i := range msgs {
				l := msgs[(i+g*97)%len(msgs)]
				buf = e.AppendCheck(buf[:0], l.Role, l.Text)
				want, _ := json.Marshal(e.Check(l.Role, l.Text))
				if string(buf) != string(want) {
					t.Errorf("%q:\n got %s\nwant %s", l.Text, buf, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkAppendCheck is one live check as the API answers it, engine and encoding,
// on each typical chat message.
func BenchmarkAppendCheck(b *testing.B) {
	e := newTestEngine(b)
	for _, m := range chatMessages {
		b.Run(firstRunes(m.text, 12), func(b *testing.B) {
			var buf []byte
			b.SetBytes(int64(len(m.text)))
			b.ReportAllocs()
			for b.Loop() {
				buf = e.AppendCheck(buf[:0], m.role, m.text)
			}
		})
	}
}
