package risk

import "unicode/utf8"

// digitValue returns the value of an ASCII digit or of a Chinese numeral used when
// reading out numbers (幺 for 1, 两 for 2, 拐 for 7, 洞 for 0 …) or writing them in the
// financial capitals that hide a number from a filter (壹叁捌…), or -1.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	switch r {
	case '零', '〇', '洞':
		return 0
	case '一', '幺', '壹':
		return 1
	case '二', '两', '贰', '貳':
		return 2
	case '三', '叁', '參':
		return 3
	case '四', '肆':
		return 4
	case '五', '伍':
		return 5
	case '六', '陆', '陸':
		return 6
	case '七', '拐', '柒':
		return 7
	case '八', '捌':
		return 8
	case '九', '勾', '玖':
		return 9
	}
	return -1
}

// hanNumerals marks the Han characters (U+3400..U+9FFF) that digitValue reads as digits.
var hanNumerals = func() (t [(0xA000 - 0x3400) / 64]uint64) {
	for _, r := range "零洞一幺壹二两贰貳三叁參四肆五伍六陆陸七拐柒八捌九勾玖" {
		t[(r-0x3400)/64] |= 1 << ((r - 0x3400) % 64)
	}
	return
}()

// isHanNumeral reports whether the Han character r (isHan) is a digit to digitValue.
func isHanNumeral(r rune) bool {
	d := uint32(r - 0x3400)
	return d < 0xA000-0x3400 && hanNumerals[d/64]&(1<<(d%64)) != 0
}

// numGroup is one run of digits in a written number ("138" in "138-0013-8000").
type numGroup struct {
	ns, ne   int32 // normalised byte span
	d0, d1   int32 // span in the digits buffer
	spaceSep bool  // the separator before this group contains white space
	han      bool  // the group has Chinese numerals
}

func isNumSep(c byte) bool {
	return c == ' ' || c == '-' || c == '.' || c == '_' || c == '(' || c == ')' || c == '/'
}

// findNumbers reads every written number (digit groups with up to three separator
// characters between them) and reports phones, ID numbers and bank cards among them.
func (e *Engine) findNumbers(sc *scratch) {
	if sc.nt.digits < 7 {
		return // every number reported has at least seven digits
	}
	b := sc.nt.b
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if c < '0' || c > '9' {
				i++
				continue
			}
		} else if r, size := nextRune(b, i); digitValue(r) < 0 {
			i += size
			continue
		}
		start := i
		sc.groups, sc.digits = sc.groups[:0], sc.digits[:0]
		for {
			g := numGroup{ns: int32(i), d0: int32(len(sc.digits))}
			for i < len(b) {
				r, size := nextRune(b, i)
				v := digitValue(r)
				if v < 0 {
					break
				}
				g.han = g.han || r >= utf8.RuneSelf
				sc.digits = append(sc.digits, byte('0'+v))
				i += size
			}
			g.ne, g.d1 = int32(i), int32(len(sc.digits))
			if n := len(sc.groups); n > 0 {
				prev := sc.groups[n-1].ne
				for j := prev; j < g.ns; j++ {
					if b[j] == ' ' {
						g.spaceSep = true
					}
				}
			}
			sc.groups = append(sc.groups, g)
			j := i
			for j < len(b) && j-i < 3 && isNumSep(b[j]) {
				j++
			}
			if j == i || j >= len(b) {
				break
			}
			if r, _ := utf8.DecodeRune(b[j:]); digitValue(r) < 0 {
				break
			}
			i = j
		}
		end := i
		// The check character X of an ID number.
		if end < len(b) && b[end] == 'x' && (end+1 == len(b) || asciiKind(b[end+1]) != 1) {
			sc.digits = append(sc.digits, 'x')
			sc.groups[len(sc.groups)-1].d1++
			sc.groups[len(sc.groups)-1].ne++
			end++
			i = end
		}
		// Digits glued to letters are codes, handles or tracking numbers ("SF1234…",
		// "wx123456"); digits before "@" are an e-mail's local part.
		if start > 0 && asciiKind(b[start-1]) == 1 || end < len(b) && (asciiKind(b[end]) == 1 || b[end] == '@') {
			continue
		}
		if len(sc.digits) >= 7 {
			e.segmentNumber(sc, start > 0 && b[start-1] == '+')
		}
	}
}

// segmentNumber finds numbers among the groups just read: at each group it takes the
// longest run of groups that forms a valid number and is bounded by white space or the
// ends (so "138 0013 8000" is one phone and "13800138000 13900139000" two, while
// "240506-123456789012345" is an order number, not an ID).
func (e *Engine) segmentNumber(sc *scratch, plus bool) {
	gs := sc.groups
	for gi := 0; gi < len(gs); {
		found := false
		top := gi
		for top+1 < len(gs) && gs[top+1].d1-gs[gi].d0 <= 19 {
			top++
		}
		for gj := top; gj >= gi; gj-- {
			d0, d1 := gs[gi].d0, gs[gj].d1
			if d1-d0 > 19 || d1-d0 < 7 {
				continue
			}
			leftOK := gi == 0 || gs[gi].spaceSep
			rightOK := gj == len(gs)-1 || gs[gj+1].spaceSep
			last := gj
			if !rightOK && (gj == len(gs)-2 || gs[gj+2].spaceSep) && gs[gj+1].d1-gs[gj+1].d0 <= 5 {
				last = gj + 1 // a landline's extension
			}
			if !leftOK || !rightOK && last == gj {
				continue
			}
			d := string(sc.digits[d0:d1])
			k := classifyNumber(d, plus && gi == 0, shape334(gs[gi:gj+1]), e.maxBirth)
			if last != gj {
				k &= numLandline
			}
			if k == 0 {
				continue
			}
			ns := gs[gi].ns
			if plus && gi == 0 {
				ns--
			}
			e.addNumber(sc, k, d, int(ns), int(gs[last].ne))
			gi, found = last+1, true
			break
		}
		if !found {
			gi++
		}
	}
}

// shape334 reports groups written as 3-3-4 or 1-3-3-4 digits (North American style).
func shape334(gs []numGroup) bool {
	n := func(g numGroup) int32 { return g.d1 - g.d0 }
	switch len(gs) {
	case 3:
		return n(gs[0]) == 3 && n(gs[1]) == 3 && n(gs[2]) == 4
	case 4:
		return n(gs[0]) == 1 && n(gs[1]) == 3 && n(gs[2]) == 3 && n(gs[3]) == 4
	}
	return false
}

// addNumber decides, from the kinds a number can be and the words around it, whether it
// is personal data, and records the finding.
func (e *Engine) addNumber(sc *scratch, k numKind, d string, ns, ne int) {
	s, en := sc.nt.origSpan(ns, ne)
	if sc.overlapsExcluded(s, en) {
		return
	}
	cues := &sc.cueSet
	// Context words count within 12 reading units before the number and 6 after it.
	near := func(cl class) int { return cues.nearUnits(cl, ns, ne, 12, 6, nil) }
	// Prices: a currency sign or unit right next to the number.
	if d := cues.nearest(cCtxMoney, s, en, 1, 1); d >= 0 {
		return
	}
	dPhone, dID, dCard := near(cCtxPhone), near(cCtxID), near(cCtxCard)
	const other = cCtxOrder | cCtxTrack | cCtxCode
	dOther := near(other)
	if dPhone >= 0 || dID >= 0 || dCard >= 0 {
		// "The phone on the order is …", "订单上的电话是…": a word that says where the
		// number was found names the place, not the number, and gives way to a word
		// that names the number, unless it stands right before the number as its label
		// ("for order 13812345678").
		dOther = cues.nearUnits(other, ns, ne, 12, 6, func(t *token) bool {
			return placeWord(&sc.nt, t) && (t.ne > int32(ne) || sc.nt.gapLimit(int(t.ne), ns, 2) > 1)
		})
	}
	closer := func(own int) bool { return own >= 0 && (dOther < 0 || own <= dOther) }
	// A number written with its international prefix ("快递到了请打 +65 9123 4567") is a
	// phone whatever order or courier word stands near.
	if dOther >= 0 && !closer(dPhone) && !closer(dID) && !closer(dCard) && (k != numIntl || sc.nt.b[ns] != '+') {
		return // an order, tracking or verification number
	}
	switch {
	case k&numID18 != 0 && (k&numCard == 0 || !closer(dCard) || closer(dID)):
		sc.add(PIICNID, s, en, pick(dID >= 0, 0.99, 0.97), "pii.cn_id.checksum")
	case k&numCard != 0 && (k&numID15 == 0 || closer(dCard) || !closer(dID)):
		score := 0.75
		if len(d) == 16 || len(d) == 19 && d[:2] == "62" {
			score = 0.85
		}
		sc.add(PIIBankCard, s, en, pick(dCard >= 0, 0.98, score), "pii.bank_card.luhn")
	case k&numID15 != 0:
		sc.add(PIICNID, s, en, pick(dID >= 0, 0.95, 0.8), "pii.cn_id.legacy")
	case k&numPhone != 0:
		notQQ := func(t *token) bool { return !qqName(sc.nt.b[t.ns:t.ne]) }
		if d := cues.nearUnits(cApp, ns, ne, 4, 4, notQQ); d >= 0 && !closer(dPhone) {
			return // a QQ number
		}
		if k&numPhone == numNational && !closer(dPhone) {
			return // "07700900123" alone may as well be an order number
		}
		score, rule := 0.9, "pii.phone.mobile"
		switch {
		case k&numMobile != 0:
		case k&numLandline != 0:
			score, rule = 0.85, "pii.phone.landline"
		case k&(numIntl|numNational) != 0:
			score, rule = 0.85, "pii.phone.international"
		default:
			score, rule = 0.75, "pii.phone.international"
		}
		sc.add(PIIPhone, s, en, pick(dPhone >= 0, 0.97, score), rule)
	}
}

// placePrepositions and determiners, for placeWord.
var (
	placePrepositions = wordSet("on of in from for with under about per inside within")
	determiners       = wordSet("the a an this that my your our his her their its")
)

// placeWord reports whether the context word t says where something is rather than what
// it is: the object of a preposition ("on the order", "from your parcel") or, in Chinese,
// followed by a place particle ("订单上的", "包裹里", "快递中的").
func placeWord(nt *normText, t *token) bool {
	if r, _ := utf8.DecodeRune(nt.b[t.ne:]); r == '上' || r == '里' || r == '中' || r == '内' {
		return true
	}
	// The word before, past one determiner.
	i := int(t.ns)
	for n := 0; n < 2; n++ {
		for i > 0 && nt.b[i-1] == ' ' {
			i--
		}
		j := i
		for j > 0 && asciiKind(nt.b[j-1]) == 1 {
			j--
		}
		if j == i {
			return false
		}
		w := string(nt.b[j:i])
		if placePrepositions[w] {
			return true
		}
		if !determiners[w] {
			return false
		}
		i = j
	}
	return false
}

func pick(cond bool, a, b float64) float64 {
	if cond {
		return a
	}
	return b
}

// qqName reports whether b, a chat app's name, names QQ ("qq", "扣扣", "企鹅号", "q号"),
// whose account numbers are digits that are not phones.
func qqName(b []byte) bool { return containsAny(b, "qq", "q q", "扣扣", "企鹅", "q号") }
