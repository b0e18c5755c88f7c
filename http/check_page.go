package http

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"safedesk"
)

// The risk-check page lets anyone signed in paste a chat message and see what the engine
// finds in it, with the reasons, before answering a customer or to learn what the drills
// score. It runs the same check as POST /api/v1/check and stores nothing.

// checkMessages are the page's strings.
var checkMessages = map[string][2]string{
	"nav.check":                         {"风险检测", "Risk check"},
	"check.title":                       {"消息风险检测", "Check a message"},
	"check.intro":                       {"粘贴一条聊天消息，看看其中有没有个人信息、诈骗话术、仿冒链接和情绪。检测在服务器内存中完成，不会保存消息。", "Paste a chat message to see whether it holds personal data, scam cues, look-alike links or strong feelings. The check runs in the server's memory; the message is not stored."},
	"check.role":                        {"这条消息是谁写的", "Who wrote it"},
	"check.role.customer":               {"顾客（或自称顾客的人）", "The customer (or someone posing as one)"},
	"check.role.agent":                  {"客服（例如我准备发出的回复）", "The agent (for example a reply I am about to send)"},
	"check.text":                        {"消息内容", "Message"},
	"check.submit":                      {"检测", "Check"},
	"check.empty":                       {"请先输入要检测的消息。", "Enter a message to check."},
	"check.too_long":                    {"消息过长：最多 %d 字节。", "The message is too long: at most %d bytes."},
	"check.result":                      {"检测结果", "Result"},
	"check.clean":                       {"没有发现个人信息、诈骗线索或可疑链接。", "No personal data, scam cues or suspicious links found."},
	"check.masked":                      {"脱敏后的消息", "The message, masked"},
	"check.masked_hint":                 {"个人信息已按规则脱敏；转述或记录这条消息时请使用这一版本。", "Personal data is masked; quote or log this version of the message."},
	"check.emotion":                     {"情绪", "Emotion"},
	"check.type":                        {"类型", "Type"},
	"check.found":                       {"命中内容", "Found"},
	"check.why":                         {"原因", "Why"},
	"check.score":                       {"置信度", "Confidence"},
	"check.rule":                        {"规则", "Rule"},
	"check.api":                         {"系统对接请使用 API：POST /api/v1/check（需要 check 权限的令牌）。", "Integrations use the API: POST /api/v1/check (a token with the check scope)."},
	"risk.family.pii":                   {"个人信息", "Personal data"},
	"risk.family.fraud":                 {"诈骗线索", "Scam cue"},
	"risk.family.url":                   {"可疑链接", "Suspicious link"},
	"risk.type.pii.phone":               {"电话号码", "Phone number"},
	"risk.type.pii.cn_id":               {"身份证号", "Resident ID number"},
	"risk.type.pii.bank_card":           {"银行卡号", "Bank card number"},
	"risk.type.pii.email":               {"电子邮箱", "E-mail address"},
	"risk.type.pii.address":             {"详细地址", "Street address"},
	"risk.type.fraud.off_platform":      {"引导站外沟通或交易", "Moving off the platform"},
	"risk.type.fraud.verification_code": {"索要验证码", "Asking for a verification code"},
	"risk.type.fraud.credential":        {"索要密码", "Asking for a password or PIN"},
	"risk.type.fraud.payment_outside":   {"平台外付款", "Payment outside the checkout"},
	"risk.type.fraud.refund_lure":       {"退款理赔诱导", "Refund or compensation lure"},
	"risk.type.fraud.brushing":          {"刷单返利", "Fake orders and rebate tasks"},
	"risk.type.fraud.remote_control":    {"屏幕共享或远程控制", "Screen sharing or remote control"},
	"risk.type.url.lookalike":           {"仿冒域名", "Look-alike domain"},
	"risk.type.url.shortener":           {"第三方短链接", "Third-party short link"},
	"risk.type.url.ip_host":             {"IP 地址链接", "Link to a bare IP address"},
	"risk.emotion.anger":                {"愤怒", "Anger"},
	"risk.emotion.anxiety":              {"焦虑", "Anxiety"},
	"risk.emotion.neutral":              {"平静", "Neutral"},
	"risk.emotion.positive":             {"积极", "Positive"},
}

// checkWire is the engine's answer as the contract encodes it.
type checkWire struct {
	Findings []struct {
		Type   string            `json:"type"`
		Start  int               `json:"start"`
		End    int               `json:"end"`
		Text   string            `json:"text"`
		Score  float64           `json:"score"`
		Rule   string            `json:"rule"`
		Reason map[string]string `json:"reason"`
	} `json:"findings"`
	Emotion struct {
		Label string  `json:"label"`
		Score float64 `json:"score"`
	} `json:"emotion"`
	Masked string `json:"masked"`
}

type checkPage struct {
	Role, Text string
	Error      string
	MaxBytes   int
	Result     *checkOutcome
}

type checkOutcome struct {
	Findings     []checkFinding
	Masked       string
	Emotion      string
	EmotionScore float64
}

type checkFinding struct {
	Family, Type, Shown, Reason, Rule string
	Score                             float64
}

func (s *Server) handleCheckPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "check.html", &checkPage{Role: "customer", MaxBytes: MaxCheckText})
}

func (s *Server) handleCheckForm(w http.ResponseWriter, r *http.Request) error {
	lang := s.lang(r)
	p := &checkPage{Role: r.PostFormValue("role"), Text: r.PostFormValue("text"), MaxBytes: MaxCheckText}
	if p.Role != "agent" {
		p.Role = "customer"
	}
	switch {
	case strings.TrimSpace(p.Text) == "":
		p.Error = tr(lang, "check.empty")
	case len(p.Text) > MaxCheckText || !utf8.ValidString(p.Text):
		p.Error = tr(lang, "check.too_long", MaxCheckText)
	}
	if p.Error != "" {
		s.renderStatus(w, r, http.StatusBadRequest, "check.html", p)
		return nil
	}
	if ok, wait := s.limits.check.allow(currentUser(r).ID); !ok {
		return rateLimited(wait)
	}
	if s.Checker == nil {
		return safedesk.Errorf(safedesk.EINTERNAL, "The risk engine is not available.")
	}
	b, err := s.Checker.AppendCheckJSON(nil, p.Role, p.Text)
	if err != nil {
		return err
	}
	var res checkWire
	if err := json.Unmarshal(b, &res); err != nil {
		return err
	}
	out := &checkOutcome{Masked: res.Masked, Emotion: res.Emotion.Label, EmotionScore: res.Emotion.Score}
	for _, f := range res.Findings {
		family, _, _ := strings.Cut(f.Type, ".")
		shown := f.Text
		if family == "pii" {
			shown = maskForDisplay(f.Text) // the page shows no personal data, even the writer's own
		}
		reason := f.Reason[lang]
		if reason == "" {
			reason = f.Reason[safedesk.DefaultLang]
		}
		out.Findings = append(out.Findings, checkFinding{Family: family, Type: f.Type, Shown: shown, Reason: reason, Rule: f.Rule, Score: f.Score})
	}
	p.Result = out
	return s.render(w, r, "check.html", p)
}

// maskForDisplay hides a detected value on the page: its first three and last four
// characters stay when it is long enough to keep most of it hidden, else only the first.
func maskForDisplay(v string) string {
	rs := []rune(v)
	switch n := len(rs); {
	case n >= 11:
		return string(rs[:3]) + strings.Repeat("*", n-7) + string(rs[n-4:])
	case n >= 2:
		return string(rs[:1]) + strings.Repeat("*", n-1)
	default:
		return "*"
	}
}
