package risk

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	e, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"亲，加我微信 wx123456 私下转账更便宜",
		"亲，加我薇信 abc8866，私下转账给你打九折",
		"好的，买家手机号是 139 1234 5678，地址您记一下",
		"您的订单需要理赔，请点击 http://taobao-refund.top/claim 领取三倍赔偿",
		"支持微信支付吗？",
		"加我微信转账",
		"身份证 11010519491231002X",
	} {
		r := e.Check(RoleCustomer, s)
		b, _ := json.Marshal(r)
		fmt.Println(s)
		fmt.Println("  ", string(b))
	}
}
