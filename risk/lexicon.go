package risk

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// class is a kind of cue word; a phrase may belong to several (a bit set).
type class uint64

// Cue-layer classes (data/cues.txt).
const (
	cApp class = 1 << iota
	cAdd
	cAddApp
	cOffStrong
	cPrivate
	cPay
	cTransfer
	cTarget
	cTargetStrong
	cDiscount
	cCode
	cCred
	cCVV
	cAsk
	cAskWeak
	cRefund
	cLure
	cLureWeak
	cLureStrong
	cBrushStrong
	cJob
	cCommission
	cCashback
	cTask
	cReview
	cRemoteStrong
	cMeeting
	cInstall
	cNeg
	cWarn
	cUrgent
	cBenign
	cCtxPhone
	cCtxID
	cCtxCard
	cCtxOrder
	cCtxTrack
	cCtxMoney
	cCtxCode
	cSale // goods sent once paid: "I'll ship today", "马上发货"
	cCtxAddr
	cCancel
	cCharge
	cCond        // opens a conditional or "anyone who" frame: "如果有人…", "if anyone…"
	cCondOther   // a frame about someone else: "有人", "anyone", "任何人"
	cAdvice      // what to do about a scam, in such a frame: "请直接挂断", "hang up"
	cDisclaim    // "包括我们", "including us": the sentence warns about the platform's own name
	cStop        // ends or removes something: "关闭", "卸载", "stop", "uninstall"
	cCodeWeak    // "the code", "those digits": a code only with an SMS word or a bare request
	cSMS         // "texted", "短信": where a verification code comes from
	cCodeOther   // coupon, voucher, tracking … codes that are not secrets
	cReport      // "是真的吗", "is this legit": the customer reports what someone else did
	cPlatform    // the shop or platform as the place to buy: "店里", "checkout"
	cAvoid       // moves away from it: "不走", "绕过", "skip"
	cPlatformBad // complains about it: "太麻烦", "手续费", "takes a cut"
	cRequest     // a request verb: "要求", "让您", "ask you to"; a negation before it governs what is asked

	// Emotion-layer classes (data/emotion.txt).
	eAnger
	eAnxiety
	ePositive
	eIntens
	eNeg
	eContrast
	eBlock
	eHypo // a conditional addressed to the reader: "如果您", "if you're"
)

// emotionLayer holds the classes matched in the emotion layer; every other class is
// in the cue layer. Each layer picks its own non-overlapping tokens, so an emotion word
// never hides a cue word or the other way round.
const emotionLayer = eAnger | eAnxiety | ePositive | eIntens | eNeg | eContrast | eBlock | eHypo

var classNames = map[string]class{
	"app": cApp, "add": cAdd, "addapp": cAddApp, "offstrong": cOffStrong,
	"private": cPrivate, "pay": cPay, "transfer": cTransfer, "target": cTarget, "targetstrong": cTargetStrong,
	"discount": cDiscount, "code": cCode, "cred": cCred, "cvv": cCVV, "ask": cAsk,
	"askweak": cAskWeak, "refund": cRefund, "lure": cLure, "lureweak": cLureWeak,
	"lurestrong": cLureStrong, "brushstrong": cBrushStrong, "job": cJob,
	"commission": cCommission, "cashback": cCashback, "task": cTask, "review": cReview,
	"remotestrong": cRemoteStrong, "meeting": cMeeting, "install": cInstall,
	"neg": cNeg, "warn": cWarn, "urgent": cUrgent, "benign": cBenign,
	"ctxphone": cCtxPhone, "ctxid": cCtxID, "ctxcard": cCtxCard, "ctxorder": cCtxOrder,
	"ctxtrack": cCtxTrack, "ctxmoney": cCtxMoney, "ctxcode": cCtxCode, "sale": cSale,
	"ctxaddr": cCtxAddr, "cancel": cCancel, "charge": cCharge,
	"cond": cCond, "condother": cCondOther, "advice": cAdvice, "disclaim": cDisclaim, "stop": cStop,
	"codeweak": cCodeWeak, "sms": cSMS, "codeother": cCodeOther,
	// "ctxqq", the QQ-number context of earlier releases, now files its phrases with the
	// other words that say a number is not a phone, so override files written for those
	// releases still load.
	"ctxqq":  cCtxCode,
	"report": cReport, "platform": cPlatform, "avoid": cAvoid, "platformbad": cPlatformBad, "request": cRequest,
	"anger": eAnger, "anxiety": eAnxiety, "positive": ePositive, "intens": eIntens,
	"eneg": eNeg, "contrast": eContrast, "eblock": eBlock, "hypo": eHypo,
}

// classHeader reports whether line is written as a class header: lowercase ASCII letters
// in brackets ("[ctxphone]"). A WeChat emoji code ("[微笑]") is a phrase.
func classHeader(line string) bool {
	if len(line) < 3 || line[0] != '[' || line[len(line)-1] != ']' {
		return false
	}
	for i := 1; i < len(line)-1; i++ {
		if line[i] < 'a' || line[i] > 'z' {
			return false
		}
	}
	return true
}

// entry is one phrase of the lexicon.
type entry struct {
	text   string // normalised phrase, without boundary markers
	class  class
	weight float32
	// Boundary checks for ASCII ends: the byte before (after) a match must not be of the
	// same kind (letter or digit) as the phrase's first (last) byte.
	checkLeft, checkRight bool
}

// lexicon is the compiled word list.
type lexicon struct {
	entries []entry
	hot     []hotEntry // what selecting tokens reads of entries, compact
	m       *matcher
}

// hotEntry is the part of an entry read for every match.
type hotEntry struct {
	class  class
	weight float32
	len    uint16
	// left and right are the asciiKind of the phrase's first and last bytes when that
	// end must lie on a word boundary, else 0.
	left, right uint8
}

// parseLexicon adds the phrases of src (named name in errors) to entries, merging the
// classes of phrases listed more than once.
func parseLexicon(name, src string, entries []entry, index map[string]int, allowed class) ([]entry, error) {
	sc := bufio.NewScanner(strings.NewReader(src))
	var cur class
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "# ") || line == "#" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") && len(line) > 2 && !strings.ContainsAny(line[1:len(line)-1], "[]") && classNames[line[1:len(line)-1]] != 0 {
			cur = classNames[line[1:len(line)-1]]
			if cur&allowed == 0 {
				return nil, fmt.Errorf("%s:%d: class %s does not belong in this file", name, n, line)
			}
			continue
		}
		if classHeader(line) {
			// A header of lowercase letters that names no class is a typo or a class of
			// another release; read as a phrase it would file its words wrongly.
			return nil, fmt.Errorf("%s:%d: unknown class %s", name, n, line)
		}
		if cur == 0 {
			return nil, fmt.Errorf("%s:%d: phrase before the first [class] line", name, n)
		}
		phrase, weight := line, float32(1)
		if i := strings.LastIndex(line, " @"); i > 0 {
			w, err := strconv.ParseFloat(line[i+2:], 32)
			if err != nil || w <= 0 || w > 10 {
				return nil, fmt.Errorf("%s:%d: bad weight %q", name, n, line[i+2:])
			}
			phrase, weight = strings.TrimSpace(line[:i]), float32(w)
		}
		e := entry{class: cur, weight: weight, checkLeft: true, checkRight: true}
		if strings.HasPrefix(phrase, "*") && len(phrase) > 1 {
			e.checkLeft, phrase = false, phrase[1:]
		}
		if strings.HasSuffix(phrase, "*") && len(phrase) > 1 {
			e.checkRight, phrase = false, phrase[:len(phrase)-1]
		}
		e.text = normalizeString(phrase)
		if e.text == "" {
			return nil, fmt.Errorf("%s:%d: phrase %q is empty after normalisation", name, n, phrase)
		}
		if i, ok := index[e.text]; ok {
			// Weights only matter to the emotion words; a cue phrase spelled the same
			// ("尽快" is urgent and anxious) must not change them.
			if e.class&(eAnger|eAnxiety|ePositive) != 0 {
				entries[i].weight = e.weight
			}
			entries[i].class |= e.class
			continue
		}
		index[e.text] = len(entries)
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// newLexicon compiles the cue and emotion word lists.
func newLexicon(cues, emotions string) (*lexicon, error) {
	index := map[string]int{}
	entries, err := parseLexicon(FileCues, cues, nil, index, ^emotionLayer)
	if err != nil {
		return nil, err
	}
	if entries, err = parseLexicon(FileEmotions, emotions, entries, index, emotionLayer); err != nil {
		return nil, err
	}
	if len(entries) >= 1<<15 {
		return nil, fmt.Errorf("risk: lexicon has %d phrases, more than 32767", len(entries))
	}
	pats := make([]string, len(entries))
	total := 0
	for i, e := range entries {
		pats[i] = e.text
		total += len(e.text)
	}
	if total >= 1<<16-1 {
		return nil, fmt.Errorf("risk: lexicon has %d bytes of phrases, more than 65534", total)
	}
	hot := make([]hotEntry, len(entries))
	for i, e := range entries {
		hot[i] = hotEntry{class: e.class, weight: e.weight, len: uint16(len(e.text))}
		if e.checkLeft {
			hot[i].left = uint8(asciiKind(e.text[0]))
		}
		if e.checkRight {
			hot[i].right = uint8(asciiKind(e.text[len(e.text)-1]))
		}
	}
	m := newMatcher(pats)
	// The scan may skip word interiors when no phrase that begins with a letter may
	// match inside a word.
	m.wordStarts = true
	for _, e := range entries {
		if asciiKind(e.text[0]) == 1 && !e.checkLeft {
			m.wordStarts = false
		}
	}
	return &lexicon{entries: entries, hot: hot, m: m}, nil
}

// asciiKind is 1 for an ASCII letter, 2 for an ASCII digit, 0 otherwise.
func asciiKind(b byte) int {
	switch {
	case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
		return 1
	case b >= '0' && b <= '9':
		return 2
	}
	return 0
}
