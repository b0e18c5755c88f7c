package risk

import (
	"reflect"
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
