package risk

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	e, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"付到我个人账户，开发票麻烦", "扫这个二维码付款，平台手续费太贵", "Send the money to my PayPal, friends and family please",
		"没问题，按您说的来", "不急，下周到也行", "请在订单页面申请退款，我们会尽快处理",
	} {
		sc := new(scratch)
		r := e.check(sc, RoleCustomer, s)
		fmt.Println(s, r.Findings, r.Emotion)
		for _, t := range sc.cueSet.toks {
			fmt.Printf("   cue %q %b\n", sc.nt.b[t.ns:t.ne], t.cls)
		}
		for _, t := range sc.emos {
			fmt.Printf("   emo %q %b %v\n", sc.nt.b[t.ns:t.ne], t.cls>>40, t.weight)
		}
	}
}
