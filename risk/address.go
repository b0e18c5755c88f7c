package risk

import (
	"strings"
	"unicode/utf8"
)

// Chinese street addresses are found from an anchor, a place name followed by a number
// and a unit ("科技园路88号", "阳光花园3栋"), extended left over the administrative
// divisions before it ("广东省深圳市南山区") and right over building, floor and room
// ("腾讯大厦3层301室").

// zhRoad reports the suffixes of street names; their number ends in 号 or 弄.
func zhRoad(r rune) bool {
	switch r {
	case '路', '街', '道', '巷', '弄', '同':
		return true
	}
	return false
}

// zhEstate reports the suffixes of estates and buildings; their number ends in a
// building unit.
func zhEstate(r rune) bool {
	switch r {
	case '园', '苑', '村', '城', '厦', '寓', '楼', '院', '舍', '区':
		return true
	}
	return false
}

// zhAdmin reports the suffixes of administrative divisions.
func zhAdmin(r rune) bool {
	switch r {
	case '省', '市', '区', '县', '镇', '乡', '州', '旗', '盟':
		return true
	}
	return false
}

// zhStop reports characters that do not occur inside an address but right before one
// ("我住在…", "地址是…").
func zhStop(r rune) bool {
	switch r {
	case '是', '在', '住', '的', '为', '于', '我', '你', '他', '她', '这', '那', '请', '帮', '就',
		'与', '及', '吗', '呢', '吧', '啊', '了', '把', '给', '到', '往', '址', '说':
		return true
	}
	return false
}

func zhAddrDigit(r rune) bool { return digitValue(r) >= 0 || r == '十' || r == '百' }

// zhUnit returns the length in bytes of a unit word at b[i:] ("号", "号楼", "单元" …).
var zhUnits = []string{"号楼", "号院", "号", "弄", "栋", "幢", "座", "单元", "层", "楼", "室", "户"}

func zhUnit(b []byte, i int, road bool) int {
	for _, u := range zhUnits {
		if len(b)-i >= len(u) && string(b[i:i+len(u)]) == u {
			if road && u != "号" && u != "号楼" && u != "号院" && u != "弄" {
				return 0
			}
			return len(u)
		}
	}
	return 0
}

// zhNumberUnit reads spaces, a house number (digits, "-"-joined, or one letter) and a
// unit at b[i:]; it returns the end, or i when there is none.
func zhNumberUnit(b []byte, i int, road bool) int {
	j := i
	for j < len(b) && b[j] == ' ' {
		j++
	}
	if road && j < len(b) {
		// A section ("人民南路四段12号") or a direction ("中山路东12号").
		k, n := j, 0
		for k < len(b) {
			r, size := utf8.DecodeRune(b[k:])
			if !zhAddrDigit(r) {
				break
			}
			n++
			k += size
		}
		if r, size := utf8.DecodeRune(b[k:]); n > 0 && n <= 2 && r == '段' {
			j = k + size
		} else if r, size := utf8.DecodeRune(b[j:]); strings.ContainsRune("东西南北中", r) {
			j += size
			if r, size := utf8.DecodeRune(b[j:]); r == '段' {
				j += size // "天府大道北段1700号"
			}
		}
	}
	if r, size := utf8.DecodeRune(b[j:]); j < len(b) && strings.ContainsRune("甲乙丙丁", r) {
		j += size // "建国路甲10号"
	}
	n := 0
	for j < len(b) {
		r, size := utf8.DecodeRune(b[j:])
		if zhAddrDigit(r) {
			n++
			j += size
		} else if r == '-' && n > 0 && j+1 < len(b) && b[j+1] >= '0' && b[j+1] <= '9' {
			j++
		} else {
			break
		}
	}
	if n == 0 && !road && j < len(b) && b[j] >= 'a' && b[j] <= 'z' {
		n, j = 1, j+1 // "A座"
	}
	if n == 0 || n > 6 {
		return i
	}
	u := zhUnit(b, j, road)
	if u == 0 {
		return i
	}
	return j + u
}

// findAddresses reports street-level postal addresses in Chinese and English.
func (e *Engine) findAddresses(sc *scratch) {
	if sc.nt.digits == 0 {
		return // every address has a house number
	}
	b := sc.nt.b
	english := sc.nt.asciiDigits > 0
	if !english && !sc.nt.addrAnchor {
		return // no house number in ASCII digits and no street or estate name
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			if english && b[i] >= 'a' && b[i] <= 'z' && (i == 0 || asciiKind(b[i-1]) == 0) {
				i = e.tryEnglishAddress(sc, i)
				continue
			}
			i++
			continue
		}
		if !sc.nt.addrAnchor {
			// No street or estate name anywhere: only English addresses are left, and
			// no byte of a multi-byte character starts one.
			i++
			continue
		}
		r, size := nextRune(b, i)
		road := zhRoad(r)
		if !road && !zhEstate(r) {
			i += size
			continue
		}
		end := zhNumberUnit(b, i+size, road)
		if end == i+size {
			i += size
			continue
		}
		if next := tryZhAddress(sc, i, end, road); next > i {
			i = next
			continue
		}
		i += size
	}
}

// tryZhAddress checks the anchor whose place suffix is at byte p and whose number ends
// at end; it records an address and returns where it ends, or returns p.
func tryZhAddress(sc *scratch, p, end int, road bool) int {
	b := sc.nt.b
	// The place name (at least two Han characters before the suffix) and the divisions
	// before it, back to a stop character, a non-Han character or an address cue word.
	start, han, admin := p, 0, false
	limit := 0
	if t := sc.cueSet.lastBefore(cCtxAddr, int32(p), 3*30); t != nil {
		limit = int(t.ne)
	}
	run, runEnd := 0, start // a run of digits: seven or more are a phone or an id, not a house number
	for start > limit && p-start < 3*30 {
		r, size := utf8.DecodeLastRune(b[:start])
		if r == ' ' {
			start -= size
			run = 0
			continue
		}
		if !isHan(r) && !zhAddrDigit(r) || zhStop(r) {
			break
		}
		if !zhAddrDigit(r) {
			run = 0
		} else if run == 0 {
			run, runEnd = 1, start
		} else if run++; run > 6 {
			start = runEnd
			break
		}
		if isHan(r) {
			han++
		}
		admin = admin || zhAdmin(r)
		start -= size
	}
	for start < p && b[start] == ' ' {
		start++
	}
	if han < 2 {
		return p
	}
	if !road && r0(b, p) == '区' {
		if prev, _ := utf8.DecodeLastRune(b[:p]); !strings.ContainsRune("小社园校营", prev) {
			return p // a district with a number is not a street address
		}
	}
	// Building, floor and room after the house number.
	for {
		j := end
		for j < len(b) && (b[j] == ' ' || b[j] == '-') {
			j++
		}
		k := j
		for n := 0; k < len(b) && n < 10; n++ {
			r, size := utf8.DecodeRune(b[k:])
			if r < utf8.RuneSelf && asciiKind(byte(r)) == 1 {
				if zhUnit(b, k+1, false) > 0 {
					break // "A座"
				}
			} else if !isHan(r) || zhStop(r) || zhAddrDigit(r) {
				break
			}
			k += size
		}
		next := zhNumberUnit(b, k, false)
		if next == k {
			// a bare room number after a building: "3栋 501"
			m := j
			for m < len(b) && b[m] >= '0' && b[m] <= '9' {
				m++
			}
			if k == j && m-j >= 3 && m-j <= 4 && (m == len(b) || asciiKind(b[m]) == 0) {
				end = m
			}
			break
		}
		end = next
	}
	s, en := sc.nt.origSpan(start, end)
	if sc.overlapsExcluded(s, en) {
		return end
	}
	score := 0.85
	if admin {
		score = 0.95
	}
	sc.add(PIIAddress, s, en, score, "pii.address.zh")
	sc.excluded = append(sc.excluded, [2]int{s, en})
	return end
}

func r0(b []byte, i int) rune {
	r, _ := utf8.DecodeRune(b[i:])
	return r
}
