package risk

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normText is a message after normalisation, with a map back to the original.
//
// Normalisation works rune by rune, so every normalised byte comes from exactly one
// original code point: full-width and compatibility forms are folded (NFKD), marks and
// zero-width, format and decorative characters are dropped, letters are lowercased and
// homoglyphs folded to Latin, a few traditional characters folded to simplified, runs of
// white space collapsed, and spaces and joiner punctuation between two Han characters
// dropped ("加 微-信" → "加微信"). Digits keep their separators; the number scanner
// reads them.
type normText struct {
	orig    string
	b       []byte  // normalised UTF-8
	src     []int32 // src[i]: code-point index in orig of the rune that produced b[i]
	runeOff []int32 // runeOff[k]: byte offset in orig of code point k; one extra at the end
	breaks  []int32 // code-point indices of clause-ending punctuation, ascending

	// Signals for the emotion scorer, gathered in the same pass.
	emoji       [3]float32 // anger, anxiety, positive
	bangs       int        // '!' characters
	bangRun     int        // longest run of '!'
	questRun    int        // longest run of '?'
	capsLetter  int        // letters in ALL-CAPS words of four letters or more
	repeats     int        // runs of three or more identical Han characters
	digits      int        // ASCII digits and Chinese numerals
	asciiDigits int        // ASCII digits

	pend    [8]pending // spaces and joiners waiting to see the next rune
	npend   int
	prevHan bool
	prevR   rune
	run     int
}

type pending struct {
	r rune
	k int32
}

// reset prepares nt for text, keeping its buffers.
func (nt *normText) reset(text string) {
	b, src, off := nt.b[:0], nt.src[:0], nt.runeOff[:0]
	if n := len(text) + 16; cap(b) < n {
		b, src, off = make([]byte, 0, 2*n), make([]int32, 0, 2*n), make([]int32, 0, n)
	}
	*nt = normText{orig: text, b: b, src: src, runeOff: off, breaks: nt.breaks[:0]}
}

// normalize fills nt from text.
func (nt *normText) normalize(text string) {
	nt.reset(text)
	var k int32
	var word, upper int // current ASCII word: letters, upper-case letters
	bangRun, questRun := 0, 0
	for i, r := range text {
		nt.runeOff = append(nt.runeOff, int32(i))
		k++
		// Fast paths: lowercase ASCII letters and digits, and Han characters, with
		// nothing pending, are most of every message.
		if r >= 'a' && r <= 'z' && nt.npend == 0 {
			word++
			bangRun, questRun = 0, 0
			nt.prevHan, nt.prevR = false, r
			nt.b = append(nt.b, byte(r))
			nt.src = append(nt.src, k-1)
			continue
		}
		if r >= 'A' && r <= 'Z' {
			upper++
		}
		if r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') {
			word++
		} else if word > 0 {
			if word >= 4 && upper == word {
				nt.capsLetter += word
			}
			word, upper = 0, 0
		}
		switch {
		case r == '!' || r == '！':
			nt.bangs++
			bangRun++
			nt.bangRun = max(nt.bangRun, bangRun)
		case r == '?' || r == '？':
			questRun++
			nt.questRun = max(nt.questRun, questRun)
		}
		if r != '!' && r != '！' {
			bangRun = 0
		}
		if r != '?' && r != '？' {
			questRun = 0
		}
		if isHan(r) {
			if digitValue(r) >= 0 {
				nt.digits++
			}
			nt.emitHan(text[i:i+3], r, k-1)
			continue
		}
		nt.foldRune(text, i, r, k-1)
	}
	if word >= 4 && upper == word {
		nt.capsLetter += word
	}
	nt.runeOff = append(nt.runeOff, int32(len(text)))
	nt.flushPending(false)
}

// emitHan appends the Han character orig, written as enc in the original.
func (nt *normText) emitHan(enc string, orig rune, k int32) {
	r := foldHan(orig)
	if nt.npend > 0 {
		nt.flushPending(nt.prevHan)
	}
	if r == nt.prevR {
		nt.run++
		if nt.run == 3 {
			nt.repeats++
		}
	} else {
		nt.run = 1
	}
	nt.prevR, nt.prevHan = r, true
	if r != orig || len(enc) != 3 {
		nt.appendRune(r, k)
		return
	}
	nt.b = append(nt.b, enc...)
	nt.src = append(nt.src, k, k, k)
}

// foldRune normalises the rune r at byte offset i (code point k) of text.
func (nt *normText) foldRune(text string, i int, r rune, k int32) {
	switch {
	case r < utf8.RuneSelf:
		nt.foldASCII(text, i, byte(r), k)
		return
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		nt.foldASCII(text, i, byte(r-0xFEE0), k)
		return
	case isHan(r):
		nt.emit(foldHan(r), k)
		return
	case r == 0x3000: // ideographic space
		nt.addPending(' ', k)
		return
	case r == '。' || r == '｡':
		// An ideographic full stop between ASCII letters or digits is a dot in a
		// disguised domain name ("taobao-refund。top"); elsewhere it ends a clause.
		if nt.prevASCIIAlnum() && nextIsASCIIAlnum(text, i+utf8.RuneLen(r)) {
			nt.emit('.', k)
			return
		}
		nt.emit('。', k)
		nt.breaks = append(nt.breaks, k)
		return
	case r == '…' || r == '\u2028' || r == '\u2029':
		nt.emit(r, k)
		nt.breaks = append(nt.breaks, k)
		return
	case r == utf8.RuneError:
		nt.addPending(' ', k)
		return
	case isInvisible(r):
		return
	case r == 0xB7 || r == 0x2022 || r == 0x2027 || r == 0x30FB || r == 0x2219 || r == 0xFF65:
		nt.addPending('·', k) // middle dots: joiners
		return
	}
	if w, ok := emojiEmotion(r); ok {
		nt.emoji[w.label] += w.weight
		return
	}
	if isDecorative(r) {
		return
	}
	if unicode.IsSpace(r) {
		nt.addPending(' ', k)
		return
	}
	if fr, ok := foldHomoglyph(r); ok {
		nt.emit(fr, k)
		return
	}
	var in, out [utf8.UTFMax * 4]byte
	n := utf8.EncodeRune(in[:], r)
	dec := norm.NFKD.Append(out[:0], in[:n]...)
	for len(dec) > 0 {
		d, size := utf8.DecodeRune(dec)
		dec = dec[size:]
		switch {
		case unicode.Is(unicode.Mn, d) || unicode.Is(unicode.Me, d) || isInvisible(d):
		case d < utf8.RuneSelf:
			nt.foldASCII(text, i, byte(d), k)
		case isHan(d):
			nt.emit(foldHan(d), k)
		case digitValue(d) >= 0: // 〇
			nt.digits++
			nt.emit(d, k)
		case unicode.IsSpace(d):
			nt.addPending(' ', k)
		default:
			if fr, ok := foldHomoglyph(d); ok {
				d = fr
			}
			nt.emit(unicode.ToLower(d), k)
		}
	}
}

// foldASCII handles an ASCII byte (or the ASCII form of a full-width one).
func (nt *normText) foldASCII(text string, i int, c byte, k int32) {
	switch {
	case c >= 'A' && c <= 'Z':
		nt.emit(rune(c+'a'-'A'), k)
	case c >= '0' && c <= '9':
		nt.digits++
		nt.asciiDigits++
		nt.emit(rune(c), k)
	case c == '\n':
		nt.flushPending(true)
		if len(nt.b) > 0 && nt.b[len(nt.b)-1] != '\n' {
			nt.appendRune('\n', k)
		}
		nt.prevHan = false
		nt.breaks = append(nt.breaks, k)
	case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
		nt.addPending(' ', k)
	case c < 0x20 || c == 0x7F:
		// other control characters carry nothing
	case c == '.' || c == '-' || c == '_' || c == '~' || c == '*' || c == '|' || c == '/' ||
		c == '\\' || c == '^' || c == '`' || c == '=' || c == '#' || c == '\'' || c == '"':
		if nt.prevHan {
			nt.addPending(rune(c), k)
			return
		}
		nt.emit(rune(c), k)
		if c == '.' && (i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			nt.breaks = append(nt.breaks, k)
		}
	case c == '!' || c == '?' || c == ';' || c == ',':
		nt.emit(rune(c), k)
		nt.breaks = append(nt.breaks, k)
	default:
		nt.emit(rune(c), k)
	}
}

// addPending holds a space or joiner until the next emitted rune shows whether it
// stands between two Han characters (then it is dropped) or not (then it is kept, runs of
// spaces collapsed to one).
func (nt *normText) addPending(r rune, k int32) {
	if len(nt.b) == 0 && r == ' ' {
		return // leading space
	}
	if nt.npend > 0 && r == ' ' && nt.pend[nt.npend-1].r == ' ' {
		return
	}
	if nt.npend == len(nt.pend) {
		nt.flushPending(false)
	}
	nt.pend[nt.npend] = pending{r, k}
	nt.npend++
}

// flushPending writes the pending runes out; with drop set it discards them.
func (nt *normText) flushPending(drop bool) {
	if !drop {
		for _, p := range nt.pend[:nt.npend] {
			if p.r == '·' {
				continue // decorative dots carry nothing once they are not joining Han
			}
			nt.appendRune(p.r, p.k)
		}
	}
	nt.npend = 0
}

// emit appends r after settling the pending spaces and joiners.
func (nt *normText) emit(r rune, k int32) {
	han := isHan(r)
	if nt.npend > 0 {
		nt.flushPending(nt.prevHan && han)
	}
	if han && r == nt.prevR {
		nt.run++
		if nt.run == 3 {
			nt.repeats++
		}
	} else {
		nt.run = 1
	}
	nt.prevR = r
	nt.prevHan = han
	nt.appendRune(r, k)
}

func (nt *normText) appendRune(r rune, k int32) {
	if r < utf8.RuneSelf {
		nt.b = append(nt.b, byte(r))
		nt.src = append(nt.src, k)
		return
	}
	n := len(nt.b)
	nt.b = utf8.AppendRune(nt.b, r)
	for range len(nt.b) - n {
		nt.src = append(nt.src, k)
	}
}

func (nt *normText) prevASCIIAlnum() bool {
	return nt.npend == 0 && len(nt.b) > 0 && asciiKind(nt.b[len(nt.b)-1]) != 0
}

// origSpan returns the code-point span in the original of normalised bytes [s, e).
func (nt *normText) origSpan(s, e int) (int, int) {
	return int(nt.src[s]), int(nt.src[e-1]) + 1
}

// origText returns the original text of code points [s, e).
func (nt *normText) origText(s, e int) string {
	return nt.orig[nt.runeOff[s]:nt.runeOff[e]]
}

func nextIsASCIIAlnum(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return r < utf8.RuneSelf && asciiKind(byte(r)) != 0
}

// normalizeString returns the normalised form of s (used for lexicon phrases).
func normalizeString(s string) string {
	var nt normText
	nt.normalize(s)
	for len(nt.b) > 0 && nt.b[len(nt.b)-1] == '\n' {
		nt.b = nt.b[:len(nt.b)-1]
	}
	return string(nt.b)
}
