package risk

// reasons explains each rule to a person, in Simplified Chinese and English.
var reasons = map[string]Reason{
	"pii.phone.mobile":        {"手机号码属于个人信息，聊天中应脱敏，不要向他人透露。", "A mobile phone number is personal data: mask it and do not pass it on."},
	"pii.phone.landline":      {"带区号的固定电话属于个人信息。", "A landline number with area code is personal data."},
	"pii.phone.international": {"国际电话号码属于个人信息。", "An international phone number is personal data."},
	"pii.cn_id.checksum":      {"身份证号（校验位和出生日期有效）属于敏感个人信息。", "A resident ID number with a valid check character and birth date is sensitive personal data."},
	"pii.cn_id.legacy":        {"15 位旧版身份证号属于敏感个人信息。", "A 15-digit legacy resident ID number is sensitive personal data."},
	"pii.bank_card.luhn":      {"银行卡号（通过 Luhn 校验）属于敏感个人信息，切勿在聊天中留存。", "A bank card number (passes the Luhn check) is sensitive personal data; never keep it in chat."},
	"pii.email":               {"电子邮箱属于个人信息。", "An e-mail address is personal data."},
	"pii.address.zh":          {"详细到门牌号的地址属于个人信息。", "A street-level address is personal data."},
	"pii.address.en":          {"详细到门牌号的地址属于个人信息。", "A street-level address is personal data."},

	"url.ip_host":                            {"链接直接指向 IP 地址，正规平台不会这样发链接。", "The link points at a bare IP address; real platforms do not send such links."},
	"url.shortener":                          {"第三方短链接隐藏了真实网址，请勿点击。", "A third-party short link hides where it leads; do not open it."},
	"url.lookalike.userinfo":                 {"链接在“@”前放了官方域名，实际打开的是另一个网站。", "The link puts an official name before an \"@\"; it really opens another site."},
	"url.lookalike.homoglyph":                {"域名用形近字符冒充官方域名。", "The domain imitates an official one with look-alike characters."},
	"url.lookalike.mixed_script":             {"域名混用了拉丁字母和其他文字，常见于仿冒网站。", "The domain mixes Latin with other scripts, a mark of impersonation."},
	"url.lookalike.brand_tld":                {"域名用了平台品牌名，但不是官方域名。", "The domain uses a platform's brand name but is not the official domain."},
	"url.lookalike.typosquat":                {"域名与官方域名只差一两个字符，是仿冒网站。", "The domain is one or two characters away from an official one."},
	"url.lookalike.brand_word":               {"域名里夹带平台品牌名，但不属于平台。", "The domain contains a platform's brand name but does not belong to it."},
	"fraud.off_platform.add_contact":         {"要求添加微信、QQ 等私人联系方式，把沟通转移到平台之外。", "Asks to add a private chat contact (WeChat, QQ …), moving the conversation off the platform."},
	"fraud.off_platform.ask_contact":         {"索要微信、QQ 等私人联系方式。", "Asks for a private chat contact (WeChat, QQ …)."},
	"fraud.off_platform.contact_id":          {"发送私人聊天账号，引导到平台外联系。", "Shares a private chat account to continue off the platform."},
	"fraud.off_platform.avoid_platform":      {"明确要求绕开平台交易或沟通。", "Asks outright to avoid the platform."},
	"fraud.off_platform.private_deal":        {"提议私下交易或联系。", "Proposes a private deal or contact."},
	"fraud.off_platform.direct_sale":         {"让买家私下付款后发货，交易脱离了平台。", "Takes the sale off the platform: pay privately and the goods are sent."},
	"fraud.off_platform.scheme_app":          {"刷单任务引导到聊天软件上继续，脱离平台保护。", "A brushing scheme moves its tasks to a chat app, away from the platform's protection."},
	"fraud.off_platform.app_payment":         {"提议通过聊天软件转账，绕开平台支付。", "Proposes paying through a chat app instead of the platform."},
	"fraud.verification_code.ask":            {"索要短信验证码：任何人索要验证码都是诈骗信号。", "Asks for an SMS or verification code: anyone who asks for one is a fraud signal."},
	"fraud.verification_code.shared":         {"聊天中出现了验证码，验证码不得告诉任何人。", "A verification code was written in the chat; codes must never be shared."},
	"fraud.credential.ask":                   {"索要密码或支付密码。", "Asks for a password or payment PIN."},
	"fraud.credential.phishing":              {"引导在链接或非官方页面输入密码。", "Leads to entering a password on a link or unofficial page."},
	"fraud.credential.shared":                {"聊天中出现了密码或卡片安全码。", "A password or card security code was written in the chat."},
	"fraud.payment_outside.personal_account": {"要求付款到个人账户或收款码，绕开平台收银台。", "Asks for payment to a personal account or QR code, outside the platform's checkout."},
	"fraud.payment_outside.transfer_target":  {"要求转账到平台以外的账户。", "Asks for a transfer to an account outside the platform."},
	"fraud.payment_outside.card":             {"要求转账到聊天中给出的银行卡。", "Asks for a transfer to a bank card given in the chat."},
	"fraud.payment_outside.gift_card":        {"要求购买礼品卡、充值卡并发送卡密，卡密就是钱，付出后无法追回。", "Asks for gift or prepaid cards and their codes: the code is the money, and it cannot be got back."},
	"fraud.payment_outside.link":             {"要求在平台以外的网页上付款。", "Asks for payment on a web page outside the platform."},
	"fraud.payment_outside.avoid_platform":   {"让买家绕开收银台，改付到个人账户或收款码。", "Steers the buyer away from the checkout to pay a personal account or code instead."},
	"fraud.refund_lure.credit_trap":          {"以备用金、征信、误开通会员等理由诱导操作，是冒充客服退款诈骗的典型话术。", "Uses reserve funds, credit scores or a wrongly opened membership to push the victim: a classic fake-refund script."},
	"fraud.refund_lure.loan":                 {"退款理赔却要求贷款、开通备用金或交保证金。", "A refund or claim that needs a loan, reserve funds or a deposit."},
	"fraud.refund_lure.link":                 {"退款理赔却要求点击非官方链接。", "A refund or claim that needs an unofficial link."},
	"fraud.refund_lure.off_platform":         {"退款理赔却要求到平台外联系。", "A refund or claim handled off the platform."},
	"fraud.refund_lure.action":               {"退款理赔却要求下载、扫码或开通关闭业务。", "A refund or claim that needs downloads, QR codes or account changes."},
	"fraud.refund_lure.secret":               {"以退款理赔为由索要验证码或密码。", "Asks for a code or password to pay a refund or claim."},
	"fraud.refund_lure.card":                 {"以退款为由索要银行卡号，正规退款只原路退回。", "Asks for a bank card number for a refund; real refunds go back the way the money came."},
	"fraud.refund_lure.payment":              {"退款理赔却要求先付款或转账到指定账户。", "A refund or claim that needs the buyer to pay or transfer money first."},
	"fraud.refund_lure.multiple":             {"主动提出多倍赔偿，并要求对方配合操作。", "Offers a multiple of the price as compensation and asks the buyer to act."},
	"fraud.off_platform.model":               {"措辞与把交易引到平台外的诈骗话术高度相似（统计模型）。", "Worded much like scams that move the deal off the platform (statistical model)."},
	"fraud.verification_code.model":          {"措辞与索要验证码的诈骗话术高度相似（统计模型）。", "Worded much like scams that ask for a verification code (statistical model)."},
	"fraud.credential.model":                 {"措辞与索要密码、卡片信息的诈骗话术高度相似（统计模型）。", "Worded much like scams that ask for a password or card details (statistical model)."},
	"fraud.payment_outside.model":            {"措辞与要求平台外付款的诈骗话术高度相似（统计模型）。", "Worded much like scams that ask for payment outside the checkout (statistical model)."},
	"fraud.refund_lure.model":                {"措辞与以退款理赔为诱饵的诈骗话术高度相似（统计模型）。", "Worded much like fake refund and claim scams (statistical model)."},
	"fraud.brushing.model":                   {"措辞与刷单返利类诈骗话术高度相似（统计模型）。", "Worded much like fake-order and paid-review schemes (statistical model)."},
	"fraud.remote_control.model":             {"措辞与要求共享屏幕、远程控制的诈骗话术高度相似（统计模型）。", "Worded much like scams that ask for screen sharing or remote control (statistical model)."},
	"fraud.refund_lure.remote":               {"以退款理赔为由要求共享屏幕或远程控制。", "Asks for screen sharing or remote control to pay a refund or claim."},
	"fraud.brushing.scheme":                  {"刷单、刷信誉、好评返现属于违规和诈骗高发类型。", "Fake orders, boosted ratings and paid reviews break the rules and are a leading fraud type."},
	"fraud.brushing.job":                     {"以兼职任务、日结佣金为名的刷单招募。", "Recruiting for fake-order \"jobs\" with commissions."},
	"fraud.brushing.commission":              {"按任务或订单返佣金，是刷单的典型特征。", "Commission per task or order: the mark of a brushing scheme."},
	"fraud.brushing.review_cash":             {"用返现、红包换好评。", "Cash or red packets in exchange for good reviews."},
	"fraud.remote_control.screen":            {"要求共享屏幕或安装远程控制软件，对方可看到卡号、密码和验证码。", "Asks for screen sharing or remote-control software, which exposes card numbers, passwords and codes."},
	"emotion.tone_model":                     {"语气模型判断这条消息带有怒气：反问、讽刺或冷淡的陈述，与语料中的愤怒消息相近。", "The tone model reads anger in the wording: rhetorical questions, sarcasm or curt statements like those of angry messages."},
	"fraud.remote_control.meeting":           {"要求下载会议软件并进入会议，常用于屏幕共享诈骗。", "Asks to install or join a meeting app, a common step to screen sharing."},
}

// reasonFor returns the explanation of rule, or a generic one.
func reasonFor(rule string) Reason {
	if r, ok := reasons[rule]; ok {
		return r
	}
	return Reason{"检测到风险内容。", "Risky content found."}
}

// Explain returns the explanation of a rule id as reported in [Finding.Rule].
func Explain(rule string) (Reason, bool) {
	r, ok := reasons[rule]
	return r, ok
}
