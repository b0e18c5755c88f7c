package risk

import (
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

// BenchmarkThroughput checks every message of the labelled corpus per iteration and
// reports the text throughput in MB/s.
func BenchmarkThroughput(b *testing.B) {
	e := newTestEngine(b)
	corpus := readCorpus(b, corpusFile)
	n := 0
	for _, l := range corpus {
		n += len(l.Text)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range corpus {
			e.Check(l.Role, l.Text)
		}
	}
}

// BenchmarkThroughputParallel is BenchmarkThroughput on every core.
func BenchmarkThroughputParallel(b *testing.B) {
	e := newTestEngine(b)
	corpus := readCorpus(b, corpusFile)
	n := 0
	for _, l := range corpus {
		n += len(l.Text)
	}
	b.SetBytes(int64(n))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			for _, l := range corpus {
				e.Check(l.Role, l.Text)
			}
		}
	})
}

// BenchmarkNormalize measures the normaliser alone on the corpus texts.
func BenchmarkNormalize(b *testing.B) {
	corpus := readCorpus(b, corpusFile)
	n := 0
	for _, l := range corpus {
		n += len(l.Text)
	}
	b.SetBytes(int64(n))
	var nt normText
	for b.Loop() {
		for _, l := range corpus {
			nt.normalize(l.Text)
		}
	}
}

// BenchmarkMatcher measures the lexicon automaton alone on the normalised corpus texts.
func BenchmarkMatcher(b *testing.B) {
	e := newTestEngine(b)
	var texts [][]byte
	n := 0
	for _, l := range readCorpus(b, corpusFile) {
		texts = append(texts, []byte(normalizeString(l.Text)))
		n += len(texts[len(texts)-1])
	}
	b.SetBytes(int64(n))
	var raw []rawMatch
	for b.Loop() {
		for _, t := range texts {
			raw = e.lex.m.scan(t, raw[:0])
		}
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
