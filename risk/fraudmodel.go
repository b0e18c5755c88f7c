package risk

import (
	"encoding/binary"
	"errors"
	"math"
)

// The fraud model reads scam wording the cue rules have no combination for: a
// logistic regression per fraud type over the tone model's features of the normalised
// text (appendToneFeatures), trained on the labelled corpus against the calm and
// everyday samples. It only adds: a type the rules did not find is reported when its
// probability reaches fraudThreshold, in a message that holds at least one fraud cue
// and no negation or warning (the rules' reading of advice is never overruled). Its
// weights are the data file fraud.bin, written by TestWriteFraudWeights;
// docs/risk-engine.md ("A statistical fraud model") gives the held-out trial that
// fixed the gate and the threshold.

const (
	fraudThreshold = 0.97
	fraudMagic     = "sdfraud1"
)

// fraudModelRules are the rule ids of the model's findings, per fraud type index.
var fraudModelRules = func() (r [len(fraudTypes)]string) {
	for i, t := range fraudTypes {
		r[i] = string(t) + ".model"
	}
	return
}()

// fraudWeights are the weights as trained, one table per fraud type (fraudTypes'
// order).
type fraudWeights *[len(fraudTypes)][1 << toneBits]float32

// fraudModel holds the weights as multiples of scale in 16 bits, as toneModel does.
type fraudModel struct {
	w     [len(fraudTypes)][1 << toneBits]int16
	scale float64
	cut   int64 // the least sum at which the probability reaches fraudThreshold
}

func newFraudModel(w fraudWeights) *fraudModel {
	tables := make([][]float32, len(w))
	for ti := range w {
		tables[ti] = w[ti][:]
	}
	m := &fraudModel{scale: int16Scale(tables...)}
	for ti := range w {
		roundWeights(m.w[ti][:], w[ti][:], m.scale)
	}
	m.cut = int64(math.Ceil(math.Log(fraudThreshold/(1-fraudThreshold)) / m.scale))
	return m
}

// parseFraudModel reads a weights file: the magic "sdfraud1", the number of hash bits
// and the number of types as little-endian uint32s, then one little-endian float32 per
// bucket, type by type.
func parseFraudModel(b []byte) (*fraudModel, error) {
	w, err := decodeFraudWeights(b)
	if err != nil {
		return nil, err
	}
	return newFraudModel(w), nil
}

func decodeFraudWeights(b []byte) (fraudWeights, error) {
	const head = len(fraudMagic) + 8
	const size = head + 4*len(fraudTypes)<<toneBits
	if len(b) != size || string(b[:len(fraudMagic)]) != fraudMagic ||
		binary.LittleEndian.Uint32(b[len(fraudMagic):]) != toneBits ||
		binary.LittleEndian.Uint32(b[len(fraudMagic)+4:]) != uint32(len(fraudTypes)) {
		return nil, errors.New("risk: fraud weights: not a weights file of this version")
	}
	w := new([len(fraudTypes)][1 << toneBits]float32)
	b = b[head:]
	for ti := range w {
		for i := range w[ti] {
			f := math.Float32frombits(binary.LittleEndian.Uint32(b))
			if f != f || math.IsInf(float64(f), 0) {
				return nil, errors.New("risk: fraud weights: not a number")
			}
			w[ti][i], b = f, b[4:]
		}
	}
	return w, nil
}

// encodeFraudWeights is the inverse of decodeFraudWeights.
func encodeFraudWeights(w fraudWeights) []byte {
	out := make([]byte, 0, len(fraudMagic)+8+4*len(fraudTypes)<<toneBits)
	out = append(out, fraudMagic...)
	out = binary.LittleEndian.AppendUint32(out, toneBits)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(fraudTypes)))
	for ti := range w {
		for _, f := range w[ti] {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(f))
		}
	}
	return out
}

// fraudModelCues are, per fraud type, the cue classes of which a message must hold one
// for the model to report that type: a chat app or a way off the platform, a code, a
// secret or a card, a payment or a payee, a refund or a loan, a job, task or review,
// and a screen, a meeting or an install. The model reads wording; the cue says what the
// wording is about.
var fraudModelCues = [len(fraudTypes)]class{
	fOff:    cApp | cAddApp | cOffStrong | cPrivate | cAdd,
	fCode:   cCode | cCodeWeak | cSMS,
	fCred:   cCred | cCVV | cCtxCard,
	fPayout: cPay | cTransfer | cTarget | cTargetStrong,
	fRefund: cRefund | cLure | cLureStrong | cLureWeak | cCancel | cCharge,
	fBrush:  cBrushStrong | cJob | cCommission | cCashback | cTask | cReview,
	fRemote: cRemoteStrong | cMeeting | cInstall,
}

// fraudModelGate reports whether the model may add to the rules' reading of a message:
// no negation or warning that the rules read as advice.
func fraudModelGate(c *cueSet) bool {
	return c.has(fraudCues) && !c.has(cNeg) && len(c.warnClauses) == 0 && len(c.warnSpans) == 0
}

// fraudModelMay reports whether the model may report type ti in a message that passed
// the gate: one of the type's cues is usable, and for a code, no coupon, voucher or
// tracking word says which code is meant (as the rules read "send me the code from the
// voucher").
//
// A code or a secret must also be asked for: "安全起见，您可以先修改一下支付密码" names a
// password and asks for nothing. A payment needs a payee that is not the customer's own
// account for their refund.
func (j *fraudJudge) fraudModelMay(ti int) bool {
	if !j.c.has(fraudModelCues[ti]) || ti == fCode && j.c.has(cCodeOther|cDiscount|cCtxTrack) {
		return false
	}
	if (ti == fCode || ti == fCred) && j.firstUsable(cAsk|cAskWeak) == nil {
		return false
	}
	if ti == fOff && j.firstUsable(cApp|cAddApp|cOffStrong|cPrivate) == nil && !j.longAdd() {
		// "本金加10元佣金", "我去闲鱼搜了一下": a one-character "加" or "去" is too
		// common to be the model's cue, even beside a platform's name.
		return false
	}
	if ti == fPayout {
		// "退款退到我的支付宝账户就行": a payee the customer names for their own refund
		// is the speaker being paid, for the model as for the rules.
		// A code to scan beside a claim ("扫一下我发的二维码填理赔资料") is the claim
		// lure's, which the refund rules read.
		claim := j.c.has(cRefund | cLureStrong)
		found := false
		j.c.each(fraudModelCues[ti], func(_ int, t *token) bool {
			found = j.c.alone(t) && !j.c.warned(t) && !j.ownRefund(t) && !(claim && scanWord(j.sc.nt.b[t.ns:t.ne]))
			return !found
		})
		return found
	}
	return j.firstUsable(fraudModelCues[ti]) != nil
}

// model adds the types the rules did not find and the model reads with a probability
// of fraudThreshold or more. The span is the first usable cue of the type.
//
// It runs twice, with only set and without: once for every type but the refund lure,
// whose rules then build on what it found ("把短信里的数字报给我，系统就自动退款了"),
// then for the refund lure alone. The features are listed once.
func (j *fraudJudge) model(m *fraudModel, ti0 int, only bool) {
	if !fraudModelGate(j.c) {
		return
	}
	var may [len(fraudTypes)]bool
	some := false
	for ti := range may {
		may[ti] = (ti == ti0) == only && j.best[ti].score == 0 && j.fraudModelMay(ti)
		some = some || may[ti]
	}
	if !some {
		return // no features to compute
	}
	sc := j.sc
	if !sc.featsOK {
		sc.feats, sc.featsOK = appendToneFeatures(&sc.nt, sc.feats[:0]), true
	}
	for ti := range m.w {
		if !may[ti] {
			continue
		}
		w := &m.w[ti]
		var sum int64
		for _, f := range sc.feats {
			sum += int64(w[f])
		}
		if sum < m.cut {
			continue
		}
		p := 1 / (1 + math.Exp(-float64(sum)*m.scale))
		j.hit(ti, j.firstUsable(fraudModelCues[ti]), nil, math.Floor(p*100)/100, fraudModelRules[ti])
	}
}
