// Package risk finds personal data, fraud and social-engineering cues, look-alike links
// and the emotional tone in customer-service chat messages, in Simplified Chinese and
// English.
//
// The engine is pure computation: [New] builds it once from a [Config] (word lists and
// domain lists are data, embedded by default), and [Engine.Check] analyses one message
// without I/O. Check is safe for concurrent use and reports every finding with offsets in
// Unicode code points of the original text, so callers can highlight or mask it.
//
// Matching runs on a normalised copy of the text (full-width forms, case, zero-width and
// decorative characters, homoglyphs, separators between Han characters) that keeps a map
// back to the original, so evasions such as "加★薇★信" or "１３８ ００１３ ８０００" are
// still found and reported at their original positions.
//
// Fraud and anger are read by rules over cue and emotion words first; two small
// statistical models trained on the labelled corpus (the tone model and the fraud model,
// data files like the word lists) add what the rules have no words for, and never
// overrule a negation, a warning or a speaker's denial. Their findings carry rule ids
// ending in ".model" or "emotion.tone_model".
package risk

import (
	"fmt"
	"strings"
)

// Role says who wrote a message.
type Role string

// The roles of a chat message.
const (
	RoleCustomer Role = "customer"
	RoleAgent    Role = "agent"
)

// ParseRole returns the role named by s; the empty string means [RoleCustomer].
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case "", RoleCustomer:
		return RoleCustomer, nil
	case RoleAgent:
		return RoleAgent, nil
	}
	return "", fmt.Errorf("role %q is not %q or %q", s, RoleCustomer, RoleAgent)
}

// Type is the stable identifier of a kind of finding, as listed in the scan contract.
type Type string

// Finding types. The pii.* types are masked in [Result.Masked].
const (
	PIIPhone    Type = "pii.phone"
	PIICNID     Type = "pii.cn_id"
	PIIBankCard Type = "pii.bank_card"
	PIIEmail    Type = "pii.email"
	PIIAddress  Type = "pii.address"

	FraudOffPlatform      Type = "fraud.off_platform"
	FraudVerificationCode Type = "fraud.verification_code"
	FraudCredential       Type = "fraud.credential"
	FraudPaymentOutside   Type = "fraud.payment_outside"
	FraudRefundLure       Type = "fraud.refund_lure"
	FraudBrushing         Type = "fraud.brushing"
	FraudRemoteControl    Type = "fraud.remote_control"

	URLLookalike Type = "url.lookalike"
	URLShortener Type = "url.shortener"
	URLIPHost    Type = "url.ip_host"
)

// Types lists every finding type in a stable order.
var Types = []Type{
	PIIPhone, PIICNID, PIIBankCard, PIIEmail, PIIAddress,
	FraudOffPlatform, FraudVerificationCode, FraudCredential, FraudPaymentOutside,
	FraudRefundLure, FraudBrushing, FraudRemoteControl,
	URLLookalike, URLShortener, URLIPHost,
}

// IsPII reports whether findings of type t are personal data (and so masked).
func (t Type) IsPII() bool { return strings.HasPrefix(string(t), "pii.") }

// Finding is one thing found in a message. Start and End are offsets in Unicode code
// points of the original text, End exclusive; Text is exactly that slice of the original.
// Fraud findings are message-level: their span is the cue that triggered them.
type Finding struct {
	Type   Type    `json:"type"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Text   string  `json:"text"`
	Score  float64 `json:"score"`
	Rule   string  `json:"rule"`
	Reason Reason  `json:"reason"`
}

// Reason explains a finding to a person, in both languages the product speaks.
type Reason struct {
	ZH string `json:"zh-CN"`
	EN string `json:"en"`
}

// Emotion labels.
const (
	EmotionAnger    = "anger"
	EmotionAnxiety  = "anxiety"
	EmotionNeutral  = "neutral"
	EmotionPositive = "positive"
)

// Emotion is the dominant tone of a message. Score is the strength of that tone in 0..1;
// for "neutral" it is the strength of the strongest tone that stayed below the threshold.
//
// Rule is "emotion.tone_model" when the anger was read by the tone model rather than the
// lexicon (its score is then the model's probability), and empty otherwise; [Explain]
// gives its reason. It is not part of the JSON object, whose shape the scan contract
// fixes.
type Emotion struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
	Rule  string  `json:"-"`
}

// Result is the analysis of one message, shaped as the scan contract's output object
// (without the id). Findings is never nil and is ordered by Start, then End, then Type.
// Masked is the original text with every pii.* finding masked.
type Result struct {
	Findings []Finding `json:"findings"`
	Emotion  Emotion   `json:"emotion"`
	Masked   string    `json:"masked"`
}

// Has reports whether r has a finding of type t.
func (r *Result) Has(t Type) bool {
	for i := range r.Findings {
		if r.Findings[i].Type == t {
			return true
		}
	}
	return false
}
