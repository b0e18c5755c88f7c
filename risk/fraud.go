package risk

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// Fraud findings come from combinations of cue words, never from one ordinary word:
// "微信" alone is not an off-platform move, "加我微信" is; "验证码" alone is not a
// request for a code, "把验证码发给我" is. A cue governed by a negation ("不要加微信",
// "we never ask for your code") or sharing a clause with a warning ("谨防刷单诈骗") is
// advice, not fraud. Each type is reported once per message, with the span of the
// strongest cue.

// fraudTypes indexes the per-type best finding.
var fraudTypes = [...]Type{FraudOffPlatform, FraudVerificationCode, FraudCredential,
	FraudPaymentOutside, FraudRefundLure, FraudBrushing, FraudRemoteControl}

// fraudJudge collects the best finding per fraud type for one message.
type fraudJudge struct {
	sc       *scratch
	c        *cueSet
	best     [len(fraudTypes)]draft
	boost    float64 // added to every score: the agent role, urgency
	customer bool    // the buyer wrote the message
}

// hit records a finding of fraud type index ti over tokens a and b (b may be nil).
func (j *fraudJudge) hit(ti int, a, b *token, score float64, rule string) {
	if a == nil || j.c.warned(a) || b != nil && j.c.warned(b) {
		return
	}
	if b == nil && !j.c.alone(a) {
		return
	}
	s, e := span(a, b)
	if score+j.boost > j.best[ti].score {
		j.best[ti] = draft{typ: fraudTypes[ti], s: s, e: e, score: score + j.boost, rule: rule}
	}
}

// record is hit without the negation test, for rules whose cue is itself a negation.
func (j *fraudJudge) record(ti int, a, b *token, score float64, rule string) {
	if j.c.warned(a) || j.c.warned(b) {
		return
	}
	s, e := span(a, b)
	if score+j.boost > j.best[ti].score {
		j.best[ti] = draft{typ: fraudTypes[ti], s: s, e: e, score: score + j.boost, rule: rule}
	}
}

// each calls hit for every usable token of class cl.
func (j *fraudJudge) each(ti int, cl class, score float64, rule string) {
	j.c.each(cl, func(_ int, t *token) bool {
		j.hit(ti, t, nil, score, rule)
		return true
	})
}

// pair calls hit for the closest usable pair of classes a and b.
func (j *fraudJudge) pair(ti int, a, b class, gap int, score float64, rule string) {
	if !j.c.has(a) || !j.c.has(b) {
		return
	}
	if x, y := j.c.pair(a, b, gap, false); x != nil {
		j.hit(ti, x, y, score, rule)
	}
}

// firstUsable returns the first token of class cl that is neither negated nor warned.
func (j *fraudJudge) firstUsable(cl class) *token {
	var found *token
	j.c.each(cl, func(_ int, t *token) bool {
		if j.c.alone(t) && !j.c.warned(t) {
			found = t
			return false
		}
		return true
	})
	return found
}

// fraudCues are the classes at least one of which every fraud rule needs.
const fraudCues = cApp | cAddApp | cOffStrong | cPrivate | cPay | cTransfer | cTarget | cTargetStrong | cCode |
	cCred | cCVV | cRefund | cLureStrong | cBrushStrong | cJob | cCommission | cCashback |
	cRemoteStrong | cMeeting | cReview | cCancel | cCodeWeak | cPlatform

// Indices of the fraud types in fraudJudge.best, in the order of fraudTypes.
const (
	fOff = iota
	fCode
	fCred
	fPayout
	fRefund
	fBrush
	fRemote
)

// findFraud reports the fraud types whose cue combinations the message holds.
func (e *Engine) findFraud(sc *scratch, role Role) {
	c := &sc.cueSet
	if !c.has(fraudCues) {
		return
	}
	j := &fraudJudge{sc: sc, c: c, customer: role != RoleAgent}
	if role == RoleAgent {
		j.boost += 0.03 // an agent doing this is a critical error in drills
	}
	if c.has(cUrgent) {
		j.boost += 0.02
	}
	// The order matters: later types build on earlier findings.
	j.offPlatform()
	j.secrets()
	j.payment()
	if c.has(cDiscount) {
		for _, ti := range [...]int{fOff, fPayout} {
			if j.best[ti].score > 0 {
				j.best[ti].score += 0.04
			}
		}
	}
	// "skip the checkout, just send $40 to my Cash App": steering the buyer away from
	// the checkout with a payee on offer is a payment outside it.
	if j.best[fOff].rule == "fraud.off_platform.avoid_platform" && j.best[fPayout].score == 0 {
		if t := j.firstUsable(cTarget | cTargetStrong); t != nil && !j.phoneCall(t) {
			j.hit(fPayout, t, nil, 0.85, "fraud.payment_outside.avoid_platform")
		}
	}
	j.brushing()
	j.remote()
	if e.fraud != nil {
		j.model(e.fraud, fRefund, false) // the refund rules build on the other types
	}
	j.directSale()
	j.refund()
	if e.fraud != nil {
		j.model(e.fraud, fRefund, true)
	}
	for _, d := range j.best {
		if d.score > 0 {
			sc.drafts = append(sc.drafts, d)
		}
	}
}

// directSale: "Send $40 to my Cash App and I'll ship today", "转完马上发货", "pay by
// Zelle and I can knock 10% off": a payment outside the checkout for the goods themselves
// takes the sale off the platform (the contract's "private transfers"); a fee, a refund
// step or a task's top-up is only the payment. It runs after the model, whose payment
// findings count too.
func (j *fraudJudge) directSale() {
	if j.best[fPayout].score > 0 && j.best[fOff].score == 0 && j.best[fBrush].score == 0 &&
		!j.c.has(cRefund|cLureStrong|cJob|cCommission|cBrushStrong) {
		if t := j.firstUsable(cSale | cDiscount); t != nil {
			j.hit(fOff, t, nil, 0.85, "fraud.off_platform.direct_sale")
		}
	}
}

// offPlatform: adding a private chat contact, sharing or asking for one, avoiding the
// platform, private deals and transfers through a chat app.
func (j *fraudJudge) offPlatform() {
	sc := j.sc
	j.each(fOff, cAddApp, 0.93, "fraud.off_platform.add_contact")
	j.pair(fOff, cAdd, cApp, 6, 0.93, "fraud.off_platform.add_contact")
	// An add verb of two characters or more ("加一下", "添加", "add me") reaches over
	// a possessive ("加一下售后专员的企业微信"); a one-character "加" or "去" does not.
	j.c.each(cAdd, func(_ int, t *token) bool {
		if t.ne-t.ns >= 6 {
			if a := j.c.closest(t, cApp, 10, false); a != nil {
				j.hit(fOff, t, a, 0.93, "fraud.off_platform.add_contact")
			}
		}
		return true
	})
	j.pair(fOff, cApp, cAsk, 3, 0.88, "fraud.off_platform.ask_contact")
	// "要不您下载个QQ", "download WhatsApp": a chat app to install is where the chat goes.
	j.c.each(cInstall, func(_ int, t *token) bool {
		if w := sc.nt.b[t.ns:t.ne]; !bytes.Contains(w, []byte("下载")) && !bytes.Contains(w, []byte("安装")) &&
			!bytes.Contains(w, []byte("download")) && !bytes.Contains(w, []byte("install")) {
			return true
		}
		// A meeting app ("下载“飞书”进入会议") is remote control's, not a chat moved, and
		// an app's name run into another word ("下载了QQ音乐") names something else.
		a := j.c.closest(t, cApp, 2, false)
		if a != nil && a.s > t.s && a.cls&cMeeting == 0 && !wordGoesOn(sc.nt.b, int(a.ne)) && j.c.alone(t) && !j.c.warned(t) {
			j.hit(fOff, t, a, 0.85, "fraud.off_platform.add_contact")
			return false
		}
		return true
	})
	j.c.each(cApp|cAddApp, func(_ int, t *token) bool {
		if hs, he := handleAfter(sc.nt.b, int(t.ne)); he > hs {
			s, e := sc.nt.origSpan(hs, he)
			if n := len(sc.handles); n > 0 && sc.handles[n-1][0] <= s && e <= sc.handles[n-1][1] {
				sc.handles[n-1] = [2]int{s, e} // "微信 wx123456": the id is "123456"
			} else {
				sc.handles = append(sc.handles, [2]int{s, e})
			}
			j.hit(fOff, t, nil, 0.9, "fraud.off_platform.contact_id")
		}
		return true
	})
	j.each(fOff, cOffStrong, 0.9, "fraud.off_platform.avoid_platform")
	j.pair(fOff, cPrivate, cPay|cTransfer|cApp|cAdd|cAddApp|cTarget, 8, 0.88, "fraud.off_platform.private_deal")
	j.pair(fOff, cApp, cTransfer|cTargetStrong, 6, 0.85, "fraud.off_platform.app_payment")
	// "我微信转你", "支付宝付你": paying through a chat or wallet app to the other person
	// is also a payment outside the checkout, unless it is asked ("能微信转账吗"); "加我
	// 微信转账" names no payee and stays the move off the platform.
	if x, y := j.c.pair(cApp, cTransfer, 6, false); x != nil && !j.sc.nt.question(int(y.s)) && toPerson(j.sc.nt.b[y.ns:y.ne]) {
		j.hit(fPayout, x, y, 0.85, "fraud.payment_outside.transfer_target")
	}
	j.avoidPlatform()
}

// avoidPlatform: moving the purchase away from the shop ("不用在店里拍了", "skip the
// checkout", "走闲鱼太麻烦了") while a payment target or a private contact is on offer in
// the same message.
func (j *fraudJudge) avoidPlatform() {
	c := j.c
	if !c.has(cPlatform) || !c.has(cNeg|cAvoid|cPlatformBad) {
		return
	}
	// What is on offer instead: a payment target or a private contact, or a contact
	// verb of two characters or more ("直接找我", "message me").
	offer := j.firstUsable(cTransfer|cTarget|cTargetStrong|cApp|cAddApp|cPrivate) != nil || j.longAdd()
	if !offer && j.firstUsable(cAdd) == nil {
		return
	}
	c.each(cPlatform, func(i int, t *token) bool {
		if j.c.warned(t) {
			return true
		}
		// "私信我，这边说话不方便", "this chat is monitored": the channel itself called
		// the wrong place, in one phrase, with a contact verb or a payment on offer.
		if t.cls&cPlatformBad != 0 {
			j.hit(fOff, t, nil, 0.85, "fraud.off_platform.avoid_platform")
			return true
		}
		if !offer {
			return true
		}
		// "不用在店里拍", "skip the checkout": the avoiding word right before; a
		// negation only next to the place, an avoiding word or a price comparison a few
		// words before it in the clause ("cheaper than using the Etsy checkout").
		if i > 0 {
			p := &c.toks[i-1]
			gap := 2
			if p.cls&cNeg == 0 && c.nt.sameClause(int(p.e), int(t.s)) {
				gap = 6
			}
			if p.cls&(cNeg|cAvoid) != 0 && c.nt.gapLimit(int(p.ne), int(t.ns), gap+1) <= gap && c.alone(p) && !c.warned(p) {
				j.record(fOff, p, t, 0.85, "fraud.off_platform.avoid_platform")
			}
		}
		// "先别拍", "don't order": the avoiding and the place in one phrase.
		if t.cls&cAvoid != 0 {
			j.hit(fOff, t, nil, 0.85, "fraud.off_platform.avoid_platform")
		}
		// "走闲鱼太麻烦了", "直播间下单太慢": a complaint right after, perhaps past a verb.
		for k := i + 1; k < len(c.toks) && k <= i+2; k++ {
			n := &c.toks[k]
			if c.nt.gapLimit(int(t.ne), int(n.ns), 5) > 4 {
				break
			}
			if n.cls&cPlatformBad != 0 && c.alone(t) {
				j.record(fOff, t, n, 0.85, "fraud.off_platform.avoid_platform")
				break
			}
		}
		return true
	})
}

// longAdd reports a usable add or contact verb of two characters or more ("找我",
// "message me"); a one-character "加", "去" or "来" is too common to count alone.
func (j *fraudJudge) longAdd() bool {
	found := false
	j.c.each(cAdd, func(_ int, t *token) bool {
		found = t.ne-t.ns >= 6 && j.c.alone(t) && !j.c.warned(t)
		return !found
	})
	return found
}

// secrets: verification codes and credentials, asked for or handed over.
func (j *fraudJudge) secrets() {
	sc, c := j.sc, j.c
	j.pair(fCode, cCode, cAsk, 12, 0.95, "fraud.verification_code.ask")
	if c.has(cAskWeak) && (c.has(cRefund|cRemoteStrong|cLureStrong) || nonOfficialLink(sc)) {
		j.pair(fCode, cCode, cAskWeak, 8, 0.8, "fraud.verification_code.ask")
		j.pair(fCred, cCred|cCVV, cAskWeak, 12, 0.85, "fraud.credential.phishing") // "enter your card number, expiry and CVV"
	}
	// "请提供您的支付宝账号和收到的验证码": the code is the last of a list of things asked
	// for, and the request reaches over the list within its clause.
	// So is a password: "read me the nine-digit address and the temporary password".
	if j.best[fCode].score == 0 {
		c.each(cCode, func(_ int, t *token) bool {
			if ask := c.closest(t, cAsk, 24, true); ask != nil && sc.nt.sameClause(int(ask.e), int(t.s)) &&
				listBetween(sc.nt.b[ask.ne:t.ns]) {
				j.hit(fCode, t, ask, 0.9, "fraud.verification_code.ask")
			}
			return true
		})
	}
	if j.best[fCred].score == 0 {
		c.each(cCred, func(_ int, t *token) bool {
			if ask := c.closest(t, cAsk, 24, true); ask != nil && sc.nt.sameClause(int(ask.e), int(t.s)) &&
				listBetween(sc.nt.b[ask.ne:t.ns]) && !smsAfter(c, t) {
				j.hit(fCred, t, ask, 0.9, "fraud.credential.ask")
			}
			return true
		})
	}
	// "the security code we texted you", "the passcode we just sent": a password or
	// security-code word with an SMS word right after it names a one-time code.
	sent, kept := false, false
	c.each(cCred|cCVV, func(_ int, t *token) bool {
		if !smsAfter(c, t) {
			kept = true
			return true
		}
		sent = true
		if ask := c.closest(t, cAsk, 12, false); ask != nil {
			j.hit(fCode, t, ask, 0.92, "fraud.verification_code.ask")
		}
		return true
	})
	if kept || !sent {
		j.pair(fCred, cCred|cCVV, cAsk, 12, 0.95, "fraud.credential.ask")
	}
	// "read me the code we just texted you", "send me the code": a bare "the code" is a
	// verification code beside an SMS word (unless a coupon, voucher or tracking word
	// shares its clause), or right after a request (unless such a word is anywhere in the
	// message). English asks before the object ("send me the code"); Chinese may also put
	// the object first and the verb after it ("那个码发我一下").
	const otherCode = cCodeOther | cDiscount | cCtxTrack | cCtxOrder | cTarget
	c.each(cCodeWeak, func(_ int, t *token) bool {
		if c.inClause(t, otherCode) {
			return true
		}
		sms := c.closest(t, cSMS, 10, false) != nil
		if bareCode(sc, t) && !sms {
			return true // "code" alone is a one-time code only beside an SMS word
		}
		if sms {
			// Anchored by the SMS word, the request may come a clause later in the same
			// sentence: "a code is on its way to your phone, I just need you to repeat it
			// back to me".
			if ask := c.closest(t, cAsk, 40, false); ask != nil && (c.closest(t, cAsk, 12, false) != nil || sc.nt.sentenceOf(int(ask.s)) == sc.nt.sentenceOf(int(t.s))) {
				j.hit(fCode, t, ask, 0.92, "fraud.verification_code.ask")
			}
		} else if ask := c.closest(t, cAsk, 2, sc.nt.b[t.ns] < utf8.RuneSelf); ask != nil &&
			!c.has(cCodeOther|cDiscount|cCtxTrack|cRemoteStrong) && !sentenceHas(c, t, cCtxOrder|cTarget) {
			// A tracking or coupon word anywhere says which code is meant ("What's the
			// tracking code? Send me the code"); an order or account only in its own
			// sentence ("Your order was charged twice; … tell us the code").
			// With a remote-control tool named and no SMS word near, a bare "the code"
			// is the tool's connection code ("open Quick Assist and give me the code",
			// "tell me the code it shows"), reported as remote control.
			j.hit(fCode, t, ask, 0.82, "fraud.verification_code.ask")
		}
		return true
	})
	// "the code is 483920": a code written out after a bare "the code" is a
	// verification code handed over, unless a coupon, pickup or tracking word shares
	// its clause ("the pickup code is 4839" is not a secret).
	c.each(cCodeWeak, func(_ int, t *token) bool {
		if !bareCode(sc, t) && !c.inClause(t, otherCode) && secretAfter(sc.nt.b, int(t.ne), true) {
			j.hit(fCode, t, nil, 0.85, "fraud.verification_code.shared")
		}
		return true
	})
	c.each(cCode|cCred|cCVV, func(_ int, t *token) bool {
		if secretAfter(sc.nt.b, int(t.ne), t.cls&cCode != 0) {
			ti, rule := fCred, "fraud.credential.shared"
			if t.cls&cCode != 0 {
				ti, rule = fCode, "fraud.verification_code.shared"
			}
			j.hit(ti, t, nil, 0.85, rule)
		}
		return true
	})
}

// payment: paying outside the checkout, to a personal account, QR code or card.
func (j *fraudJudge) payment() {
	nt := j.sc.nt
	j.c.each(cTargetStrong, func(_ int, t *token) bool {
		// "Do you offer a discount for paying by bank transfer at checkout?": a buyer
		// asking how they may pay, with nothing asked of the reader, as "支持微信支付吗".
		if j.customer && (nt.question(int(t.s)) || nt.sentenceQuestion(int(t.s))) && !addressesReader(nt.b, t) && !j.askedBefore(t) {
			return true
		}
		// "We accept bank transfer at checkout": a way to pay, named beside the platform's
		// own checkout in its clause, with nothing steering away from it. A platform
		// named further off ("Etsy checkout is glitchy rn so could u send it thru PayPal
		// friends & family") is what the payment goes around.
		if w := nt.b[t.ns:t.ne]; !bytes.Contains(w, []byte("my")) && !bytes.Contains(w, []byte("我")) &&
			!bytes.Contains(w, []byte("me")) && j.c.inClause(t, cPlatform) && j.c.closest(t, cPlatform, 6, false) != nil &&
			!j.c.has(cOffStrong|cAvoid|cPrivate) {
			return true
		}
		if !j.ownRefund(t) && !j.phoneCall(t) {
			j.hit(fPayout, t, nil, 0.9, "fraud.payment_outside.personal_account")
		}
		return true
	})
	// "the payment has failed with my card": the card a customer pays with is no payee.
	if x, y := j.c.pair(cPay|cTransfer, cTarget, 10, false); x != nil && !j.ownRefund(x) && !j.ownRefund(y) &&
		!(j.customer && y.s > x.s && instrumentBetween(nt.b[x.ne:y.ns], nt.b[y.ns:y.ne])) {
		j.hit(fPayout, x, y, 0.88, "fraud.payment_outside.transfer_target")
	}
	// "http://47.96.12.8/pay 在这里付款": paying on a page that is not the platform's.
	if l := j.nonOfficialLinkNear(cPay|cTransfer, 12); l != nil {
		j.hit(fPayout, l, nil, 0.85, "fraud.payment_outside.link")
	}
	// "buy two gift cards and send me the codes", "把卡密发给我": a prepaid or gift card
	// (listed both as a payment target and as a code that is not a login secret) whose
	// code is asked for is the payment itself.
	j.c.each(cTarget, func(_ int, t *token) bool {
		if t.cls&cCodeOther != 0 {
			if ask := j.c.closest(t, cAsk, 8, false); ask != nil {
				j.hit(fPayout, t, ask, 0.88, "fraud.payment_outside.gift_card")
			}
		}
		return true
	})
	if t := j.firstUsable(cPay | cTransfer); t != nil && !j.ownRefund(t) {
		for _, d := range j.sc.drafts {
			// "My payment with the Amex 3742 …", "我用招行卡付的款": the card a customer
			// paid with is theirs, not a payee.
			if d.typ == PIIBankCard && d.s-int(t.e) <= 15 && int(t.s)-d.e <= 15 && !(j.customer && paidWith(j.sc, t, d)) {
				j.hit(fPayout, t, nil, 0.9, "fraud.payment_outside.card")
			}
		}
	}
}

// brushing: fake orders, paid reviews, "task" jobs.
func (j *fraudJudge) brushing() {
	j.each(fBrush, cBrushStrong, 0.92, "fraud.brushing.scheme")
	j.pair(fBrush, cJob, cCommission|cCashback|cTask, 20, 0.85, "fraud.brushing.job")
	j.pair(fBrush, cCommission, cTask|cReview, 12, 0.85, "fraud.brushing.commission")
	j.pair(fBrush, cJob, cReview, 12, 0.85, "fraud.brushing.job")
	j.pair(fBrush, cCashback, cReview, 10, 0.88, "fraud.brushing.review_cash")
	j.c.each(cReview, func(_ int, t *token) bool {
		// "好评返5元", "晒图送红包": a reward right after the review.
		if rest := j.sc.nt.b[t.ne:]; bytes.HasPrefix(rest, []byte("返")) || bytes.HasPrefix(rest, []byte("送")) {
			j.hit(fBrush, t, nil, 0.88, "fraud.brushing.review_cash")
		}
		return true
	})
	// "I'll leave a 5 star review if you send me $10 back on Venmo", "五星好评后返到你
	// 支付宝": a review paid for into a wallet or account. A code to scan ("好评后扫码
	// 关注店铺") pays nobody.
	j.c.each(cReview, func(_ int, t *token) bool {
		if !j.c.alone(t) || j.c.warned(t) {
			return true
		}
		if y := j.c.closest(t, cTarget, 16, false); y != nil && !scanWord(j.sc.nt.b[y.ns:y.ne]) {
			j.hit(fBrush, t, y, 0.85, "fraud.brushing.review_cash")
			return false
		}
		return true
	})
	// "Part-time job: … full reimbursement plus 15% commission per order": a job offer
	// paid by the order reads as brushing however long the sentence between.
	if j.c.has(cJob) && countClass(j.c, cCommission|cCashback) >= 2 {
		j.hit(fBrush, j.firstUsable(cJob), nil, 0.82, "fraud.brushing.job")
	}
	// "你先垫付这单的货款，…返给你": money advanced for an order and paid back.
	j.pair(fBrush, cCommission, cCashback, 16, 0.85, "fraud.brushing.commission")
	// "点赞关注抖音视频，一个两块，满十块就能提现": several tasks and what they pay out, in
	// one message, whatever stands between.
	if countClass(j.c, cTask) >= 2 && j.c.has(cCommission) {
		if t := j.firstUsable(cCommission); t != nil {
			j.hit(fBrush, t, nil, 0.8, "fraud.brushing.commission")
		}
	}
	if countClass(j.c, cJob) >= 3 {
		j.hit(fBrush, j.firstUsable(cJob), nil, 0.8, "fraud.brushing.job")
	}
	// A brushing scheme moves its workers to a chat app for the tasks ("tasks sent on
	// Telegram"): the app's name in the same message is where it goes next.
	if j.best[fBrush].score > 0 {
		if t := j.firstUsable(cApp); t != nil {
			j.hit(fOff, t, nil, 0.8, "fraud.off_platform.scheme_app")
		}
	}
}

// remote: screen sharing, remote-control and meeting apps.
func (j *fraudJudge) remote() {
	nt := j.sc.nt
	j.c.each(cRemoteStrong, func(_ int, t *token) bool {
		// "这个投影仪支持屏幕共享吗", "I share my screen with my team…, can your software
		// do that?": a question about a product's feature, with nothing for the buyer to
		// open or install and no money, code or refund in the message, is not the scam.
		if (nt.question(int(t.s)) || nt.sentenceQuestion(int(t.s))) && !addressesReader(nt.b, t) &&
			!j.c.has(cInstall|cAsk|cAskWeak|cRequest|cRefund|cLure|cLureWeak|cLureStrong|cPay|cTransfer|cCode|cCodeWeak|cCred) {
			return true
		}
		j.hit(fRemote, t, nil, 0.92, "fraud.remote_control.screen")
		return true
	})
	j.pair(fRemote, cMeeting, cInstall|cRefund|cLure|cCode|cPay, 15, 0.85, "fraud.remote_control.meeting")
	// "it will charge $299 every month unless we cancel it together on a Zoom call": the
	// cancel-or-be-charged script carried into a meeting app.
	if j.c.has(cCharge) {
		j.pair(fRemote, cMeeting, cCancel|cCharge, 30, 0.85, "fraud.remote_control.meeting")
	}
}

// refund: a refund or claim that needs the buyer to act outside the normal flow. It
// runs last because several of its rules build on the other types.
func (j *fraudJudge) refund() {
	c := j.c
	j.each(fRefund, cLureStrong, 0.9, "fraud.refund_lure.credit_trap")
	// "不关闭会员每月扣费", "关闭京东金条，否则…": cancel or be charged, or a loan or credit
	// product to be closed under a charge or a deadline. Asked as a question ("取消订单
	// 会扣费吗") it is a customer's worry, not a threat.
	if x, y := c.pair(cCancel, cCharge, 12, false); x != nil && !j.sc.nt.question(int(y.s)) {
		j.hit(fRefund, x, y, 0.85, "fraud.refund_lure.credit_trap")
	}
	if c.has(cCharge | cUrgent) {
		if x, y := c.pair(cLure, cCancel, 6, false); x != nil && !j.sc.nt.question(int(x.s)) {
			j.hit(fRefund, x, y, 0.85, "fraud.refund_lure.credit_trap")
		}
	}
	// "把确认码告诉我，我帮你关掉自动扣费": a code or password asked for to stop a charge
	// is the same script without the word "refund".
	if j.best[fCode].score > 0 || j.best[fCred].score > 0 {
		if ch := j.firstUsable(cCharge); ch != nil && !j.sc.nt.question(int(ch.s)) {
			j.hit(fRefund, ch, nil, 0.85, "fraud.refund_lure.credit_trap")
		}
	}
	// "打开屏幕共享，我教您取消会员": cancelling a membership or subscription while
	// the screen is shared or a secret is asked for.
	if j.best[fRemote].score > 0 || j.best[fCode].score > 0 || j.best[fCred].score > 0 {
		if x, y := c.pair(cCancel, cLureWeak|cCharge|cLure, 6, false); x != nil && !j.sc.nt.question(int(x.s)) {
			j.hit(fRefund, x, y, 0.85, "fraud.refund_lure.credit_trap")
		}
	}
	// "会员每月自动扣费，我们在腾讯会议里帮您一起取消": the same script in a meeting
	// app, where the cancel and the charge may stand further apart.
	if j.best[fRemote].score > 0 && c.has(cCharge) {
		if x, y := c.pair(cCancel, cCharge, 40, false); x != nil && !j.sc.nt.question(int(x.s)) {
			j.hit(fRefund, x, y, 0.85, "fraud.refund_lure.credit_trap")
		}
	}
	// "打开支付宝备用金，把额度提出来转到银行卡": money drawn on a credit product and moved
	// on an instruction is the credit step of the fake-refund script, with or without the
	// word "refund"; asked about ("借呗的钱能转到银行卡吗") it is a customer's question.
	// A fee or deposit to be paid ("保证金补缴…转入指定账户") is a payment, not a credit line
	// drawn: a pay word right beside the lure word says so.
	if x, y := c.pair(cLure, cTransfer, 20, false); x != nil && !j.sc.nt.question(int(y.s)) && j.best[fBrush].score == 0 &&
		c.closest(x, cPay, 2, false) == nil && creditWord(j.sc.nt.b[x.ns:x.ne]) {
		j.hit(fRefund, x, y, 0.85, "fraud.refund_lure.credit_trap")
	}
	r := j.firstUsable(cRefund)
	// A customer who says they overpaid ("I accidentally sent too much, please refund
	// the difference to my friend's PayPal") asks to be paid; nothing is offered.
	if r == nil || j.customer && (overpaidBefore(j.sc.nt.b[:r.ns]) || ownRefundClaim(j.sc.nt.b)) {
		return
	}
	// In a brushing message "先垫付后返还" is the task's prepayment and rebate, not a
	// refund: the rules that rest on loan and action words alone stand aside.
	rebate := j.best[fBrush].score > 0
	// "退款会转到花呗吗": asked, it is a buyer wondering where the refund goes.
	if l := j.firstUsable(cLure); l != nil && !rebate && !j.sc.nt.question(int(l.s)) {
		j.hit(fRefund, r, l, 0.9, "fraud.refund_lure.loan")
	}
	if nonOfficialLink(j.sc) {
		j.hit(fRefund, r, nil, 0.92, "fraud.refund_lure.link")
	}
	if j.best[fOff].score > 0 && !rebate {
		j.hit(fRefund, r, nil, 0.85, "fraud.refund_lure.off_platform")
	}
	if w := j.firstUsable(cLureWeak); w != nil && !rebate && (c.has(cUrgent|cPay|cCode|cCred) || countClass(c, cLureWeak) >= 2) {
		j.hit(fRefund, r, w, 0.8, "fraud.refund_lure.action")
	}
	if j.best[fCode].score > 0 || j.best[fCred].score > 0 {
		j.hit(fRefund, r, nil, 0.85, "fraud.refund_lure.secret")
	}
	if _, y := c.pair(cAsk, cCtxCard, 8, false); y != nil && !speakersOwn(j.sc.nt.b, y) {
		j.hit(fRefund, r, y, 0.85, "fraud.refund_lure.card")
	}
	if j.best[fRemote].score > 0 {
		j.hit(fRefund, r, nil, 0.88, "fraud.refund_lure.remote")
	}
	// "我们按两倍赔付，扫一下这个理赔二维码", "需要给您三倍赔偿，麻烦配合一下": a multiple
	// of the price offered to the reader, unasked, is the pretext of the fake-claim
	// script; with anything for the buyer to do in the message it is the lure.
	if c.has(cLureWeak|cTarget|cAsk|cAskWeak|cInstall|cAdd|cApp|cPay|cTransfer|cCode|cCred|cRequest) && j.multipleOffer() {
		j.hit(fRefund, r, nil, 0.85, "fraud.refund_lure.multiple")
	}
	// The buyer told to move money to an account or card to get a refund; not "PayPal
	// me the refund", where the speaker is the one to be paid.
	// An agent naming their own account ("send the $200 deposit to my Cash App and I'll
	// push your refund through") is the same step.
	if p := j.best[fPayout]; p.rule == "fraud.payment_outside.transfer_target" || p.rule == "fraud.payment_outside.card" ||
		p.rule == "fraud.payment_outside.gift_card" || p.rule == "fraud.payment_outside.personal_account" && !j.customer {
		j.hit(fRefund, r, nil, 0.88, "fraud.refund_lure.payment")
	}
}

// multipleOffer reports whether a usable refund word stands beside a multiple ("三倍
// 赔偿", "按两倍赔付", "退款三倍", "double compensation") that is offered, not demanded:
// "我要求三倍赔偿" and "I want double compensation" are a buyer's claim, and a question
// ("能双倍赔偿吗") asks for one.
func (j *fraudJudge) multipleOffer() bool {
	b := j.sc.nt.b
	found := false
	j.c.each(cRefund, func(_ int, t *token) bool {
		if !j.c.alone(t) || j.c.warned(t) || j.sc.nt.question(int(t.s)) {
			return true
		}
		near := b[max(0, int(t.ns)-9):min(len(b), int(t.ne)+9)]
		before := b[max(0, int(t.ns)-15):t.ns]
		if !bytes.Contains(near, []byte("倍")) && !bytes.HasSuffix(before, []byte("double ")) &&
			!bytes.HasSuffix(before, []byte("triple ")) {
			return true
		}
		if containsAny(before, "要求", "我要", "想要", "应该", "应当", "demand", "want", "expect", "deserve", "entitled") {
			return true
		}
		found = true
		return false
	})
	return found
}

// wordGoesOn reports whether the text at b[i:] continues the word before i: a letter,
// a digit or a Han character.
func wordGoesOn(b []byte, i int) bool {
	if i >= len(b) {
		return false
	}
	if b[i] < utf8.RuneSelf {
		return asciiKind(b[i]) != 0
	}
	r, _ := utf8.DecodeRune(b[i:])
	return isHan(r)
}

// sentenceHas reports whether a token of class cl stands in t's sentence.
func sentenceHas(c *cueSet, t *token, cl class) bool {
	if !c.has(cl) {
		return false
	}
	k := c.nt.sentenceOf(int(t.s))
	found := false
	c.each(cl, func(_ int, u *token) bool {
		found = c.nt.sentenceOf(int(u.s)) == k
		return !found
	})
	return found
}

// scanWord reports whether b, a payment target, is a code to scan ("扫码", "二维码",
// "QR code") rather than an account or wallet.
func scanWord(b []byte) bool {
	return bytes.Contains(b, []byte("码")) || bytes.Contains(b, []byte("扫")) || bytes.Contains(b, []byte("qr"))
}

// phoneCall reports whether t, a payee word, is a call after a phone word: in "留个电话
// 我打给你" the "打给你" is a call, not a payment.
func (j *fraudJudge) phoneCall(t *token) bool {
	return bytes.HasPrefix(j.sc.nt.b[t.ns:t.ne], []byte("打给")) && j.c.closest(t, cCtxPhone, 4, true) != nil
}

// addressesReader reports whether t, or the few words before it, speak to the reader
// or ask something of them ("share your screen", "您能开一下屏幕共享吗", "能不能共享一下
// 屏幕"): a request, even when put as a question.
func addressesReader(b []byte, t *token) bool {
	before := b[max(0, int(t.ns)-12):t.ne]
	return containsAny(before, "你", "您", "you", "能不能", "可不可以", "请", "麻烦", "please", "can ", "could ")
}

// askedBefore reports whether a request stands before t in its clause: "could u send
// the $86 thru PayPal friends & family" asks the reader to pay, question mark or not.
func (j *fraudJudge) askedBefore(t *token) bool {
	a := j.c.closest(t, cAsk, 12, true)
	return a != nil && j.c.alone(a) && j.sc.nt.sameClause(int(a.e), int(t.s))
}

// toPerson reports whether a transfer word names its payee: "转你", "付给你", "转给我".
func toPerson(b []byte) bool {
	return bytes.HasSuffix(b, []byte("你")) || bytes.HasSuffix(b, []byte("我")) || bytes.HasSuffix(b, []byte("您"))
}

// bareCode reports whether t is the word "code" alone. It is listed so that a request
// that ends in an article ("read the", "reply with the"), which leaves no "the code" to
// match, still has its object; elsewhere "code" names too many things ("appointment
// code", "error code") to count without an SMS word beside it.
func bareCode(sc *scratch, t *token) bool { return string(sc.nt.b[t.ns:t.ne]) == "code" }

// listBetween reports whether b, the words between a request and what it asks for,
// holds a list ("您的支付宝账号和收到的", "your account number and the"): the request then
// governs every item.
func listBetween(b []byte) bool {
	for _, sep := range [...]string{"和", "及", "、", "跟", " and ", "以及"} {
		if bytes.Contains(b, []byte(sep)) {
			return true
		}
	}
	return false
}

// ownRefund reports whether t, an account of the speaker's own ("到我的银行卡") or a
// transfer to a card, is where a buyer asks the refund to go: "退款退到我的银行卡",
// "把退款打到我的卡上", "退款请打到 6217…", "退款会退到这个账户吗". The refund word right
// before it is what is moved, so the speaker is the one to be paid, as in "refund it to
// my Venmo"; "先转200到我的卡" has no such word and "退款先打到这个账户" puts a payment
// first, so both stay payments.
func (j *fraudJudge) ownRefund(t *token) bool {
	if !j.customer {
		return false
	}
	r := j.c.closest(t, cRefund, 2, true)
	if r == nil || !j.sc.nt.sameClause(int(r.e), int(t.s)) {
		return false
	}
	// "We'll refund you via Zelle": a refund the speaker makes to the reader.
	if w := j.sc.nt.b[r.ns:r.ne]; bytes.Contains(w, []byte("you")) || bytes.Contains(w, []byte("你")) || bytes.Contains(w, []byte("您")) {
		return false
	}
	// "退款先打到这个账户": a payment to be made first is the scam's step, not the refund.
	between := j.sc.nt.b[r.ne:t.ns]
	if bytes.Contains(between, []byte("先")) || bytes.Contains(between, []byte("first")) {
		return false
	}
	// "send my extra money back to my Cash App", "多转的钱退到我支付宝": money the
	// speaker says they overpaid is the overpayment script, not a refund of an order.
	return !overpaidBefore(j.sc.nt.b[max(0, int(r.ns)-16):r.ns])
}

// instrumentBetween reports whether b, the words between a payment word and a payee
// word after it, make the payee the speaker's means of paying ("failed with my card",
// "用我的卡"), not a service to pay the reader through ("can I pay you with Venmo").
func instrumentBetween(b, payee []byte) bool {
	if containsAny(b, "with my", "with the", "用我") {
		return true
	}
	// "failed with my card": the possessive may begin the payee word itself
	own := bytes.HasPrefix(payee, []byte("my ")) || bytes.HasPrefix(payee, []byte("我"))
	return own && (bytes.HasSuffix(b, []byte("with ")) || bytes.HasSuffix(b, []byte("用")))
}

// paidWith reports whether the text between the payment word t and the card d names the
// card as what was paid with ("my payment with the Amex …"), as instrumentBetween reads
// a payee word.
func paidWith(sc *scratch, t *token, d draft) bool {
	lo, hi := int(t.e), d.s
	if d.e < int(t.s) {
		lo, hi = d.e, int(t.s)
	}
	if lo >= hi {
		return false
	}
	return instrumentBetween([]byte(strings.ToLower(sc.nt.origText(lo, hi))), nil)
}

// ownRefundClaim reports whether a customer's message claims a refund for the speaker
// ("这单我要退货退款，你用PayPal直接退给我", "I want my money back"): a buyer asking to
// be paid, however, is not offered a lure.
func ownRefundClaim(b []byte) bool {
	return containsAny(b, "退给我", "我要退", "退我", "我的退款", "refund me", "my money back", "refund to me", "my refund")
}

// creditWord reports whether b, a lure word, names a credit product or a loan ("借呗",
// "备用金", "白条", "loan"): money drawn on one and moved is the credit step of the
// fake-refund script, while a deposit or fee moved ("整改保证金转到审核专员支付宝") is a
// payment.
func creditWord(b []byte) bool {
	return containsAny(b, "借", "贷", "花呗", "白条", "金条", "备用金", "额度", "征信", "信用", "loan", "credit")
}

// overpaidBefore reports whether b, the text before a refund word, says that what is
// to be sent back is money the speaker claims to have overpaid.
func overpaidBefore(b []byte) bool {
	return containsAny(b, "extra", "too much", "overpaid", "多转", "多付", "多打", "多出")
}

// speakersOwn reports whether t, a card word, is the speaker's own: "here is my card",
// "我的银行卡" offer a card; a lure asks for the buyer's ("your card number").
func speakersOwn(b []byte, t *token) bool {
	before := b[:t.ns]
	return bytes.HasSuffix(before, []byte("my ")) || bytes.HasSuffix(before, []byte("我的"))
}

// smsAfter reports whether an SMS word ("texted", "短信") follows t within four reading
// units in its clause: "the security code we texted you" is a one-time code.
func smsAfter(c *cueSet, t *token) bool {
	if !c.has(cSMS) {
		return false
	}
	for k := int(t.idx) + 1; k < len(c.toks); k++ {
		n := &c.toks[k]
		if c.nt.gapLimit(int(t.ne), int(n.ns), 5) > 4 || !c.nt.sameClause(int(t.e), int(n.s)) {
			return false
		}
		if n.cls&cSMS != 0 {
			// "登录密码和手机刚收到的验证码": a list puts the SMS word on the next item.
			return !listBetween(c.nt.b[t.ne:n.ns])
		}
	}
	return false
}

// nonOfficialLinkNear returns the first usable token of class cl that stands at most
// gap reading units from a link outside the official domains, in the same sentence.
func (j *fraudJudge) nonOfficialLinkNear(cl class, gap int) *token {
	if !j.c.has(cl) || !nonOfficialLink(j.sc) {
		return nil
	}
	nt, links := &j.sc.nt, j.sc.links // links are in text order
	var found *token
	j.c.each(cl, func(_ int, t *token) bool {
		// The two links on each side of the token are the only ones that can be near.
		k := sort.Search(len(links), func(i int) bool { return links[i].s >= int(t.e) })
		for _, l := range links[max(k-2, 0):min(k+2, len(links))] {
			if l.official || nt.sentenceOf(l.s) != nt.sentenceOf(int(t.s)) {
				continue
			}
			// Reading units between the link and the token, whichever comes first.
			a, b := l.e, int(t.s)
			if int(t.e) <= l.s {
				a, b = int(t.e), l.s
			}
			if b-a <= 2*gap && nt.unitsBetween(a, b, gap+1) <= gap && j.c.alone(t) && !j.c.warned(t) {
				found = t
				return false
			}
		}
		return true
	})
	return found
}

// nonOfficialLink reports whether the message has a link outside the official domains.
func nonOfficialLink(sc *scratch) bool {
	for _, l := range sc.links {
		if !l.official {
			return true
		}
	}
	return false
}

func countClass(c *cueSet, cl class) int {
	n := 0
	c.each(cl, func(int, *token) bool { n++; return true })
	return n
}

// connectors may stand between a chat app's name and an account id: "微信号：abc8866",
// "WhatsApp is +44…", "vx 是 zhang_88", "扣扣联系：2839475612", "QQ群号 783920115".
var connectors = [][]byte{[]byte(" "), []byte(":"), []byte("-"), []byte("#"), []byte("是"), []byte("联系"), []byte("群"),
	[]byte("号"), []byte("为"), []byte("码"), []byte("id"), []byte("is"), []byte("number"), []byte("@")}

// skipConnectors skips up to six connectors from b[i:].
func skipConnectors(b []byte, i int) int {
	for n := 0; n < 6 && i < len(b); n++ {
		matched := false
		for _, c := range connectors {
			if bytes.HasPrefix(b[i:], c) {
				i += len(c)
				matched = true
				break
			}
		}
		if !matched {
			break
		}
	}
	return i
}

// handleAfter finds an account id right after a chat app's name at b[i:] and returns
// its normalised byte span (empty when there is none): five to thirty letters, digits,
// "_" or "-" with at least one digit, or a phone number; letters alone only after an
// explicit "：", "号" or "id" (so "WeChat moments" is not an account).
func handleAfter(b []byte, i int) (int, int) {
	from := i
	i = skipConnectors(b, i)
	explicit := bytes.ContainsAny(b[from:i], ":#是号为") || bytes.Contains(b[from:i], []byte("id"))
	start := i
	if i < len(b) && b[i] == '+' {
		i++
	}
	letters, digits := 0, 0
	for i < len(b) && (asciiKind(b[i]) != 0 || b[i] == '_' || b[i] == '-' || b[i] == ' ' && digits > 0 && i+1 < len(b) && asciiKind(b[i+1]) == 2) {
		switch asciiKind(b[i]) {
		case 1:
			letters++
		case 2:
			digits++
		}
		i++
	}
	for i > start && b[i-1] == ' ' {
		i--
	}
	if n := letters + digits; n >= 5 && n <= 30 && (digits > 0 || explicit && letters >= 5) {
		return start, i
	}
	return start, start
}

var passwordPunct = []byte("_!@#$%&*.-")

// secretAfter reports a code or password written right after its name: "验证码是
// 384756", "cvv 123", "密码 abc12345". Codes are four to eight digits; passwords and
// PINs four or more characters.
func secretAfter(b []byte, i int, code bool) bool {
	i = skipConnectors(b, i)
	letters, digits := 0, 0
	for i < len(b) && (asciiKind(b[i]) != 0 || !code && bytes.IndexByte(passwordPunct, b[i]) >= 0) {
		switch asciiKind(b[i]) {
		case 1:
			letters++
		case 2:
			digits++
		}
		i++
	}
	if code {
		return letters == 0 && digits >= 4 && digits <= 8
	}
	return digits+letters >= 3 && digits > 0
}
