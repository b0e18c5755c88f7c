package drill

import (
	"testing"
)

// BenchmarkReply measures one reply: the risk check, folding, intent matching, the rubric,
// the transition and the rescoring, on a fresh run of the test scenario each time.
func BenchmarkReply(b *testing.B) {
	e := newTestEngine(b)
	s := loadTestScenario(b)
	replies := []struct{ name, lang, text string }{
		{"zh-refusal", "zh-CN", "抱歉，买家的联系方式不能提供哦。请买家本人登录账号在订单页面联系我们，这次询问我也会上报主管。"},
		{"zh-negated", "zh-CN", "我不能告诉你她的电话是多少，也不会加你微信"},
		{"zh-leak", "zh-CN", "好的，她的电话是 138 0013 8000，地址是上海市静安区南京西路1266号"},
		{"en-refusal", "en", "Sorry, I can't share the buyer's contact details. Please ask her to contact us from the order page of her own account; I'll escalate this to my supervisor."},
		{"en-leak", "en", "Sure, her number is 138 0013 8000 and her email is zhang.san@example.com"},
	}
	for _, r := range replies {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(int64(len(r.text)))
			b.ReportAllocs()
			for b.Loop() {
				run, _ := Start(s, r.lang)
				if _, err := e.Reply(run, s, r.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplyLong measures a reply of the maximum length.
func BenchmarkReplyLong(b *testing.B) {
	e := newTestEngine(b)
	s := loadTestScenario(b)
	text := ""
	for len([]rune(text)) < DefaultMaxReplyRunes-60 {
		text += "抱歉，这个不能提供。Sorry, I can't share that; please use the order page. "
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		run, _ := Start(s, "zh-CN")
		if _, err := e.Reply(run, s, text); err != nil {
			b.Fatal(err)
		}
	}
}
