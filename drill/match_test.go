package drill

import (
	"slices"
	"strings"
	"testing"

	"safedesk"
)

// matcherScenario is a scenario reduced to what the matcher reads: intents, and the rules
// that make them harmful, negatable or good.
func matcherScenario(withRefuse bool) *safedesk.DrillScenario {
	intents := map[string]map[string][]string{
		"verify": {
			"zh-CN": {"订单页面", "本人账号"},
			"en":    {"order page", "own account"},
		},
		"disclose": {
			"zh-CN": {"她的电话", "她的地址", "电话是1"},
			"en":    {"her number is", "her address is", "here is her", "she lives at", "share her address"},
		},
		"agree-off-platform": {
			"zh-CN": {"加你微信", "我的微信"},
			"en":    {"add you on wechat", "my wechat"},
		},
		"accept-bribe": {
			"zh-CN": {"谢谢红包", "红包我收"},
			"en":    {"i accept", "thanks for the red packet"},
		},
		"jargon": {
			"zh-CN": {"SOP", "P2"},
			"en":    {"sop", "p2"},
		},
		"late-pay": {
			"en": {"*pay later"},
		},
		"escalate": {
			"zh-CN": {"上报"},
		},
	}
	rule := func(name, when string) safedesk.RubricRule {
		return safedesk.RubricRule{Rule: name, When: when, Points: 10}
	}
	s := &safedesk.DrillScenario{
		ID:      "matcher",
		Intents: intents,
		Rubric: safedesk.Rubric{
			Critical: []safedesk.RubricRule{rule("disclose", "disclose"), rule("off-platform", "agree-off-platform"), rule("bribe", "accept-bribe")},
			Minor:    []safedesk.RubricRule{rule("jargon", "jargon"), rule("late-pay", "late-pay")},
			Good:     []safedesk.RubricRule{rule("verify", "verify"), rule("escalate", "escalate")},
		},
	}
	if withRefuse {
		intents["refuse"] = map[string][]string{
			"zh-CN": {"抱歉", "不能透露"},
			"en":    {"sorry", "can't share"},
		}
		s.Rubric.Good = append(s.Rubric.Good, rule("refuse", "refuse"))
	}
	return s
}

func TestMatch(t *testing.T) {
	m := compile(matcherScenario(true))
	lx := newLexicon()
	tests := []struct {
		name    string
		reply   string
		shown   []string
		negated []string
	}{
		// Negation in Chinese.
		{"zh negated disclosure is a refusal", "我不能提供她的电话", []string{"refuse"}, []string{"disclose"}},
		{"zh 没 negates", "我没有把她的地址给任何人", []string{"refuse"}, []string{"disclose"}},
		{"zh 无法 far before", "我们无法在这里为你提供她的电话", []string{"refuse"}, []string{"disclose"}},
		{"zh negation after the phrase", "她的电话不能给你", []string{"refuse"}, []string{"disclose"}},
		{"zh negation after, topic first", "她的电话号码我们这边不能给您", []string{"refuse"}, []string{"disclose"}},
		{"zh 不会 off platform", "我不会加你微信的", []string{"refuse"}, []string{"agree-off-platform"}},
		{"zh 别 off platform", "别让我加你微信", []string{"refuse"}, []string{"agree-off-platform"}},
		{"zh thanks but no red packet", "谢谢，红包就不用了", []string{"refuse"}, []string{"accept-bribe"}},
		{"zh plain disclosure", "她的电话是13812345678", []string{"disclose"}, nil},
		{"zh 不好意思 is not a negation", "不好意思她的电话是13812345678", []string{"disclose"}, nil},
		{"zh 没问题 is agreement", "没问题我加你微信", []string{"agree-off-platform"}, nil},
		{"zh 别担心 is not a negation", "别担心，我这就加你微信", []string{"agree-off-platform"}, nil},
		{"zh clause break stops negation", "不行，她的电话是13812345678", []string{"disclose"}, nil},
		{"zh contrast stops negation", "我不能改地址但她的电话是1381234", []string{"disclose"}, nil},
		{"zh number ends the reach", "她的电话是138001380000不要外传", []string{"disclose"}, nil},
		{"zh negated and plain: plain wins", "我不能加你微信……算了，我的微信是wl3321", []string{"agree-off-platform"}, []string{}},
		{"zh traditional", "我不能提供她的電話", []string{"refuse"}, []string{"disclose"}},
		{"zh polite you", "我不会加您微信", []string{"refuse"}, []string{"agree-off-platform"}},
		{"zh spaced and full-width", "我 不 能 加 你 微 信 ！", []string{"refuse"}, []string{"agree-off-platform"}},

		// Negation in English.
		{"en the issue's example", "I can't share her address", []string{"refuse"}, []string{"disclose"}},
		{"en plain share", "Sure, I'll share her address with you", []string{"disclose"}, nil},
		{"en can't", "I can't tell you what her number is", []string{"refuse"}, []string{"disclose"}},
		{"en won't", "I won't add you on WeChat.", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en will not be able to", "I will not be able to add you on WeChat", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en not able to", "I'm not able to give you my WeChat", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en cannot", "We cannot add you on WeChat", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en never", "We never add you on WeChat or anywhere else", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en unable", "Unable to add you on WeChat, sorry.", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en refuse to", "I refuse to add you on WeChat", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en do not without apostrophe", "i dont give out my wechat", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en negation after", "Her address isn't something I can give out", []string{"refuse"}, []string{"disclose"}},
		{"en curly apostrophe, full width", "Ｉ ｗｏｎ’ｔ ａｄｄ ｙｏｕ ｏｎ ＷｅＣｈａｔ", []string{"refuse"}, []string{"agree-off-platform"}},
		{"en don't worry is not a negation", "Don't worry, I'll add you on WeChat", []string{"agree-off-platform"}, nil},
		{"en no problem", "No problem my WeChat is wl3321", []string{"agree-off-platform"}, nil},
		{"en contrast", "I can't do that but here is her number", []string{"disclose"}, nil},
		{"en clause break", "Not sure why. Her address is 5 Main St", []string{"disclose"}, nil},
		{"en paraphrase caps", "OK!!! i'LL ADD YOU ON WECHAT", []string{"agree-off-platform"}, nil},
		{"en inflection", "Thanks for the red packets", []string{"accept-bribe"}, nil},
		{"en negator inside a word", "Noted, I accept", []string{"accept-bribe"}, nil},

		// Good intents, boundaries, wording.
		{"good intent is never negated", "I can't verify you here; please use the order page of your own account", []string{"verify"}, nil},
		{"zh good", "请登录本人账号在订单页面修改", []string{"verify"}, nil},
		{"refuse phrase itself", "抱歉，这个不能透露", []string{"refuse"}, nil},
		{"minor intent is not negated", "我们不用SOP这种说法", []string{"jargon"}, nil},
		{"short word needs a boundary", "soppy p20 tasks", nil, nil},
		{"short word matches", "Per SOP this is a P2", []string{"jargon"}, nil},
		{"leading star lifts the boundary", "you can repay later", []string{"late-pay"}, nil},
		{"nothing", "好的", nil, nil},
		{"a phrase does not start inside a word", "请马上报警", nil, nil},
		{"the same phrase as a word", "这件事我马上上报主管", []string{"escalate"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := lx.read(tt.reply)
			got := m.match(&rd)
			if !slices.Equal(got.shown, tt.shown) || !slices.Equal(got.negated, tt.negated) && len(tt.negated)+len(got.negated) > 0 {
				t.Errorf("%q (folded %q)\n shown %v negated %v\n want %v negated %v\n matches %+v",
					tt.reply, rd.text, got.shown, got.negated, tt.shown, tt.negated, got.matches)
			}
		})
	}
}

// TestMatchWithoutRefuseIntent: a negated harmful phrase shows nothing in a scenario
// with no refusal intent; it is still not the harmful intent.
func TestMatchWithoutRefuseIntent(t *testing.T) {
	m := compile(matcherScenario(false))
	rd := newLexicon().read("我不能提供她的电话")
	got := m.match(&rd)
	if len(got.shown) != 0 || !slices.Equal(got.negated, []string{"disclose"}) {
		t.Errorf("shown %v negated %v", got.shown, got.negated)
	}
}

func TestPatternBoundaries(t *testing.T) {
	tests := []struct {
		phrase, text string
		want         bool
	}{
		{"ask", "task", false},
		{"ask", "please ask", true},
		{"*ask", "task", true},
		{"refund", "refundable", true},
		{"verif*", "verification", true},
		{"p2", "p20", false},
		{"p2", "p2 ticket", true},
		{"电话是1", "电话是13812345678", true},
		{"order page", "order pages", true},
		{"sop", "soppy", false},
		{"the code is #", "OK, the code is 483920.", true},
		{"the code is #", "the code is mine", false},
		{"验证码是#", "验证码是 483920", true},
		{"验证码是#", "验证码是多少", false},
	}
	for _, tt := range tests {
		p, ok := newPattern(tt.phrase, true)
		if !ok {
			t.Fatalf("pattern %q folds to nothing", tt.phrase)
		}
		got := false
		p.each(fold(tt.text), func(int, int) bool { got = true; return false })
		if got != tt.want {
			t.Errorf("%q in %q: %v, want %v", tt.phrase, tt.text, got, tt.want)
		}
	}
	if _, ok := newPattern(" ，* ", true); ok {
		t.Error("a phrase of punctuation compiled")
	}
}

// TestLexiconFolds: every word list entry survives folding, or it could never match.
func TestLexiconFolds(t *testing.T) {
	for _, list := range [][]string{negators, nonNegations, contrasts} {
		for _, w := range list {
			if f := fold(w); f == "" || strings.ContainsAny(f, "|") {
				t.Errorf("%q folds to %q", w, f)
			}
		}
	}
}
