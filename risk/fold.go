package risk

import "unicode"

// isHan reports whether r is a CJK unified ideograph (basic block or extension A).
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF
}

// tradPairs lists traditional (or variant) characters and the simplified form the
// lexicon uses, for the characters that occur in cue words. Pairs of runes.
const tradPairs = "轉转賬账帳账號号碼码驗验證证銀银錢钱會会議议幣币們们請请時时單单買买賣卖貨货寶宝讓让給给發发聯联繫系係系戶户費费優优價价錯错對对賠赔償偿額额鏈链點点擊击載载遠远務务紅红補补貸贷嗎吗麼么說说話话謝谢氣气騙骗還还訊讯線线網网頁页認认報报機机電电為为這这個个後后從从關关閉闭開开啟启動动態态預预備备資资權权許许詐诈統统絡络結结處处務务題题應应該该確确實实門门問问題题聽听讀读寫写幫帮麻麻煩烦員员師师歡欢樂乐滿满意意愛爱壞坏垃垃圾圾無无語语惡恶噁恶氣气憤愤騷骚擾扰擔担憂忧慮虑緊紧張张盜盗刷刷詢询購购車车區区縣县鎮镇鄉乡樓楼棟栋層层號号廣广東东蘇苏濟济貴贵陽阳雲云遼辽寧宁龍龙國国灣湾倉仓庫库運运遞递郵邮實实體体驗验碼码贈赠額额傭佣務务兼兼職职擴扩腦脑屏屏幕幕遙遥變变換换裝装載载線线視视頻频"

// hanFold maps the characters of tradPairs; hanFoldSet marks them for a fast check.
// hanSpecialSet marks, among U+3400..U+9FFF, the characters that are folded, read as
// digits or anchor an address, so that the normaliser tests one bit for the common case
// of none.
var (
	hanFold       = map[rune]rune{}
	hanFoldSet    [(0x9FFF - 0x4E00 + 1 + 63) / 64]uint64
	hanSpecialSet [(0xA000 - 0x3400) / 64]uint64
)

func init() {
	rs := []rune(tradPairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] == rs[i+1] {
			continue
		}
		hanFold[rs[i]] = rs[i+1]
		if d := rs[i] - 0x4E00; d >= 0 && d <= 0x9FFF-0x4E00 {
			hanFoldSet[d/64] |= 1 << (d % 64)
		}
	}
	for r := rune(0x3400); r < 0xA000; r++ {
		if foldHan(r) != r || digitValue(r) >= 0 || zhRoad(r) || zhEstate(r) {
			hanSpecialSet[(r-0x3400)/64] |= 1 << ((r - 0x3400) % 64)
		}
	}
}

// hanSpecial reports whether the Han character r (isHan) may be folded by foldHan, read
// as a digit or end a street or estate name (an address anchor); false means none.
func hanSpecial(r rune) bool {
	d := uint32(r - 0x3400)
	return d < 0xA000-0x3400 && hanSpecialSet[d/64]&(1<<(d%64)) != 0
}

// foldHan returns the simplified form of a traditional cue character, else r.
func foldHan(r rune) rune {
	if d := r - 0x4E00; d >= 0 && d <= 0x9FFF-0x4E00 && hanFoldSet[d/64]&(1<<(d%64)) != 0 {
		return hanFold[r]
	}
	return r
}

// isInvisible reports zero-width, bidirectional-control, format and variation-selector
// characters, which carry no text and are used to split words past filters.
func isInvisible(r rune) bool {
	switch {
	case r == 0x00AD, r == 0x034F, r == 0x061C, r == 0x115F, r == 0x1160, r == 0x17B4, r == 0x17B5,
		r == 0x180E, r == 0x3164, r == 0xFEFF, r == 0xFFA0:
		return true
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x206F,
		r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0000 && r <= 0xE0FFF, r >= 0x1F3FB && r <= 0x1F3FF:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// isDecorative reports symbols, emoji, private-use and unassigned code points, which
// are dropped so that "安★全☆" reads as "安全". Currency signs are kept.
func isDecorative(r rune) bool {
	if unicode.Is(unicode.Sc, r) {
		return false
	}
	return unicode.In(r, unicode.So, unicode.Sk, unicode.Co, unicode.Cs) ||
		r >= 0x2500 && r <= 0x27BF || // box drawing, shapes, dingbats
		r >= 0x1F000 && r <= 0x1FAFF || // emoji and pictographs
		!unicode.IsPrint(r) && !unicode.IsSpace(r)
}

// foldHomoglyph maps Cyrillic, Greek and other letters that look like Latin ones (in
// either case) to the lowercase Latin letter, so "wеchat" with a Cyrillic е reads as
// "wechat". It reports whether r was mapped.
func foldHomoglyph(r rune) (rune, bool) {
	if r < 0x0250 || r > 0x058F {
		return r, false
	}
	switch r {
	case 'а', 'А', 'α', 'Α', 'ɑ':
		return 'a', true
	case 'В', 'Β', 'Ь':
		return 'b', true
	case 'с', 'С', 'ϲ', 'Ϲ':
		return 'c', true
	case 'ԁ':
		return 'd', true
	case 'е', 'Е', 'ε', 'Ε', 'ё', 'Ё':
		return 'e', true
	case 'ɡ':
		return 'g', true
	case 'һ', 'Н', 'Η':
		return 'h', true
	case 'і', 'І', 'ї', 'Ї', 'ι', 'Ι', 'ӏ', 'Ӏ':
		return 'i', true
	case 'ј', 'Ј', 'ϳ':
		return 'j', true
	case 'к', 'К', 'κ', 'Κ':
		return 'k', true
	case 'М', 'Μ':
		return 'm', true
	case 'Ν', 'η', 'п':
		return 'n', true
	case 'о', 'О', 'ο', 'Ο', 'σ', 'օ':
		return 'o', true
	case 'р', 'Р', 'ρ', 'Ρ':
		return 'p', true
	case 'ԛ':
		return 'q', true
	case 'ѕ', 'Ѕ':
		return 's', true
	case 'Т', 'Τ', 'τ':
		return 't', true
	case 'υ', 'ս':
		return 'u', true
	case 'ν', 'ѵ':
		return 'v', true
	case 'ԝ', 'ω', 'ѡ':
		return 'w', true
	case 'х', 'Х', 'χ', 'Χ':
		return 'x', true
	case 'у', 'У', 'Υ', 'γ':
		return 'y', true
	case 'Ζ':
		return 'z', true
	}
	return r, false
}

// emojiWeight is the emotional weight of one emoji.
type emojiWeight struct {
	label  int // 0 anger, 1 anxiety, 2 positive
	weight float32
}

// emojiEmotion returns the emotion an emoji conveys, if any.
func emojiEmotion(r rune) (emojiWeight, bool) {
	switch r {
	case 0x1F620, 0x1F621, 0x1F92C, 0x1F4A2, 0x1F624, 0x1F595, 0x1F44E, 0x1F47F:
		return emojiWeight{0, 1.2}, true // 😠 😡 🤬 💢 😤 🖕 👎 👿
	case 0x1F644, 0x1F612:
		// Rolled eyes and an unamused face: annoyance, weaker than an angry face.
		return emojiWeight{0, 0.8}, true // 🙄 😒
	case 0x1F630, 0x1F628, 0x1F61F, 0x1F625, 0x1F622, 0x1F62D, 0x1F631, 0x1F97A,
		0x1F613, 0x1F616, 0x1F629, 0x1F62B, 0x1F633:
		return emojiWeight{1, 1.0}, true // 😰 😨 😟 😥 😢 😭 😱 🥺 😓 😖 😩 😫 😳
	case 0x1F60A, 0x1F604, 0x1F601, 0x1F600, 0x1F603, 0x1F642, 0x1F44D, 0x2764, 0x2665,
		0x1F495, 0x1F60D, 0x1F970, 0x1F389, 0x1F44F, 0x1F339, 0x1F64F, 0x1F618, 0x1F917,
		0x1F496, 0x1F49D, 0x263A:
		return emojiWeight{2, 0.9}, true // 😊 😄 😁 😀 😃 🙂 👍 ❤ ♥ 💕 😍 🥰 🎉 👏 🌹 🙏 😘 🤗 💖 💝 ☺
	}
	return emojiWeight{}, false
}
