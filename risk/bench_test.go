package risk

import (
	"flag"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// chatMessages are typical short chat messages, clean and risky, zh-CN and en.
var chatMessages = []struct {
	role Role
	text string
}{
	{RoleCustomer, "亲，请问这款有现货吗？今天下单什么时候发货"},
	{RoleAgent, "您好，已为您备注优先发货，请耐心等待哦"},
	{RoleCustomer, "Hi, is this available in blue? I need it by Friday."},
	{RoleCustomer, "亲，加我微信 wx123456 私下转账更便宜"},
	{RoleAgent, "好的，买家手机号是 139 1234 5678，地址您记一下"},
	{RoleCustomer, "您的订单需要理赔，请点击 http://taobao-refund.top/claim 领取三倍赔偿"},
	{RoleCustomer, "你们这是什么破服务，气死我了！等了半个月还没发货"},
	{RoleCustomer, "Please send me the verification code you just received"},
}

// BenchmarkCheck measures one call of Check on each typical chat message.
func BenchmarkCheck(b *testing.B) {
	e := newTestEngine(b)
	for _, m := range chatMessages {
		b.Run(firstRunes(m.text, 12), func(b *testing.B) {
			b.SetBytes(int64(len(m.text)))
			b.ReportAllocs()
			for b.Loop() {
				e.Check(m.role, m.text)
			}
		})
	}
}

// benchTexts are the message sets the throughput benchmarks run on: "corpus" is the
// labelled corpus (hard cases, nearly half with findings); "chat" is the realistic mix
// of the scan measurement, four everyday messages (testdata/everyday.jsonl) to one of the
// corpus, drawn with a fixed seed.
func benchTexts(tb testing.TB) map[string][]labelled {
	corpus := readCorpus(tb, corpusFile)
	everyday := readCorpus(tb, everydayFile)
	rng := rand.New(rand.NewPCG(1, 2026))
	chat := make([]labelled, 5000)
	for i := range chat {
		if rng.Float64() < 0.8 {
			chat[i] = everyday[rng.IntN(len(everyday))]
		} else {
			chat[i] = corpus[rng.IntN(len(corpus))]
		}
	}
	return map[string][]labelled{"corpus": corpus, "chat": chat}
}

func textBytes(ls []labelled) int64 {
	n := 0
	for _, l := range ls {
		n += len(l.Text)
	}
	return int64(n)
}

// BenchmarkThroughput checks every message of a set per iteration and reports the text
// throughput in MB/s.
func BenchmarkThroughput(b *testing.B) {
	e := newTestEngine(b)
	for _, name := range []string{"chat", "corpus"} {
		msgs := benchTexts(b)[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(textBytes(msgs))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range msgs {
					e.Check(l.Role, l.Text)
				}
			}
		})
	}
}

// BenchmarkThroughputParallel is BenchmarkThroughput on every core.
func BenchmarkThroughputParallel(b *testing.B) {
	e := newTestEngine(b)
	for _, name := range []string{"chat", "corpus"} {
		msgs := benchTexts(b)[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(textBytes(msgs))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					for _, l := range msgs {
						e.Check(l.Role, l.Text)
					}
				}
			})
		})
	}
}

// BenchmarkNormalize measures the normaliser alone.
func BenchmarkNormalize(b *testing.B) {
	for _, name := range []string{"chat", "corpus"} {
		msgs := benchTexts(b)[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(textBytes(msgs))
			var nt normText
			for b.Loop() {
				for _, l := range msgs {
					nt.normalize(l.Text)
				}
			}
		})
	}
}

// BenchmarkMatcher measures the lexicon automaton alone on the normalised texts.
func BenchmarkMatcher(b *testing.B) {
	e := newTestEngine(b)
	for _, name := range []string{"chat", "corpus"} {
		var texts [][]byte
		n := 0
		for _, l := range benchTexts(b)[name] {
			texts = append(texts, []byte(normalizeString(l.Text)))
			n += len(texts[len(texts)-1])
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(n))
			var raw []rawMatch
			for b.Loop() {
				for _, t := range texts {
					raw = e.lex.m.scan(t, raw[:0])
				}
			}
		})
	}
}

// BenchmarkAppendJSON measures encoding a result with findings.
func BenchmarkAppendJSON(b *testing.B) {
	e := newTestEngine(b)
	r := e.Check(RoleCustomer, chatMessages[5].text)
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendJSON(buf[:0])
	}
}

// BenchmarkNew measures building an engine from the embedded configuration.
func BenchmarkNew(b *testing.B) {
	cfg := DefaultConfig()
	for b.Loop() {
		if _, err := New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

var keywordsPath = flag.String("keywords", "", "TestWriteKeywords writes the lexicon's phrases to this `file`")

// TestWriteKeywords writes the engine's own lexicon phrases, one a line, when -keywords
// names a file: the keyword list that the scan measurement gives ripgrep.
//
//	go test ./risk -run TestWriteKeywords -keywords /tmp/keywords.txt
func TestWriteKeywords(t *testing.T) {
	if *keywordsPath == "" {
		t.Skip("no -keywords file")
	}
	var sb strings.Builder
	for _, e := range newTestEngine(t).lex.entries {
		sb.WriteString(e.text)
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(*keywordsPath, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
