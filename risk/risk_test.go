package risk

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// want is an expected finding: its type and exact original text.
type want struct {
	typ  Type
	text string
}

func TestCheckFindings(t *testing.T) {
	e := newTestEngine(t)
	tests := []struct {
		name string
		role Role
		text string
		want []want // exact findings (type and text), in order
	}{
		{"contract example", RoleCustomer, "亲，加我微信 wx123456 私下转账更便宜", []want{{FraudOffPlatform, "加我微信"}}},
		{"wechat pay question", RoleCustomer, "支持微信支付吗？", nil},
		{"add wechat transfer", RoleCustomer, "加我微信转账", []want{{FraudOffPlatform, "加我微信"}}},
		{"variant 薇信", RoleCustomer, "亲，加我薇信 abc8866，私下转账给你打九折", []want{{FraudOffPlatform, "加我薇信"}}},
		{"decorated 加★微★信", RoleCustomer, "加★微★信 zz12345", []want{{FraudOffPlatform, "加★微★信"}}},
		{"zero-width inside", RoleCustomer, "加\u200b微\u200d信吧", []want{{FraudOffPlatform, "加\u200b微\u200d信"}}},
		{"+v", RoleCustomer, "+v 了解更多", []want{{FraudOffPlatform, "+v"}}},
		{"q q", RoleCustomer, "加我q q 87654321", []want{{FraudOffPlatform, "加我q q"}}},
		{"wechat me", RoleCustomer, "wechat me, it's faster", []want{{FraudOffPlatform, "wechat me"}}},
		{"negated advice", RoleAgent, "请不要添加任何私人微信", nil},
		{"mobile spaced", RoleAgent, "买家手机号是 139 1234 5678", []want{{PIIPhone, "139 1234 5678"}}},
		{"mobile full width", RoleCustomer, "手机：１３８００１３８０００", []want{{PIIPhone, "１３８００１３８０００"}}},
		{"mobile chinese numerals", RoleCustomer, "电话一三八零零一三八零零零", []want{{PIIPhone, "一三八零零一三八零零零"}}},
		{"mobile 幺", RoleCustomer, "号码是幺三九 幺二三四 五六七八", []want{{PIIPhone, "幺三九 幺二三四 五六七八"}}},
		{"mobile +86", RoleCustomer, "+86 138 0013 8000", []want{{PIIPhone, "+86 138 0013 8000"}}},
		{"two mobiles", RoleCustomer, "13800138000 13900139000", []want{{PIIPhone, "13800138000"}, {PIIPhone, "13900139000"}}},
		{"landline", RoleCustomer, "座机 010-65529988", []want{{PIIPhone, "010-65529988"}}},
		{"landline extension", RoleCustomer, "电话 0755-8601-3388-801", []want{{PIIPhone, "0755-8601-3388-801"}}},
		{"international", RoleCustomer, "Call +44 20 7946 0958", []want{{PIIPhone, "+44 20 7946 0958"}}},
		{"NANP", RoleCustomer, "My number is (415) 555-0132", []want{{PIIPhone, "415) 555-0132"}}},
		{"national AU with a phone word", RoleCustomer, "my number is 0412 345 678", []want{{PIIPhone, "0412 345 678"}}},
		{"national MY with hp", RoleCustomer, "my hp 012-345 6789", []want{{PIIPhone, "012-345 6789"}}},
		{"national MY alone", RoleCustomer, "ref 012-345 6789", nil},
		{"national IN with contact no", RoleCustomer, "Contact no 98450 12345", []want{{PIIPhone, "98450 12345"}}},
		{"national IN shape alone", RoleCustomer, "Order 9845012345 shipped", nil},
		{"national TW", RoleCustomer, "電話0912-386-475 感恩", []want{{PIIPhone, "0912-386-475"}}},
		{"national HK", RoleCustomer, "電話9634 2817 再錯就投訴", []want{{PIIPhone, "9634 2817"}}},
		{"eight digits alone", RoleCustomer, "订单号 96342817", nil},
		{"international beside a courier word", RoleCustomer, "我人在新加坡，快递到了请打 +65 9123 4567 联系我", []want{{PIIPhone, "+65 9123 4567"}}},
		{"order number holding 00", RoleAgent, "订单号 3921 0048 7712 9035，我已经帮您备注了", nil},
		{"bank account number", RoleAgent, "The invoice lists acc 00291175 4402 as the supplier's account", nil},
		{"hotline not personal", RoleAgent, "客服热线 400-820-8820", nil},
		{"masked phone", RoleAgent, "手机号 138****8000 是您本人吗", nil},
		{"order number", RoleCustomer, "订单号 13800138000123", nil},
		{"order context", RoleCustomer, "订单号 440305199003071236 查一下", nil},
		{"tracking letters", RoleCustomer, "运单号 SF1234567890123", nil},
		{"price", RoleCustomer, "一共 ¥13800138000", nil},
		// A word that names the number wins over one that says where it was found.
		{"phone on the order", RoleCustomer, "The phone on the order is 13812345678", []want{{PIIPhone, "13812345678"}}},
		{"phone number from the parcel", RoleAgent, "The phone number from your parcel label is 13912345678", []want{{PIIPhone, "13912345678"}}},
		{"phone on the order zh", RoleCustomer, "包裹上的手机号是13912345678", []want{{PIIPhone, "13912345678"}}},
		{"phone far in English", RoleCustomer, "My mobile number, if you need it, is 13912345678", []want{{PIIPhone, "13912345678"}}},
		{"order labels the number", RoleCustomer, "The phone number for order 13812345678 is wrong", nil},
		{"order number alone", RoleCustomer, "Order number: 13812345678", nil},
		{"id 18", RoleCustomer, "身份证 11010519491231002X", []want{{PIICNID, "11010519491231002X"}}},
		{"id 18 lowercase x", RoleCustomer, "我身份证32010219680909222x", []want{{PIICNID, "32010219680909222x"}}},
		{"id bad check", RoleCustomer, "身份证 110105194912310020", nil},
		{"id bad date", RoleCustomer, "身份证 440305199013071236", nil},
		{"id legacy", RoleCustomer, "老身份证号 110105491231002", []want{{PIICNID, "110105491231002"}}},
		{"card", RoleCustomer, "卡号 6222025260181590832", []want{{PIIBankCard, "6222025260181590832"}}},
		{"card grouped", RoleCustomer, "card 4111 6281 9482 1993", []want{{PIIBankCard, "4111 6281 9482 1993"}}},
		{"card luhn fail", RoleCustomer, "卡号 6222025260181590833", nil},
		{"email", RoleCustomer, "邮箱 zhangsan@example.com", []want{{PIIEmail, "zhangsan@example.com"}}},
		{"email (at)", RoleCustomer, "jane(at)example.org", []want{{PIIEmail, "jane(at)example.org"}}},
		{"address zh", RoleCustomer, "收货地址：广东省深圳市南山区科技园路88号", []want{{PIIAddress, "广东省深圳市南山区科技园路88号"}}},
		{"address zh room", RoleCustomer, "我家住在杭州市西湖区文三路90号3栋2单元501室", []want{{PIIAddress, "杭州市西湖区文三路90号3栋2单元501室"}}},
		{"address en", RoleCustomer, "Ship to 221B Baker Street, London NW1 6XE", []want{{PIIAddress, "221B Baker Street, London NW1 6XE"}}},
		{"address street prefix", RoleCustomer, "寄到 88 Jalan Ampang, 50450 Kuala Lumpur ya", []want{{PIIAddress, "88 Jalan Ampang, 50450 Kuala Lumpur"}}},
		{"address rue", RoleCustomer, "Please send to 12 Rue Cler, 75007 Paris", []want{{PIIAddress, "12 Rue Cler, 75007 Paris"}}},
		{"address rue de", RoleCustomer, "Ship to 18 Rue de Rivoli, 75004 Paris please", []want{{PIIAddress, "18 Rue de Rivoli, 75004 Paris"}}},
		{"ordinal street with a postal code", RoleCustomer, "Flat 302, 12th Main Road, Indiranagar, Bengaluru 560038", []want{{PIIAddress, "12th Main Road, Indiranagar, Bengaluru 560038"}}},
		{"ordinal street alone", RoleCustomer, "Take the 5th Avenue exit, Manhattan", nil},
		{"street prefix without a city", RoleCustomer, "We sold 3 jalan maps last week", nil},
		{"not an address", RoleCustomer, "I ordered 2 items on the way home", nil},
		{"lookalike brand word", RoleCustomer, "请点击 http://taobao-refund.top/claim", []want{{URLLookalike, "http://taobao-refund.top/claim"}}},
		{"lookalike homoglyph", RoleCustomer, "访问 tаobao.com", []want{{URLLookalike, "tаobao.com"}}},
		{"lookalike punycode", RoleCustomer, "http://xn--tobao-4ve.com", []want{{URLLookalike, "http://xn--tobao-4ve.com"}}},
		{"lookalike typo", RoleCustomer, "tabao.com 上买", []want{{URLLookalike, "tabao.com"}}},
		{"lookalike userinfo", RoleCustomer, "http://taobao.com@evil.top/login", []want{{URLLookalike, "http://taobao.com@evil.top/login"}}},
		{"official", RoleAgent, "请在 https://www.taobao.com 查看", nil},
		{"lookalike amzn", RoleAgent, "open amzn-refundcenter.com/claim now", []want{{URLLookalike, "amzn-refundcenter.com/claim"}}},
		{"lookalike marketplace abroad", RoleCustomer, "register at poshmark-escrow-secure.com first", []want{{URLLookalike, "poshmark-escrow-secure.com"}}},
		{"official amzn short link", RoleAgent, "Track it here: https://amzn.to/3xYzAbc", nil},
		{"official short link", RoleAgent, "https://m.tb.cn/h.UkXyZ", nil},
		{"official full width", RoleAgent, "ｔａｏｂａｏ.com", nil},
		{"shortener", RoleCustomer, "点 https://bit.ly/3xYzAbc", []want{{URLShortener, "https://bit.ly/3xYzAbc"}}},
		{"ip host", RoleCustomer, "登录 http://192.168.10.5:8080/login", []want{{URLIPHost, "http://192.168.10.5:8080/login"}}},
		{"ipv6 host", RoleCustomer, "打开 http://[2001:db8::1]/pay 付款", []want{{URLIPHost, "http://[2001:db8::1]/pay"}, {FraudPaymentOutside, "付款"}}},
		{"disguised dot", RoleCustomer, "taobao-refund。top", []want{{URLLookalike, "taobao-refund。top"}}},
		{"version number", RoleCustomer, "版本 1.2.3.4", nil},
		{"code ask", RoleAgent, "请把收到的验证码发给我", []want{{FraudVerificationCode, "验证码发给我"}}},
		{"code advice", RoleAgent, "验证码不要告诉任何人", nil},
		{"credential ask", RoleCustomer, "把你的支付密码告诉我", []want{{FraudCredential, "支付密码告诉我"}}},
		{"payment personal", RoleCustomer, "扫我的收款码付款", []want{{FraudPaymentOutside, "扫我的收款码"}}},
		{"refund lure", RoleCustomer, "您误开通了会员，不关闭会影响征信", []want{{FraudRefundLure, "误开通"}}},
		{"brushing", RoleCustomer, "招聘刷单员，日结佣金", []want{{FraudBrushing, "刷单"}}},
		{"brushing warned", RoleAgent, "刷单是诈骗，请不要相信", nil},
		{"remote", RoleCustomer, "请下载向日葵远程控制", []want{{FraudRemoteControl, "向日葵"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Check(tt.role, tt.text)
			var got []want
			for _, f := range r.Findings {
				got = append(got, want{f.Type, f.Text})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check(%q)\n got %v\nwant %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestWarningsAreNotFraud checks the negation and warning-context rules: advice that
// names a scam's cues ("如果有人要求您提供验证码，那就是骗子", "never share your code,
// including us") gives no fraud finding in either role, while the requests themselves
// still do.
func TestWarningsAreNotFraud(t *testing.T) {
	e := newTestEngine(t)
	warnings := []string{
		// negation before the cue
		"请不要把验证码告诉任何人，包括我们客服",
		"我们不会向您索要密码或验证码",
		"Never share your verification code with anyone, including us",
		"我们不会让您下载远程软件，请关闭屏幕共享",
		"不要加对方微信，也不要私下转账",
		"we will never ask you to pay outside the platform",
		"本店从不组织刷单，返现换好评是违规的",
		"请勿相信任何自称客服并要求您提供验证码的来电",
		"客服绝不会要求您转账到所谓安全账户",
		"Our staff will not ask you to transfer money to a personal account",
		"You should never have to share your screen to get a refund",
		"温馨提示：平台客服不会让您加微信或QQ，请认准官方渠道",
		"We never ask customers to move the conversation to WhatsApp",
		"提醒您：切勿点击陌生链接，切勿共享屏幕",
		"为保障您的资金安全，请不要将银行卡号和密码提供给任何人",
		"Do not give your card number or CVV to anyone who calls you",
		"平台从来不会通过电话让您开通备用金，遇到请报警",
		"我们不会让您扫码付款，请在订单页支付",
		// conditional and "anyone who" frames
		"如果有人要求您提供验证码，那就是骗子",
		"任何自称客服、要求您提供验证码的都是诈骗",
		"If anyone asks for your password, it's a scam",
		"如有人索要验证码，请立即挂断",
		"凡是索要验证码的都是骗子",
		"Anyone who asks for your code is a scammer",
		"If someone asks you to install AnyDesk, hang up",
		"If anyone asks you to share your screen, it's a scam",
		"Scammers may ask you to share your screen — never do it",
		"如果有人说要帮您关闭百万保障，请直接挂断，这是诈骗",
		"If anyone says your refund needs a processing fee, it's fraud",
		// disclaimers
		"验证码只有您自己知道，任何人包括我们客服都无权索要",
		"请勿向他人透露密码，包括我们的工作人员",
		"Keep your PIN private. Even our staff will never ask for it.",
		// lists under one negation
		"We do not accept gift cards, wire transfers or crypto as payment.",
		"We don't accept Zelle, Venmo or Cash App",
		"不支持微信、支付宝转账，请在订单页付款",
		"请勿添加陌生人微信，私下转账",
		// a negated request verb governs what is requested, to the end of its clause
		"温馨提示：客服不会以任何理由要求您转账或提供验证码",
		"我们不会让您下载任何软件或者开启屏幕共享",
		"We will never ask you to install software or share your screen.",
		"Our agents do not ask you to download apps, open links or read out codes",
		// a customer reporting what someone else did
		"客服，有人加我微信说是你们店的，让我交保证金，是真的吗",
		"Someone on WhatsApp asked me to pay with gift cards. Is this legit?",
		// an auto-renewing plan the buyer cancels by themselves
		"Your plan will charge you monthly, you can cancel in the app settings.",
		"会员每月自动扣费，您可以在App设置里自行取消。",
		// stop verbs
		"请卸载向日葵并修改支付密码",
		"Please stop sharing your screen and uninstall AnyDesk now",
		// codes that are not secrets
		"Use the coupon code SAVE10, or send me the code from the voucher",
		"What's the tracking code? Send me the code on the label",
	}
	asks := []struct {
		text string
		typ  Type
	}{
		{"把验证码发我一下", FraudVerificationCode},
		{"请提供您的支付密码以便核实", FraudCredential},
		{"please read me the code we just texted you", FraudVerificationCode},
		{"加我微信私下转账便宜点", FraudOffPlatform},
		{"下载向日葵我远程帮您操作", FraudRemoteControl},
		// a negated feeling, a reassurance or a conditional without a warning is no advice
		{"别担心，把验证码发给我就能退款", FraudVerificationCode},
		{"不要着急，加我微信给你处理", FraudOffPlatform},
		{"我不是骗子，加我微信私聊", FraudOffPlatform},
		{"放心，这不是诈骗，请开启屏幕共享", FraudRemoteControl},
		{"I'm not a scammer, just add me on WhatsApp", FraudOffPlatform},
		{"如果您着急，可以加我微信", FraudOffPlatform},
		// "了" ends a negated phrase: what follows is a request again
		{"别在这聊了加我微信", FraudOffPlatform},
		{"别忘了把验证码发给我", FraudVerificationCode},
		{"不要再问了，直接加我QQ", FraudOffPlatform},
		{"不要问了，我要求你马上把验证码发给我", FraudVerificationCode},
		// a stop verb followed by a new command does not undo it
		{"如需关闭请下载腾讯会议配合操作", FraudRemoteControl},
		{"To cancel it, please install AnyDesk", FraudRemoteControl},
		{"please confirm the 6-digit code we just texted you", FraudVerificationCode},
		{"If you want it faster, add me on WhatsApp", FraudOffPlatform},
		{"如果收不到，请把短信里的验证码发给我", FraudVerificationCode},
		{"Don't worry, just send me the code", FraudVerificationCode},
		{"Tell me the code now or your account will be frozen", FraudVerificationCode},
		{"Stop worrying and send me your password", FraudCredential},
		{"不用在平台付款，直接转给我", FraudPaymentOutside},
		// a warning frame ends at its warning; "别挂断" is no advice
		{"有人冒充您的账户在异地登录，请把验证码告诉我进行冻结", FraudVerificationCode},
		{"如果有人问起，就说是朋友，把验证码报给我，别挂断", FraudVerificationCode},
		{"为防止诈骗，请把验证码告诉我", FraudVerificationCode},
		// a stop verb undoes only the cue right after it
		{"请先关闭杀毒软件再下载向日葵", FraudRemoteControl},
		{"To stop the charges, share your screen with me", FraudRemoteControl},
	}
	for _, role := range []Role{RoleAgent, RoleCustomer} {
		for _, text := range warnings {
			for _, f := range e.Check(role, text).Findings {
				if strings.HasPrefix(string(f.Type), "fraud.") {
					t.Errorf("%s %q: %s on %q (%s)", role, text, f.Type, f.Text, f.Rule)
				}
			}
		}
		for _, a := range asks {
			if r := e.Check(role, a.text); !r.Has(a.typ) {
				t.Errorf("%s %q: no %s in %v", role, a.text, a.typ, r.Findings)
			}
		}
	}
}

func TestAddSpan(t *testing.T) {
	var spans [][2]int32
	for _, s := range [][2]int32{{5, 9}, {3, 12}, {12, 14}, {20, 25}, {21, 22}} {
		spans = addSpan(spans, s[0], s[1])
	}
	if want := [][2]int32{{3, 14}, {20, 25}}; !slices.Equal(spans, want) {
		t.Errorf("spans %v, want %v", spans, want)
	}
	for k, want := range map[int32]bool{2: false, 3: true, 13: true, 14: false, 19: false, 24: true, 25: false} {
		if inSpans(spans, k) != want {
			t.Errorf("inSpans(%d) = %v", k, !want)
		}
	}
}

func TestCheckTypes(t *testing.T) {
	e := newTestEngine(t)
	tests := []struct {
		role Role
		text string
		want []Type
	}{
		{RoleCustomer, "您的订单需要理赔，请点击 http://taobao-refund.top/claim 领取三倍赔偿", []Type{FraudRefundLure, URLLookalike}},
		{RoleCustomer, "为了给您退款，请下载腾讯会议，开启屏幕共享", []Type{FraudRefundLure, FraudRemoteControl}},
		{RoleCustomer, "平台要扣手续费，你直接微信转给我吧", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleCustomer, "钱打到这张卡上就行 6222025260181590832", []Type{PIIBankCard, FraudPaymentOutside}},
		{RoleCustomer, "tell me the OTP to confirm your refund", []Type{FraudVerificationCode, FraudRefundLure}},
		{RoleCustomer, "WhatsApp me, my phone is +852 9123 4567", []Type{PIIPhone, FraudOffPlatform}},
		{RoleAgent, "We will never ask for your verification code", nil},
		// A payee's code or P2P account without a possessive particle, or with a
		// "personal"; the same account asked for a refund is the speaker being paid.
		{RoleCustomer, "扫我二维码付一下尾款", []Type{FraudPaymentOutside}},
		{RoleCustomer, "我扫你们的付款码付不了", nil},
		{RoleCustomer, "Send the balance to my personal PayPal", []Type{FraudPaymentOutside}},
		{RoleCustomer, "Can you refund it to my Venmo?", nil},
		{RoleCustomer, "买家说他给你转账了，你查一下", nil},
		// Steering away from the checkout with a payee on offer is also a payment outside
		// it; a price compared with the shop is a steer only with something on offer.
		{RoleCustomer, "No need to use the checkout, just send $25 to my Cash App", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleCustomer, "转我支付宝，比店里便宜30", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleCustomer, "这个比店里便宜吗？", nil},
		// Logging in with a password on a page that is not the platform's.
		{RoleCustomer, "Sign in at secure-ebay-refund.net using your account password to get the refund", []Type{FraudCredential, FraudRefundLure, URLLookalike}},
		{RoleAgent, "Log in to the app and check your order", nil},
		// The cancel-or-be-charged script moved to a meeting app.
		{RoleCustomer, "您的会员每月自动扣费298元，我们在腾讯会议里帮您一起取消", []Type{FraudRefundLure, FraudRemoteControl}},
		{RoleCustomer, "We can cancel the Zoom meeting if you prefer", nil},
		// The shop refusing a scheme after naming it.
		{RoleAgent, "好评返现这种事我们店不做的", nil},
		{RoleAgent, "Paid reviews? We don't do that", nil},
		{RoleCustomer, "好评返现，联系客服领取", []Type{FraudBrushing}},
		// A remote-control tool named and no SMS word: the code asked for is the tool's.
		{RoleCustomer, "Install AnyDesk and send me the code it gives you", []Type{FraudRemoteControl}},
		{RoleCustomer, "Install AnyDesk, then send me the code we texted you", []Type{FraudRemoteControl, FraudVerificationCode}},
		// Secrets "needed to verify" count in a refund story, not in a login hint.
		{RoleCustomer, "Your online banking password is needed to verify the chargeback", []Type{FraudCredential, FraudRefundLure}},
		{RoleAgent, "A password is required to verify your identity when you log in to the app", nil},
		// A claims channel of its own is not the platform's after-sales flow.
		{RoleCustomer, "您的包裹破损，赔付120元，请扫描二维码进入理赔通道", []Type{FraudRefundLure}},
		{RoleAgent, "售后理赔通道在订单详情页，点“申请售后”就行", nil},
		// A recurring fee with a cancel; the same fee asked about.
		{RoleCustomer, "您被误开通了代理服务，每月扣管理费，需要配合解除", []Type{FraudRefundLure}},
		{RoleCustomer, "会员每月扣管理费吗？", nil},
		// A price comparison a few words before the checkout, with a payee on offer.
		{RoleCustomer, "Bank transfer to my account is cheaper than using the Etsy checkout", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleCustomer, "This costs less here than anywhere, cheaper than the store across the road", nil},
		// A call received and refused is a report.
		{RoleCustomer, "接到一个电话说是你们客服，让我开共享屏幕退款，我直接挂了", nil},
		// A welfare or task group with a reward, and a data-entry job paid per order.
		{RoleCustomer, "进福利群每天做任务领红包", []Type{FraudBrushing}},
		{RoleAgent, "我们的福利群每周抽奖送小礼品", nil},
		{RoleCustomer, "运营说要提升店铺权重，多上新品", nil},
		// A payee's Alipay or Wise account, the money sent through it.
		{RoleCustomer, "中奖了，先支付19元手续费到支付宝账户 zfb_2208", []Type{FraudPaymentOutside}},
		{RoleAgent, "退款会原路退到您的支付宝账户", nil},
		{RoleCustomer, "Send it via Revolut to my account and I'll post it today", []Type{FraudOffPlatform, FraudPaymentOutside}},
		// Moving the talk to e-mail; an e-mail address given for support is not.
		{RoleCustomer, "Let's move this to email, it's easier", []Type{FraudOffPlatform}},
		{RoleAgent, "You can email us at support@shop.com or continue here", []Type{PIIEmail}},
		// Authenticator codes are one-time codes; remote help "远程给您退" is remote control.
		{RoleCustomer, "Type the authenticator code here and I'll release the refund", []Type{FraudVerificationCode, FraudRefundLure}},
		{RoleCustomer, "下载售后助手，我远程给您退", []Type{FraudRemoteControl, FraudRefundLure}},
		{RoleAgent, "Download our app from the App Store to track orders", nil},
		// Walked through a bank app for a refund; the bank app named to check one.
		{RoleCustomer, "打开手机银行，按我说的步骤操作，退款就到了", []Type{FraudRefundLure}},
		{RoleAgent, "退款已原路退回，请在手机银行App里查看到账", nil},
		// Where to type a code, and knowledge-based secrets.
		{RoleCustomer, "刚收到一条短信，把里面的数字打在这里就行", []Type{FraudVerificationCode}},
		{RoleCustomer, "We need your mother's maiden name to verify the account", []Type{FraudCredential}},
		{RoleAgent, "Never tell anyone your mother's maiden name or security answers", nil},
		// A fee is a payment: paid with a gift card it is paid outside the checkout.
		{RoleCustomer, "Pay the processing fee with a Steam card to release your claim", []Type{FraudPaymentOutside, FraudRefundLure}},
		// A code by its length ("四位码"), read "to them", and a wallet's seed phrase.
		{RoleCustomer, "把您手机上收到的四位码发我", []Type{FraudVerificationCode}},
		{RoleAgent, "验证码是六位码，请勿告诉他人", nil},
		{RoleCustomer, "Call billing and read them the code we texted you", []Type{FraudVerificationCode}},
		{RoleAgent, "Please read them the tracking number when they call", nil},
		{RoleCustomer, "Send us your wallet seed phrase to verify the payout", []Type{FraudCredential}},
		{RoleCustomer, "What is a seed phrase? Should I keep it safe?", nil},
		{RoleCustomer, "Please keep all communication on the platform", nil},
		// A customer asking about charges is worried, not threatening.
		{RoleCustomer, "取消订单会扣费吗", nil},
		{RoleCustomer, "退订会员后还会扣费吗？", nil},
		{RoleAgent, "您可以随时取消自动续费", nil},
		{RoleAgent, "关闭自动续费后就不会再扣款了", nil},
		{RoleAgent, "您的账户开通了京东金条，不关闭每个月会扣您800元利息", []Type{FraudRefundLure}},
		// A code written out is a code handed over, after a bare "the code" too.
		{RoleAgent, "the code is 483920", []Type{FraudVerificationCode}},
		{RoleAgent, "验证码是483920", []Type{FraudVerificationCode}},
		{RoleAgent, "Your code is 483920, enter it on the page I sent", []Type{FraudVerificationCode}},
		{RoleAgent, "那串数字是 483920 对吧", []Type{FraudVerificationCode}},
		{RoleAgent, "Your pickup code is 4839", nil},
		{RoleAgent, "The coupon code is 2024, it takes 20 off", nil},
		{RoleAgent, "your code is SAVE20", nil},
		// Paying on a page that is not the platform's; a brushing task's prepayment and
		// rebate are no refund.
		{RoleCustomer, "http://47.96.12.8/pay 在这里付款", []Type{URLIPHost, FraudPaymentOutside}},
		{RoleCustomer, "Pay here: https://bit.ly/4kPay9", []Type{URLShortener, FraudPaymentOutside}},
		{RoleAgent, "请在 https://www.taobao.com 付款", nil},
		{RoleCustomer, "做任务就能赚佣金，先垫付后返还，一单一结", []Type{FraudBrushing}},
		// The code a remote tool shows is its connection code: remote control, not a
		// one-time code. A code that was texted is still one, tool or not.
		{RoleCustomer, "Download TeamViewer and read me the code it shows", []Type{FraudRemoteControl}},
		{RoleCustomer, "打开向日葵，把屏幕上显示的码告诉我", []Type{FraudRemoteControl}},
		{RoleCustomer, "Open AnyDesk, then read me the code we just texted you", []Type{FraudRemoteControl, FraudVerificationCode}},
		{RoleCustomer, "read me the code it shows", []Type{FraudVerificationCode}},
		// Told to look the shop up on a second-hand marketplace, against saying where one looked.
		{RoleAgent, "您去闲鱼搜一下我们的店铺名，那边有优惠", []Type{FraudOffPlatform}},
		{RoleCustomer, "我去闲鱼搜了一下，同款便宜一百块", nil},
		// Money sent back in gift cards is paid outside the platform.
		{RoleCustomer, "We refunded you twice by mistake, please send it back in gift cards", []Type{FraudPaymentOutside, FraudRefundLure}},
		{RoleCustomer, "多给您的钱请用购物卡返还给我们", []Type{FraudPaymentOutside}},
		// A request earlier in the clause asks the reader to pay, question mark or not,
		// and a platform named far off is what the payment goes around.
		{RoleCustomer, "Etsy checkout is glitchy rn so could u send the $86 thru PayPal friends & family?", []Type{FraudPaymentOutside}},
		{RoleCustomer, "Do you accept PayPal friends & family at checkout?", nil},
		// An amount is one word to the windows: "a deposit of 0.02 BTC".
		{RoleAgent, "To avoid suspension pay a refundable deposit of 0.02 BTC within 12 hours", []Type{FraudPaymentOutside}},
		// Money the speaker says they overpaid, sent back to their account, is the
		// overpayment script; a refund of their order to it is not; and a refund the
		// speaker makes to the reader ("refund you") is the speaker paying out.
		{RoleCustomer, "I already sent the zelle, send my extra money back to my cash app $rickyb773", []Type{FraudPaymentOutside}},
		{RoleCustomer, "退款退到我的支付宝账户就行", nil},
		{RoleCustomer, "We'll refund you via Zelle, just log in to your bank and accept the request we sent", []Type{FraudPaymentOutside, FraudRefundLure}},
		// A list puts an SMS word on the next item, not on the password before it.
		{RoleAgent, "麻烦把千牛登录密码和手机刚收到的验证码给我", []Type{FraudCredential, FraudVerificationCode}},
		// "that card", a top-up, the speaker's wallet and Telegram as "the plane".
		{RoleAgent, "要先充值3888到导师给的那张卡上", []Type{FraudPaymentOutside}},
		{RoleAgent, "大额直接打我钱包 到账秒发货 有事上飞机找我", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleCustomer, "我明天上飞机，能改一下地址吗", nil},
		// The platform's cut complained of, and the fake-renewal script.
		{RoleAgent, "pay me directly on Venmo and I can take 10% off, Etsy eats a big chunk", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "To stop the charge I need you to install TeamViewer and read me the password it displays", []Type{FraudCredential, FraudRefundLure, FraudRemoteControl}},
		{RoleCustomer, "im adding u as trusted merchant on my account so the payment can go through", nil},
		{RoleAgent, "each order principal refund + 8% commission, only 1 hr a day", []Type{FraudBrushing}},
		{RoleAgent, "麻烦把zhifu mima发一下", []Type{FraudCredential}},
		// Paid privately for the goods themselves, the sale leaves the platform; a fee
		// or a claim step paid the same way is only the payment.
		{RoleCustomer, "Zelle me the money and I'll ship it tonight", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "扫我的收款码付款，给你便宜20", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "Your parcel is on hold for unpaid customs fees of $2.99. Send the fee to my Cash App", []Type{FraudPaymentOutside}},
		// Resale marketplaces: the platform's payment avoided in so many words, bank
		// details as the payee, a fake escrow, tasks paid per product.
		{RoleAgent, "gumtree fees r a rip off, skip the payment thing on there n just transfer direct, BSB 062-000 acc 1234 5678", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "only accept paypal friends & family, send to kayla@example.com. don't use the buy button pls", []Type{FraudOffPlatform, FraudPaymentOutside, PIIEmail}},
		{RoleCustomer, "Let's use escrow instead, register at poshmark-escrow-secure.com and I'll deposit the $380 there", []Type{FraudOffPlatform, URLLookalike}},
		{RoleAgent, "We pay £5–£20 for every product you like and review, just send a screenshot!", []Type{FraudBrushing}},
		{RoleAgent, "You must top up 250 USDT to the merchant wallet first", []Type{FraudPaymentOutside}},
		{RoleAgent, "Facebook will text you a 6-digit code in a sec, just paste it in here", []Type{FraudVerificationCode}},
		// Pinyin initials, Telegram as "the plane", a credit-record threat, a payee's QR.
		{RoleAgent, "yhk号发我下 还有等下收到的yzm 马上给你退差价", []Type{FraudVerificationCode, FraudRefundLure}},
		{RoleCustomer, "有买家数据吗 收 五毛一条 飞机上聊 @datashou88", []Type{FraudOffPlatform}},
		{RoleAgent, "白条学生账户需要今天注销，否则将统一上报人行征信", []Type{FraudRefundLure}},
		{RoleAgent, "退款通道在维护，您先扫我发的收款码付1块钱验证下账户", []Type{FraudPaymentOutside, FraudRefundLure}},
		// A notice of the shop's violation is bait, not a warning; a fee paid beside the
		// lure word is a payment, not a credit line drawn; a story about someone else is
		// a report.
		{RoleCustomer, "店铺违规整改通知：请下载ToDesk 把设备代码和临时密码发我", []Type{FraudCredential, FraudRemoteControl}},
		{RoleCustomer, "保证金补缴通知：请于今日18点前将3000元转入指定账户", []Type{FraudPaymentOutside}},
		{RoleCustomer, "闲鱼上有个人拉我做任务 说先垫付三单就返本金加佣金 我垫了600结果被拉黑了 我要报警", nil},
		{RoleCustomer, "这个是你们的活动链接吗 朋友转我的", nil},
		{RoleAgent, "您的包裹丢失，我们按3倍赔付，扫一下我发的二维码填理赔资料就行", []Type{FraudRefundLure}},
		// Round three: codes as "digits" and "一串数字", a threat that is no negation, a list
		// of things never asked for, retold requests, private cards and wallets.
		{RoleAgent, "reply with the 6 digits you'll get by text so we can lock the time in", []Type{FraudVerificationCode}},
		{RoleAgent, "一会手机会收到一串数字 截个图发过来我这边帮您解除", []Type{FraudVerificationCode}},
		{RoleAgent, "If you don't install AnyDesk right now so I can process your refund, that's on you", []Type{FraudRemoteControl, FraudRefundLure}},
		{RoleAgent, "we will never ask for your verification code, your password or payment by gift card in chat", nil},
		{RoleCustomer, "the seller in this chat told me add him on WhatsApp and pay him there. I want to report him", nil},
		{RoleAgent, "货款直接打我私人卡吧 平台压款压一个月", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "pay the unlocking fee to our escrow wallet first", []Type{FraudPaymentOutside}},
		{RoleAgent, "应用商店搜向日葵下载一下 我远程帮您把退款单填了", []Type{FraudRemoteControl, FraudRefundLure}},
		{RoleAgent, "send the $200 deposit to my Cash App and I'll push your refund through personally", []Type{FraudPaymentOutside, FraudRefundLure}},
		{RoleCustomer, "把你们商家后台的登录密码借我用一下", []Type{FraudCredential}},
		// Round four: e-wallets abroad, "our" Cash App, an order marked paid by hand, a
		// damaged credit score, a claim's QR code, and a buyer tired of phishing texts.
		{RoleAgent, "To avoid the platform fee just send the 1,250 PHP to my GCash and I will ship today", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "Please send the $12 reactivation fee to our Cash App $RefundCenterMY", []Type{FraudPaymentOutside}},
		{RoleAgent, "Checkout is having issues today. You can pay by Zelle to jenna@example.com instead and I'll mark the order paid manually.", []Type{FraudOffPlatform, FraudPaymentOutside, PIIEmail}},
		{RoleAgent, "If you don't cancel the loan service today your credit score will be damaged.", []Type{FraudRefundLure}},
		{RoleAgent, "Your dispute was approved. To receive the $36.20, scan the claims QR code I'm sending.", []Type{FraudRefundLure}},
		{RoleCustomer, "Why am I getting texts with bit.ly/ali-refund-2024 about a refund?? Stop leaking my number", []Type{URLShortener}},
		{RoleAgent, "Please don't pay anyone outside the checkout. We only get paid through the order page.", nil},
		// Round five: "nobody … will ever ask", a buyer who refused or doubts, an e-wallet
		// named as the way to pay, a routing number, "the six numbers", a credit file.
		{RoleAgent, "Quick reminder: nobody on our team will ever ask for your password, card PIN or the codes we text you.", nil},
		{RoleCustomer, "A 'seller' on your app told me to add him on WhatsApp and pay him directly. I refused - now please ban that shop.", nil},
		{RoleCustomer, "The email says to check tinyurl.com/ebay-hold-88 to get my refund released. That looks dodgy to me - is it real?", []Type{URLShortener}},
		{RoleAgent, "Only 2 left! Send P4,200 by GCash and I'll ship today - no need to check out in the app.", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "Transfer the payment to Chase, routing 021000021, account 4839201175", []Type{FraudPaymentOutside}},
		{RoleAgent, "I've sent a one-time code to your mobile. What are the six numbers?", []Type{FraudVerificationCode}},
		{RoleAgent, "Cancel the plan today or it gets reported to your credit file", []Type{FraudRefundLure}},
		{RoleAgent, "Security check: please type your Amazon password here so I can confirm you own the account.", []Type{FraudCredential}},
		{RoleAgent, "For the double charge, scan the claims QR code and enter your card PIN on the page that opens", []Type{FraudCredential, FraudRefundLure}},
		// Round six: a negated request governs a list of what is never asked across
		// commas, unless a contrast turns it; a buyer's own refund claim, the card a buyer
		// paid with, a deposit moved as a fee, a buyer telling of a scam, the fake order's
		// principal given back.
		{RoleAgent, "Our team will never ask you to install AnyDesk or TeamViewer, read out a verification code, or pay by Zelle or gift card.", nil},
		{RoleAgent, "客服不会索要验证码，但您这个情况特殊，请把验证码发我", []Type{FraudVerificationCode}},
		{RoleCustomer, "老板，这单我要退货退款，你用PayPal好友付款直接退给我就行，别走平台了太慢", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleCustomer, "My payment with the Amex 3742 195506 18221 was declined but the money has gone", []Type{PIIBankCard}},
		{RoleCustomer, "【淘宝规则中心】请在24小时内把2000元整改保证金转到审核专员支付宝账户", []Type{FraudPaymentOutside}},
		{RoleCustomer, "你们店的“客服”骗我开共享屏幕，卡里的钱全被转走了！我要报警！", nil},
		{RoleCustomer, "有个群里说给你们店刷好评一单返8块佣金，是你们自己组织的吗？", nil},
		{RoleAgent, "店里招兼职：帮我们拍单冲销量，每单返8%~15%佣金，本金当天退回，想做的加QQ详细说", []Type{FraudBrushing, FraudOffPlatform}},
		{RoleAgent, "No need to use the Carousell checkout, just PayNow me at +65 9123 4567 and I'll take $20 off", []Type{FraudOffPlatform, FraudPaymentOutside, PIIPhone}},
		{RoleAgent, "请登录 https://www.taoba0.com/refund 填写收款信息领取", []Type{FraudRefundLure, URLLookalike}},
		// Round seven: a finance card as payee, a rhetorical "why won't you", "send it
		// back to me", a confirmation number sent to the mobile, an order marked paid by
		// hand, and a brushing message's one-character "加" and rebate.
		{RoleAgent, "The security deposit for your compensation has to go to our finance card 6228 4803 1176 5025", []Type{FraudPaymentOutside, FraudRefundLure, PIIBankCard}},
		{RoleCustomer, "Why won't you just install TeamViewer so I can show you the fault live?", []Type{FraudRemoteControl}},
		{RoleAgent, "In a moment you'll get a 6-digit code, send it back to me so I know it's really you.", []Type{FraudVerificationCode}},
		{RoleAgent, "The system has sent a confirmation number to your mobile. Paste it here and I can release the compensation.", []Type{FraudVerificationCode, FraudRefundLure}},
		{RoleAgent, "Our checkout is down today, so please send the $89.90 via Cash App to $DealsByMarco and I'll mark the order as paid.", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleAgent, "我们店在招体验官：您先拍指定链接，我们不发货，您直接确认收货，本金加10元佣金当天返还给您。", []Type{FraudBrushing}},
		// Round eight: nicknames of apps, euphemisms for the platform's cut, a bank's
		// one-time passcode forwarded, a share button, orders that never ship, and the
		// reader's own wallet, which is no payee.
		{RoleAgent, "DM me on the paper-plane app for the list, @fastreturn_team", []Type{FraudOffPlatform}},
		{RoleCustomer, "mate ill take all 5 but lets just sort it between us yeah, no point giving the site its cut", []Type{FraudOffPlatform}},
		{RoleAgent, "Your bank will text you a one-time passcode, please forward it so I can confirm ownership.", []Type{FraudVerificationCode}},
		{RoleAgent, "Once you've joined the Zoom, tap the green share button at the bottom.", []Type{FraudRemoteControl}},
		{RoleCustomer, "my crew can put 200 orders thru your store, nothing actually ships, you send the money back plus our fee", []Type{FraudBrushing}},
		{RoleAgent, "For the compensation to reach your wallet I also need your payment PIN.", []Type{FraudCredential, FraudRefundLure}},
		{RoleCustomer, "I overpaid by $300 by mistake. Please refund the difference to my Zelle, not through the site", []Type{FraudOffPlatform, FraudPaymentOutside}},
		{RoleCustomer, "got ANOTHER text 'parcel on hold, pay redelivery fee at bit.ly/3xPkg9Q'. is your company leaking our numbers?", []Type{URLShortener}},
		// Round nine: evasive Chinese (pinyin inside a word, homophones, nicknames), a
		// password last in a list asked for, the card a customer paid with, and reports.
		{RoleAgent, "稍后系统会往您手机发一串6位的数字。收到以后直接念给我就行，我这边帮您把退kuan核验通过。", []Type{FraudVerificationCode, FraudRefundLure}},
		{RoleAgent, "点赞关注任务都做完了对吧？佣金不在这儿发，您去小飞机上找接待老师 @tm_helper88 领。", []Type{FraudBrushing, FraudOffPlatform}},
		{RoleAgent, "需要核对一下付款蜜码，就是付款时输的那六位，发过来核实完马上给您解冻。", []Type{FraudCredential}},
		{RoleCustomer, "把千牛子账号的登录口令发我，我帮你们走申诉", []Type{FraudCredential}},
		{RoleAgent, "Please read me the nine-digit address and the temporary password shown on your screen.", []Type{FraudCredential}},
		{RoleCustomer, "Third time the payment has failed with my card. Seriously, fix your website.", nil},
		{RoleCustomer, "can I pay you with Venmo instead?", []Type{FraudPaymentOutside}},
		{RoleCustomer, "你们家信息是不是泄露了？骗子还让我加他V信！今天必须给个说法！", nil},
		{RoleCustomer, "Some 'agent' from your store told me to download AnyDesk to get my refund. I'm reporting this.", nil},
		// A customer who says they overpaid asks to be paid; nothing is offered to them.
		{RoleCustomer, "I accidentally sent too much, please refund the $300 difference to my friend's PayPal as Friends and Family", []Type{FraudPaymentOutside}},
		{RoleAgent, "We refunded you too much by mistake, please send the extra $150 to the account below", []Type{FraudPaymentOutside, FraudRefundLure}},
		{RoleAgent, "To verify the account is yours, I'll just need the 6-digit code we sent you a moment ago.", []Type{FraudVerificationCode}},
		{RoleAgent, "退款通道发您了：http://taobao-tuikuan.top/refund 点进去填一下银行卡信息", []Type{FraudRefundLure, URLLookalike}},
	}
	for _, tt := range tests {
		r := e.Check(tt.role, tt.text)
		var got []Type
		for _, f := range r.Findings {
			if !slices.Contains(got, f.Type) {
				got = append(got, f.Type)
			}
		}
		slices.Sort(got)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Check(%q) types %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestMasking(t *testing.T) {
	e := newTestEngine(t)
	tests := []struct{ text, want string }{
		{"电话 13800138000", "电话 138****8000"},
		{"电话 138-0013-8000", "电话 138-****-8000"},
		{"邮箱 zhang@example.com", "邮箱 z***@example.com"},
		{"身份证 11010519491231002X", "身份证 110***********002X"},
		{"卡号 6222025260181590832", "卡号 622************0832"},
		{"亲，加我微信 wx123456 私下转账更便宜", "亲，加我微信 wx****** 私下转账更便宜"},
		{"地址：广东省深圳市南山区科技园路88号", "地址：广东省*************"},
		{"no personal data here", "no personal data here"},
		// A value written twice is masked twice, even where its context hid it.
		{"订单号 13800138000 手机 13800138000", "订单号 138****8000 手机 138****8000"},
	}
	for _, tt := range tests {
		if got := e.Check(RoleCustomer, tt.text).Masked; got != tt.want {
			t.Errorf("Masked(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// emotionCases are the tone of customer messages, with the counter-examples that keep
// each rule from reaching too far: the same words in a plain question, a thank-you or
// a worry. TestEmotion holds the engine to them, and the tone experiments count the
// counter-examples a model would call angry.
var emotionCases = []struct{ text, want string }{
	{"你们这是什么破服务，气死我了！", EmotionAnger},
	{"WHY IS NOBODY ANSWERING MY MESSAGES", EmotionAnger},
	{"我不生气，就是问问", EmotionNeutral},
	{"I'm not angry at all, just asking", EmotionNeutral},
	{"ok 🙄", EmotionAnger},
	{"行吧😒", EmotionAnger},
	{"好的，收到啦🙂", EmotionPositive},
	{"不太满意", EmotionAnger},
	{"急急急！明天就要用", EmotionAnxiety},
	{"I'm really worried my order got lost", EmotionAnxiety},
	{"谢谢亲，东西收到了很满意", EmotionPositive},
	{"谢谢，不过我真的很着急", EmotionAnxiety},
	{"好的", EmotionNeutral},
	{"收到啦👍", EmotionPositive},
	// A warning about someone else names a scammer without venting; a threat does not.
	{"如果有人要求您提供验证码，那就是骗子", EmotionNeutral},
	{"If anyone asks for your password, it's a scam", EmotionNeutral},
	{"你们要是再不发货就是骗子", EmotionAnger},
	// Capitals glued to digits are a code, not shouting.
	{"优惠码是 SUMMER2024 吗？", EmotionNeutral},
	{"Use code WELCOME15 at checkout", EmotionNeutral},
	{"WHERE IS MY ORDER 2024", EmotionAnger},
	// An agent's rush order, an offer of help and a question about quality carry no
	// tone of their own; a customer's praise of a product does.
	{"已经为您备注加急，今天发出", EmotionNeutral},
	{"Call our hotline if you need help", EmotionNeutral},
	{"这家店靠谱吗", EmotionNeutral},
	{"质量超出预期，下次还来", EmotionPositive},
	// Rhetorical questions about time, futility, broken promises, mock praise,
	// exhaustion, ultimatums, blame and "?!" are anger; the plain questions beside
	// them are not.
	{"都半个月了，要等到什么时候", EmotionAnger},
	{"请问发货一般要多久", EmotionNeutral},
	{"How long do I have to wait for a reply", EmotionAnger},
	{"how long does it take to ship to Canada?", EmotionNeutral},
	{"道歉有什么用，东西都坏了", EmotionAnger},
	{"说好的包邮呢", EmotionAnger},
	{"You promised it would ship on Monday", EmotionAnger},
	{"Ordered two weeks ago and still nothing", EmotionAnger},
	{"thanks for nothing", EmotionAnger},
	{"thanks for the quick reply", EmotionPositive},
	{"I'm sick and tired of this", EmotionAnger},
	{"Refund me today or else", EmotionAnger},
	{"you lost it, that's your fault not mine", EmotionAnger},
	{"you lost it again?! seriously", EmotionAnger},
	{"wait what?!", EmotionNeutral},
	{"真的吗？", EmotionNeutral},
	// Quoted words are someone else's; a feeling supposed of the reader is not the
	// speaker's, but a threat later in the sentence is.
	{"客服说“不要生气”，我没生气啊，就问问", EmotionNeutral},
	{"My neighbour called it 'a terrible shop' but I love my order", EmotionPositive},
	{"这是什么垃圾", EmotionAnger},
	{"如果您对处理结果不满意，可以申请平台介入", EmotionNeutral},
	{"If you're not satisfied, you can return it within 7 days", EmotionNeutral},
	{"If you are not going to fix this I am reporting you to the BBB", EmotionAnger},
	{"你们的处理结果我很不满意", EmotionAnger},
	// Being made a fool of, slang of disbelief, excuses, no-shows, going public and
	// unanswered messages; the neutral uses of the same words stay neutral.
	{"又让我等一周，玩我呢", EmotionAnger},
	{"这价格离大谱了吧", EmotionAnger},
	{"别跟我扯物流的事", EmotionAnger},
	{"The technician no-showed again", EmotionAnger},
	{"Four emails, zero replies", EmotionAnger},
	{"我要发小红书让大家都看看你们家的质量", EmotionAnger},
	{"放心，师傅不会放您鸽子的", EmotionNeutral},
	{"who is responsible for returns at your shop?", EmotionNeutral},
	{"I'm exhausted after moving, can you deliver on Monday?", EmotionNeutral},
	{"give me my order number please", EmotionNeutral},
	// A complaint made against the reader is not the speaker's anger.
	{"店铺被投诉需要缴纳保证金，否则关店", EmotionNeutral},
	// Manners, "this is your …?", passive aggression and last straws; the same
	// words in a plain request are not anger.
	// Reported speech and a conditional without 您 are someone else's feeling; asking how
	// to complain is no complaint; rhetorical demands, brush-offs and everyday English
	// irritation are anger; an agent naming the reader's feeling is not.
	{"我朋友说你们家差评挺多的，想问下这款耳机是原装正品吗？", EmotionNeutral},
	{"请问如果对物流不满意，投诉流程是怎么走的？", EmotionNeutral},
	{"How do I file a complaint about a seller on Amazon?", EmotionNeutral},
	{"Not upset at all, just checking whether the Angry Birds plush comes in large", EmotionNeutral},
	{"身份证号都给你了 还要我发几遍？", EmotionAnger},
	{"说了放门口放门口 烦不烦", EmotionAnger},
	{"why does your site keep declining my card?? so annoying", EmotionAnger},
	{"Nice try. Reported.", EmotionAnger},
	{"不配合后果自负，别怪我没提醒你！", EmotionAnger},
	{"I'm terrified, did someone log in?", EmotionAnxiety},
	{"吓死我了 差点就点进去了", EmotionAnxiety},
	{"你礼貌吗", EmotionAnger},
	{"这就是你们的质检？", EmotionAnger},
	{"Per my last message, the lid is cracked.", EmotionAnger},
	{"This is the last straw.", EmotionAnger},
	{"I'd like to speak to a manager about a bulk order", EmotionNeutral},
	{"宝宝喝完奶吐了，这个奶粉是不是有问题", EmotionNeutral},
	{"Please leave 5 stars if you liked it", EmotionNeutral},
	// Mock agreement, being taken for a mug, acting without asking, taking the
	// business elsewhere; thanks and a plain "in a row" are not.
	{"行行行，您说什么都对", EmotionAnger},
	{"换货都不问我一声？", EmotionAnger},
	{"You had one job", EmotionAnger},
	{"Fine, I'll take my business elsewhere", EmotionAnger},
	{"Thanks for that!", EmotionPositive},
	{"I've ordered three times in a row and love it", EmotionPositive},
	// "Are you serious?" to the shop, disbelief and answers demanded; surprise at a
	// price, a colour and an agent naming the customer's disappointment are not.
	{"你们认真的吗", EmotionAnger},
	{"Not impressed at all.", EmotionAnger},
	{"You're taking the mick now", EmotionAnger},
	{"你是认真的吗？这么便宜", EmotionNeutral},
	{"The colour is shocking pink, love it", EmotionPositive},
	{"理解您的失望，我们马上处理", EmotionNeutral},
	{"心里没底，第一次在你们家买", EmotionAnxiety},
}

func TestEmotion(t *testing.T) {
	e := newTestEngine(t)
	for _, tt := range emotionCases {
		got := e.Check(RoleCustomer, tt.text).Emotion
		if got.Label != tt.want {
			t.Errorf("emotion(%q) = %v, want %s", tt.text, got, tt.want)
		}
		if got.Score < 0 || got.Score > 1 {
			t.Errorf("emotion(%q) score %v outside 0..1", tt.text, got.Score)
		}
	}
}

func TestRoleAndResultShape(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Role
		ok   bool
	}{{"", RoleCustomer, true}, {"customer", RoleCustomer, true}, {"agent", RoleAgent, true}, {"bot", "", false}} {
		got, err := ParseRole(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseRole(%q) = %q, %v", tt.in, got, err)
		}
	}
	e := newTestEngine(t)
	b, err := json.Marshal(e.Check(RoleCustomer, "你好"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"findings":[],"emotion":{"label":"neutral","score":0},"masked":"你好"}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	// The agent role weighs heavier on off-platform moves.
	c, a := e.Check(RoleCustomer, "加我微信"), e.Check(RoleAgent, "加我微信")
	if a.Findings[0].Score <= c.Findings[0].Score {
		t.Errorf("agent score %v not above customer score %v", a.Findings[0].Score, c.Findings[0].Score)
	}
	if r, ok := Explain(a.Findings[0].Rule); !ok || r.ZH == "" || r.EN == "" {
		t.Errorf("rule %q has no reason", a.Findings[0].Rule)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	e := newTestEngine(t)
	for _, l := range readCorpus(t, corpusFile) {
		r := e.Check(l.Role, l.Text)
		want, _ := json.Marshal(r)
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Fatalf("AppendJSON(%q)\n got %s\nwant %s", l.Text, got, want)
		}
	}
	r := Result{Findings: []Finding{}, Masked: "<a&b>\u2028\"\\\x01\xff"}
	want, _ := json.Marshal(r)
	if got := r.AppendJSON(nil); string(got) != string(want) {
		t.Errorf("escaping: got %s, want %s", got, want)
	}
}

// TestAppendJSONString compares the string encoder with encoding/json on random strings
// over the bytes that matter: ASCII specials, UTF-8 lead and continuation bytes, the
// bytes of U+2028, surrogates and overlong forms.
func TestAppendJSONString(t *testing.T) {
	alphabet := []byte{'a', '"', '\\', '<', '>', '&', '\n', 0x01, 0x7F, 0x80, 0xA8, 0xA9, 0xBF, 0xC0, 0xC2,
		0xE0, 0xE1, 0xE2, 0xE4, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		want, _ := json.Marshal(string(b))
		if got := AppendJSONString(nil, string(b)); string(got) != string(want) {
			t.Fatalf("AppendJSONString(%q) = %s, want %s", b, got, want)
		}
	}
	for _, s := range []string{"\u2028\u2029", "中文\u2027", "\xe2\x80\xa8", "\xed\xa0\x80", "\xe0\x80\x80", "亲，加我微信"} {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
	for k := 0; k <= 100; k++ {
		f := math.Round(float64(k)) / 100
		want, _ := json.Marshal(f)
		if got := appendFloat(nil, f); string(got) != string(want) {
			t.Errorf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestConfig(t *testing.T) {
	cfg, err := LoadConfig(fstest.MapFS{
		FileOfficialDomains: {Data: []byte("# only one\nexample-shop.com\n")},
		FileShorteners:      {Data: []byte("sho.rt\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.Check(RoleCustomer, "https://www.example-shop.com/x"); len(r.Findings) != 0 {
		t.Errorf("configured official domain reported: %v", r.Findings)
	}
	if r := e.Check(RoleCustomer, "https://sho.rt/abc"); !r.Has(URLShortener) {
		t.Errorf("configured shortener not reported: %v", r.Findings)
	}
	if r := e.Check(RoleCustomer, "https://bit.ly/abc"); r.Has(URLShortener) {
		t.Errorf("shortener list was not replaced: %v", r.Findings)
	}
	for name, c := range map[string]Config{
		"bad domain": {OfficialDomains: []string{"not a domain"}},
		"bad class":  {Cues: "[nosuchclass]\nword\n"},
		"bad weight": {Emotions: "[anger]\nmad @x\n"},
		"no section": {Cues: "word\n"},
		// after a known class an unknown header would otherwise be read as a phrase
		"unknown class": {Cues: "[app]\nwechat\n[nosuchclass]\nword\n"},
	} {
		if _, err := New(c); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	// The QQ-number class of earlier releases still loads, as does a WeChat emoji code
	// written without a weight.
	for name, c := range map[string]Config{
		"ctxqq":      {Cues: "[ctxqq]\nqq号\n"},
		"emoji code": {Emotions: "[anger]\n[发怒]\n"},
	} {
		if _, err := New(c); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Birth dates after the injected clock are not valid ID numbers.
	old := DefaultConfig()
	old.Now = func() time.Time { return time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC) }
	e, err = New(old)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.Check(RoleCustomer, "身份证 440305199003071236"); r.Has(PIICNID) {
		t.Error("ID born after the clock's date accepted")
	}
}

func TestValidators(t *testing.T) {
	for _, d := range []string{"11010519491231002x", "440305199003071236"} {
		if !validID18(d, 20990101) {
			t.Errorf("validID18(%s) = false", d)
		}
	}
	for _, d := range []string{"110105194902301234", "990105194912310020", "11010518991231002x"} {
		if validID18(d, 20990101) {
			t.Errorf("validID18(%s) = true", d)
		}
	}
	if !luhn("4111111111111111") || luhn("4111111111111112") {
		t.Error("luhn wrong on the classic test number")
	}
	if got := skeleton("ta0bao-arnazon"); got != "taobaoamazon" {
		t.Errorf("skeleton = %q", got)
	}
	if d := osaDistance("taobao", "tabao", 2); d != 1 {
		t.Errorf("osaDistance(taobao, tabao) = %d", d)
	}
	if d := osaDistance("alipay", "aliapy", 2); d != 1 {
		t.Errorf("osaDistance transposition = %d", d)
	}
	if got := normalizeString("ＡＢＣ １２３ 安★全☆ wеchat"); got != "abc 123 安全 wechat" {
		t.Errorf("normalizeString = %q", got)
	}
	if !strings.Contains(tradPairs, "轉转") || len([]rune(tradPairs))%2 != 0 {
		t.Error("tradPairs is not a list of pairs")
	}
}

// TestMatcher compares the automaton with a brute-force search on random patterns and
// texts over a small alphabet (so that patterns overlap and share prefixes often).
func TestMatcher(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// A phrase longer than the depth a state records must still be found inside a long
	// word when the skip of word interiors is on.
	long := strings.Repeat("ab", 80)
	lm := newMatcher([]string{long, "ba"})
	lm.wordStarts = true
	if got := lm.scan([]byte(long), nil); !slices.Contains(got, rawMatch{0, int32(len(long))}) {
		t.Errorf("a %d-byte phrase spanning a whole word: matches %v", len(long), got)
	}
	// Characters of every path of the scan: ASCII, Han characters (one from extension A),
	// a currency sign and a four-byte character.
	alphabet := []string{"a", "b", "c", "微", "信", "加", "¥", "㐀", "𠀀"}
	// The text also has characters in no pattern: an ASCII byte of no class, a Han
	// character the scan steps over, a Han character that shares a lead byte, and bytes
	// that are not UTF-8.
	textAlphabet := append(alphabet, "x", "中", "徽", "ä", "\xff", "\xe4\xb8", "\xe4")
	word := func(alphabet []string, max int) string {
		var sb strings.Builder
		for range 1 + rng.IntN(max) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return sb.String()
	}
	for round := range 2000 {
		var pats []string
		for range 1 + rng.IntN(12) {
			pats = append(pats, word(alphabet[:1+rng.IntN(len(alphabet))], 4))
		}
		m := newMatcher(pats)
		text := word(textAlphabet, 40)
		var want []rawMatch
		for end := 1; end <= len(text); end++ {
			for pi, p := range pats {
				if strings.HasSuffix(text[:end], p) {
					want = append(want, rawMatch{int32(pi), int32(end)})
				}
			}
		}
		got := m.scan([]byte(text), nil)
		less := func(a, b rawMatch) int {
			if a.end != b.end {
				return int(a.end - b.end)
			}
			return int(a.pat - b.pat)
		}
		slices.SortFunc(got, less)
		slices.SortFunc(want, less)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: patterns %q text %q\n got %v\nwant %v", round, pats, text, got, want)
		}
		// Skipping word interiors loses only matches of letter-initial patterns that
		// begin after a letter.
		m.wordStarts = true
		atStart := func(ms []rawMatch) []rawMatch {
			var out []rawMatch
			for _, r := range ms {
				p := pats[r.pat]
				if ns := int(r.end) - len(p); !(isLetter(p[0]) && ns > 0 && isLetter(text[ns-1])) {
					out = append(out, r)
				}
			}
			return out
		}
		got = atStart(m.scan([]byte(text), nil))
		slices.SortFunc(got, less)
		if w := atStart(want); !slices.Equal(got, w) {
			t.Fatalf("round %d, word starts: patterns %q text %q\n got %v\nwant %v", round, pats, text, got, w)
		}
	}
}

// TestResemblesMatchesReference checks the look-alike test, with its character-set
// filter, against the plain definition on brand words with random edits.
func TestResemblesMatchesReference(t *testing.T) {
	e := newTestEngine(t)
	ref := func(reg string) string {
		label, _, _ := strings.Cut(reg, ".")
		parts := strings.Split(label, "-")
		if len(parts) > 1 {
			parts = append(parts, label)
		}
		for _, p := range parts {
			for _, b := range e.brands {
				if p == b.word || len(b.word) < 4 {
					continue
				}
				if skeleton(p) == b.skel {
					return b.word
				}
				if n := len(b.word); n >= 6 && len(p) <= n+2 && len(p) >= n-2 {
					lim := 1
					if n >= 9 {
						lim = 2
					}
					if osaDistance(p, b.word, lim) <= lim {
						return b.word
					}
				}
			}
		}
		return ""
	}
	rng := rand.New(rand.NewPCG(7, 8))
	letters := "abcdefghijklmnopqrstuvwxyz0135-"
	for range 20000 {
		w := []byte(e.brands[rng.IntN(len(e.brands))].word)
		for range rng.IntN(4) {
			i := rng.IntN(len(w) + 1)
			switch rng.IntN(4) {
			case 0:
				w = slices.Insert(w, i, letters[rng.IntN(len(letters))])
			case 1:
				if i < len(w) {
					w = slices.Delete(w, i, i+1)
				}
			case 2:
				if i < len(w) {
					w[i] = letters[rng.IntN(len(letters))]
				}
			default:
				if i+1 < len(w) {
					w[i], w[i+1] = w[i+1], w[i]
				}
			}
		}
		reg := string(w) + ".com"
		if rng.IntN(3) == 0 {
			reg = "my-" + reg
		}
		if got, want := e.resembles(reg), ref(reg); got != want {
			t.Fatalf("resembles(%q) = %q, want %q", reg, got, want)
		}
	}
}

// TestMatcherLexicon compares the automaton built from the real lexicon with a plain
// search for every phrase, on the normalised corpus and on random text made of lexicon
// phrases glued to letters, digits and Han characters. The automaton leaves out matches
// that begin inside a word, which the boundary rule rejects, so both sides are compared
// after that rule.
func TestMatcherLexicon(t *testing.T) {
	e := newTestEngine(t)
	if !e.lex.m.wordStarts {
		t.Error("the lexicon's automaton does not skip word interiors")
	}
	less := func(a, b rawMatch) int {
		if a.end != b.end {
			return int(a.end - b.end)
		}
		return int(a.pat - b.pat)
	}
	// onBoundary is the boundary test of selectTokens.
	onBoundary := func(text string, ms []rawMatch) []rawMatch {
		var out []rawMatch
		for _, m := range ms {
			h := e.lex.hot[m.pat]
			ne := int(m.end)
			ns := ne - int(h.len)
			if h.left != 0 && ns > 0 && asciiKind(text[ns-1]) == int(h.left) ||
				h.right != 0 && ne < len(text) && asciiKind(text[ne]) == int(h.right) {
				continue
			}
			out = append(out, m)
		}
		return out
	}
	var texts []string
	for _, l := range readCorpus(t, corpusFile) {
		texts = append(texts, normalizeString(l.Text))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	glue := []string{"", "", " ", "x", "ab", "7", "中", "-", "re", "un"}
	for range 3000 {
		var sb strings.Builder
		for range 1 + rng.IntN(6) {
			sb.WriteString(glue[rng.IntN(len(glue))])
			sb.WriteString(e.lex.entries[rng.IntN(len(e.lex.entries))].text)
		}
		texts = append(texts, sb.String())
	}
	var got []rawMatch
	for _, text := range texts {
		var want []rawMatch
		for pi, en := range e.lex.entries {
			for i := 0; ; {
				j := strings.Index(text[i:], en.text)
				if j < 0 {
					break
				}
				want = append(want, rawMatch{int32(pi), int32(i + j + len(en.text))})
				i += j + 1
			}
		}
		got = e.lex.m.scan([]byte(text), got[:0])
		g, w := onBoundary(text, got), onBoundary(text, want)
		slices.SortFunc(g, less)
		slices.SortFunc(w, less)
		if !slices.Equal(g, w) {
			t.Fatalf("%q:\n got %v\nwant %v", text, g, w)
		}
	}
}
