package risk

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// English street addresses are found from a street suffix ("Street", "Rd") preceded by
// a street name and a house number ("221B Baker Street"), then extended over an
// apartment, a city and a state with postal code.

var streetSuffixes = wordSet("street st road rd avenue ave boulevard blvd lane ln drive dr way court ct " +
	"place pl parkway pkwy terrace highway hwy square sq circle cir crescent close alley trail")

// streetPrefixes are street words written before the name, as in Malaysia and Indonesia
// ("88 Jalan Ampang"), Thailand ("Soi") and the Romance languages ("12 Rue Cler"). Such
// an address is reported only with a postal code or a city after it.
var streetPrefixes = wordSet("jalan jln lorong lrg soi rue calle avenida rua")

// suffixShapes[c-'a'] has bit n set when a street suffix or prefix of n letters starts
// with c: a test that spares most words the map look-ups.
var suffixShapes = func() (t [26]uint32) {
	for _, set := range []map[string]bool{streetSuffixes, streetPrefixes} {
		for w := range set {
			t[w[0]-'a'] |= 1 << len(w)
		}
	}
	return
}()

var unitWords = wordSet("apt apartment suite ste unit flat room rm fl floor")

// nameStopwords never appear inside a street name; they show that "2 items on the way"
// is not an address.
var nameStopwords = wordSet("the a an on in at of to for and or my your our his her their is are was were be " +
	"been this that it its we i you he she they me him them with from by as please not no yes have has had " +
	"will would can could should do did just more most some any all each every other about after before over " +
	"under up down out off than then there here where when what which who how why items item days day hours " +
	"hour minutes weeks months years times dollars usd yuan order orders package packages parcel box boxes " +
	"pieces pcs ago left only")

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// asciiWord returns the end of the run of ASCII letters and digits starting at i.
func asciiWord(b []byte, i int) int {
	for i < len(b) && asciiKind(b[i]) != 0 {
		i++
	}
	return i
}

// tryEnglishAddress checks the word starting at byte i; it records an address and
// returns where it ends, or returns the end of the word.
func (e *Engine) tryEnglishAddress(sc *scratch, i int) int {
	b := sc.nt.b
	we := asciiWord(b, i)
	if n := we - i; n >= 32 || b[i] < 'a' || b[i] > 'z' || suffixShapes[b[i]-'a']&(1<<n) == 0 {
		return we
	}
	if streetPrefixes[string(b[i:we])] {
		return sc.prefixAddress(i, we)
	}
	if !streetSuffixes[string(b[i:we])] {
		return we
	}
	// Walk back over the street name to the house number.
	var words [5][2]int
	n := 0
	pos := i
	for n < len(words) && pos >= 2 && b[pos-1] == ' ' && asciiKind(b[pos-2]) != 0 {
		ws := pos - 1
		for ws > 0 && asciiKind(b[ws-1]) != 0 {
			ws--
		}
		words[n] = [2]int{ws, pos - 1}
		n++
		if houseNumber(b[ws : pos-1]) {
			break
		}
		if nameStopwords[string(b[ws:pos-1])] {
			return we
		}
		pos = ws
	}
	// "12th Main Road, Indiranagar, Bengaluru 560038": an ordinal street with no house
	// number is an address only when a postal code follows.
	house := n >= 2 && houseNumber(b[words[n-1][0]:words[n-1][1]])
	if !house && (n < 2 || !ordinalWord(b[words[n-1][0]:words[n-1][1]])) {
		return we
	}
	start := words[n-1][0]
	if start > 0 && (b[start-1] == '$' || b[start-1] == '#' || asciiKind(b[start-1]) != 0) {
		return we
	}
	capital := true
	for k := 0; k < n-1; k++ {
		capital = capital && (sc.origUpper(words[k][0]) || asciiKind(b[words[k][0]]) == 2)
	}
	s0, _ := sc.nt.origSpan(start, we)
	cue := sc.cueSet.nearest(cCtxAddr, s0, s0+1, 25, 0) >= 0
	if !capital && !cue {
		return we
	}
	end := we
	if end < len(b) && b[end] == '.' {
		end++
	}
	end, more := sc.extendEnglishAddress(end)
	if !house && !bytes.ContainsAny(b[we:end], "0123456789") {
		return end // an ordinal street without a postal code
	}
	score := 0.85
	if more || cue {
		score = 0.95
	}
	sc.addEnglishAddress(start, end, score)
	return end
}

// addEnglishAddress records the address at normalised bytes [start, end) unless it
// overlaps something found already.
func (sc *scratch) addEnglishAddress(start, end int, score float64) {
	s, en := sc.nt.origSpan(start, end)
	if sc.overlapsExcluded(s, en) {
		return
	}
	sc.add(PIIAddress, s, en, score, "pii.address.en")
	sc.excluded = append(sc.excluded, [2]int{s, en})
}

// nameParticles are the lower-case words inside street names ("Rue de Rivoli").
var nameParticles = wordSet("de du des la le del di da van von bin binti")

// prefixAddress checks a street prefix word at b[i:we] for a house number before it and
// one to three capitalised name words after it, followed by a postal code or a city
// ("88 Jalan Ampang, 50450 Kuala Lumpur"); it records the address and returns where it
// ends, or returns we.
func (sc *scratch) prefixAddress(i, we int) int {
	b := sc.nt.b
	if i < 2 || b[i-1] != ' ' {
		return we
	}
	hs := i - 1
	for hs > 0 && asciiKind(b[hs-1]) != 0 {
		hs--
	}
	if !houseNumber(b[hs:i-1]) || hs > 0 && (b[hs-1] == '$' || b[hs-1] == '#') {
		return we
	}
	end := we
	for k := 0; k < 3 && end+1 < len(b) && b[end] == ' ' && asciiKind(b[end+1]) != 0; k++ {
		ne := asciiWord(b, end+1)
		w := string(b[end+1 : ne])
		if asciiKind(b[end+1]) == 1 && !sc.origUpper(end+1) && !nameParticles[w] || nameStopwords[w] {
			break
		}
		end = ne
	}
	if end == we {
		return we
	}
	if s0, _ := sc.nt.origSpan(hs, hs+1); !sc.origUpper(i) && sc.cueSet.nearest(cCtxAddr, s0, s0+1, 25, 0) < 0 {
		return we
	}
	end, more := sc.extendEnglishAddress(end)
	if !more {
		return we
	}
	sc.addEnglishAddress(hs, end, 0.9)
	return end
}

// ordinalWord: an ordinal written in digits ("12th", "1st", "22nd", "3rd").
func ordinalWord(w []byte) bool {
	d := 0
	for d < len(w) && w[d] >= '0' && w[d] <= '9' {
		d++
	}
	if d == 0 || d > 3 || len(w) != d+2 {
		return false
	}
	switch string(w[d:]) {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// houseNumber: 1–6 digits, optionally with one letter ("221b") or a range ("12-14").
func houseNumber(w []byte) bool {
	digits := 0
	for digits < len(w) && w[digits] >= '0' && w[digits] <= '9' {
		digits++
	}
	if digits == 0 || digits > 6 {
		return false
	}
	return digits == len(w) || digits == len(w)-1 && asciiKind(w[digits]) == 1
}

// origUpper reports whether the original character behind normalised byte i is an
// upper-case letter.
func (sc *scratch) origUpper(i int) bool {
	k := sc.nt.src[i]
	r, _ := utf8.DecodeRuneInString(sc.nt.origText(int(k), int(k)+1))
	return unicode.IsUpper(r)
}

// extendEnglishAddress extends an address ending at byte end over ", Apt 4B",
// ", Springfield", ", IL 62704" and similar; it reports whether it found a city or a
// postal code.
func (sc *scratch) extendEnglishAddress(end int) (int, bool) {
	b := sc.nt.b
	more := false
	for part := 0; part < 4; part++ {
		j := end
		for j < len(b) && (b[j] == ',' || b[j] == ' ') {
			j++
		}
		if j == end || j >= len(b) || asciiKind(b[j]) == 0 && b[j] != '#' {
			break
		}
		we := asciiWord(b, j)
		w := string(b[j:we])
		switch {
		case b[j] == '#' || unitWords[w]:
			k := we
			if b[j] == '#' {
				k = j + 1
			}
			for k < len(b) && (b[k] == '.' || b[k] == ' ') {
				k++
			}
			ke := asciiWord(b, k)
			if ke == k || ke-k > 6 {
				return end, more
			}
			end = ke
		case len(w) == 2 && asciiKind(w[0]) == 1 && we+1 < len(b) && b[we] == ' ' && postal(b, we+1) > we+1:
			end, more = postal(b, we+1), true // state and ZIP code
		case postal(b, j) > j:
			end, more = postal(b, j), true
		case asciiKind(w[0]) == 1 && sc.origUpper(j) && !nameStopwords[w]:
			// a city of one to three capitalised words
			k := we
			for c := 1; c < 3 && k+1 < len(b) && b[k] == ' ' && asciiKind(b[k+1]) == 1 && sc.origUpper(k+1); c++ {
				nk := asciiWord(b, k+1)
				if nameStopwords[string(b[k+1:nk])] || postal(b, k+1) > k+1 || !lettersOnly(b[k+1:nk]) {
					break
				}
				k = nk
			}
			end, more = k, true
		default:
			return end, more
		}
	}
	return end, more
}

// postal returns the end of a postal code at b[i:] (US ZIP, ZIP+4, five or six digits,
// or a UK postcode), or i.
func postal(b []byte, i int) int {
	we := asciiWord(b, i)
	w := b[i:we]
	digits := 0
	for _, c := range w {
		if asciiKind(c) == 2 {
			digits++
		}
	}
	if digits == len(w) && (digits == 5 || digits == 6) {
		if we+5 <= len(b) && b[we] == '-' && asciiWord(b, we+1) == we+5 {
			return we + 5
		}
		return we
	}
	// UK: outward code (A9, A9A, A99, AA9, AA9A, AA99), space, inward code (9AA).
	if len(w) >= 2 && len(w) <= 4 && asciiKind(w[0]) == 1 && digits >= 1 && we+4 <= len(b) && b[we] == ' ' {
		in := b[we+1 : we+4]
		if asciiKind(in[0]) == 2 && asciiKind(in[1]) == 1 && asciiKind(in[2]) == 1 && asciiWord(b, we+1) == we+4 {
			return we + 4
		}
	}
	return i
}
