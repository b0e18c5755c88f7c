package risk_test

import (
	"fmt"
	"log"

	"safedesk/risk"
)

func Example() {
	engine, err := risk.New(risk.DefaultConfig())
	if err != nil {
		log.Fatal(err)
	}
	r := engine.Check(risk.RoleCustomer, "亲，加我微信 wx123456 私下转账更便宜，电话 13800138000")
	for _, f := range r.Findings {
		fmt.Printf("%s [%d,%d) %q %.2f\n", f.Type, f.Start, f.End, f.Text, f.Score)
	}
	fmt.Println(r.Emotion.Label)
	fmt.Println(r.Masked)
	// Output:
	// fraud.off_platform [2,6) "加我微信" 0.97
	// pii.phone [27,38) "13800138000" 0.97
	// neutral
	// 亲，加我微信 wx****** 私下转账更便宜，电话 138****8000
}
