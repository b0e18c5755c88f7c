package risk

import (
	"strings"
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
	runeOff []int32 // runeOff[k]: byte offset in orig of code point k, one extra at the end; built by offsets when first needed
	offDone bool    // runeOff is built
	nrunes  int     // code points in orig
	breaks  []int32 // code-point indices of clause-ending punctuation, ascending
	sents   []int32 // the breaks that also end a sentence ("。", "!", "?", ";", "…", new line)

	// Signals for the emotion scorer, gathered in the same pass.
	emoji       [3]float32 // anger, anxiety, positive
	bangs       int        // '!' characters
	bangRun     int        // longest run of '!'
	questRun    int        // longest run of '?'
	capsLetter  int        // letters in ALL-CAPS words of four letters or more, not glued to digits ("SAVE20" is a code)
	repeats     int        // runs of three or more identical Han characters
	digits      int        // ASCII digits and Chinese numerals
	asciiDigits int        // ASCII digits
	addrAnchor  bool       // a Han character that ends a street or estate name (zhRoad, zhEstate)
	// punct has bit c set for every ASCII byte c in b other than a lowercase letter or a
	// digit (and maybe for some of those), so that the searches for links and e-mails
	// can tell at once that a message has no "@", "." or ":".
	punct [2]uint64
	// quoteMark: b holds “, 「 or 『, which open a quotation (quoteSpans)
	quoteMark bool

	foldIn, foldOut [utf8.UTFMax * 4]byte // foldRune's working memory

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
	b, src := nt.b[:0], nt.src[:0]
	if n := len(text) + 16; cap(b) < n {
		b, src = make([]byte, 0, 2*n), make([]int32, 0, 2*n)
	}
	// Field by field: assigning a whole new normText costs more than the short
	// messages it is used for (a copy of the struct and write barriers).
	nt.orig, nt.b, nt.src, nt.runeOff, nt.breaks, nt.sents = text, b, src, nt.runeOff[:0], nt.breaks[:0], nt.sents[:0]
	nt.offDone, nt.nrunes = false, 0
	nt.emoji, nt.punct, nt.quoteMark = [3]float32{}, [2]uint64{}, false
	nt.bangs, nt.bangRun, nt.questRun, nt.capsLetter, nt.repeats, nt.digits, nt.asciiDigits = 0, 0, 0, 0, 0, 0, 0
	nt.addrAnchor, nt.npend, nt.prevHan, nt.prevR, nt.run = false, 0, false, 0, 0
}

// normalize fills nt from text.
func (nt *normText) normalize(text string) {
	nt.reset(text)
	var k int32
	var word, upper int // current ASCII word: letters, upper-case letters
	glued := false      // the current word follows an ASCII digit
	bangRun, questRun := 0, 0
	// The output slices live in locals through the fast paths and are handed back to nt
	// around every call that writes them (sync before, load after).
	b, src := nt.b, nt.src
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			k++
			i++
			// Fast paths: lowercase ASCII letters and digits, and plain Han characters
			// (below), are most of every message. Spaces and joiners pending before a
			// letter or a digit are written out first (they stand between it and what
			// came before, and only a pair of Han characters drops them).
			if c >= 'a' && c <= 'z' {
				if nt.npend > 0 {
					nt.b, nt.src = b, src
					nt.flushPending(false)
					b, src = nt.b, nt.src
				}
				// The rest of a run of lowercase letters in a tight loop.
				n := 1
				b = append(b, c)
				src = append(src, k-1)
				for i < len(text) && text[i] >= 'a' && text[i] <= 'z' {
					b = append(b, text[i])
					src = append(src, k)
					k++
					i++
					n++
				}
				if word == 0 {
					glued = i-n >= 1 && text[i-n-1] >= '0' && text[i-n-1] <= '9'
				}
				word += n
				bangRun, questRun = 0, 0
				nt.prevHan, nt.prevR = false, rune(text[i-1])
				continue
			}
			if c >= 'A' && c <= 'Z' {
				upper++
			}
			if c|0x20 >= 'a' && c|0x20 <= 'z' {
				if word == 0 {
					glued = i >= 2 && text[i-2] >= '0' && text[i-2] <= '9'
				}
				word++
			} else if word > 0 {
				if word >= 4 && upper == word && !glued && (c < '0' || c > '9') {
					nt.capsLetter += word
				}
				word, upper = 0, 0
			}
			if c == '!' {
				nt.bangs++
				bangRun++
				nt.bangRun = max(nt.bangRun, bangRun)
			} else {
				bangRun = 0
			}
			if c == '?' {
				questRun++
				nt.questRun = max(nt.questRun, questRun)
			} else {
				questRun = 0
			}
			if c >= '0' && c <= '9' {
				if nt.npend > 0 {
					nt.b, nt.src = b, src
					nt.flushPending(false)
					b, src = nt.b, nt.src
				}
				nt.digits++
				nt.asciiDigits++
				nt.run, nt.prevR, nt.prevHan = 1, rune(c), false
				b = append(b, c)
				src = append(src, k-1)
				continue
			}
			if c >= 'A' && c <= 'Z' {
				// An upper-case letter, lowercased as emit would write it.
				if nt.npend > 0 {
					nt.b, nt.src = b, src
					nt.flushPending(false)
					b, src = nt.b, nt.src
				}
				nt.run, nt.prevR, nt.prevHan = 1, rune(c+'a'-'A'), false
				b = append(b, c+'a'-'A')
				src = append(src, k-1)
				continue
			}
			if c == ' ' && nt.npend == 0 && len(b) > 0 && i < len(text) && (isLetter(text[i]) || text[i] >= '0' && text[i] <= '9') {
				// One space between words: what addPending and flushPending would
				// write, as the letter or digit after it writes out a pending space.
				nt.punct[0] |= 1 << ' '
				b = append(b, ' ')
				src = append(src, k-1)
				continue
			}
			nt.b, nt.src = b, src
			nt.foldASCII(text, i-1, c, k-1)
			b, src = nt.b, nt.src
			continue
		}
		// A three-byte sequence whose lead byte allows any continuation (all of CJK) is
		// decoded inline; anything else, invalid bytes included, as range would.
		var r rune
		size := 3
		if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			r = rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		k++
		if word > 0 {
			if word >= 4 && upper == word && !glued {
				nt.capsLetter += word
			}
			word, upper = 0, 0
		}
		if r == '！' {
			nt.bangs++
			bangRun++
			nt.bangRun = max(nt.bangRun, bangRun)
		} else {
			bangRun = 0
		}
		if r == '？' {
			questRun++
			nt.questRun = max(nt.questRun, questRun)
		} else {
			questRun = 0
		}
		switch {
		case isHan(r) && !hanSpecial(r):
			// A Han character that is neither folded nor a digit: copied as it is,
			// after what is pending (dropped between two Han characters).
			if nt.npend > 0 {
				nt.b, nt.src = b, src
				nt.flushPending(nt.prevHan)
				b, src = nt.b, nt.src
			}
			if r == nt.prevR {
				if nt.run++; nt.run == 3 {
					nt.repeats++
				}
			} else {
				nt.run = 1
			}
			nt.prevR, nt.prevHan = r, true
			b = append(b, c, text[i+1], text[i+2])
			src = append(src, k-1, k-1, k-1)
			// The plain Han characters right after it, in a loop of their own.
			var n int
			b, src, n, k = nt.hanRun(text, i+3, b, src, k)
			i += n
		case isHan(r):
			if isHanNumeral(r) {
				nt.digits++
			}
			nt.b, nt.src = b, src
			nt.emitHan(text[i:i+3], r, k-1)
			b, src = nt.b, nt.src
		case nt.npend == 0 && (r == '，' || r == '？' || r == '！'):
			// Full-width punctuation of Chinese text, written in its ASCII form as
			// foldRune and foldASCII would: a clause break, "?" and "!" also end a
			// sentence.
			a := byte(r - 0xFEE0)
			nt.run, nt.prevR, nt.prevHan = 1, rune(a), false
			nt.punct[0] |= 1 << a
			b = append(b, a)
			src = append(src, k-1)
			nt.breaks = append(nt.breaks, k-1)
			if a != ',' {
				nt.sents = append(nt.sents, k-1)
			}
		default:
			nt.b, nt.src = b, src
			nt.foldRune(text, i, r, k-1)
			b, src = nt.b, nt.src
		}
		i += size
	}
	if word >= 4 && upper == word && !glued {
		nt.capsLetter += word
	}
	nt.b, nt.src, nt.nrunes = b, src, int(k)
	nt.flushPending(false)
}

// hanRun copies the plain Han characters (isHan, not hanSpecial) at text[i:] to b and
// src, as the main loop of normalize would after a plain Han character (nothing is
// pending, no word or run of "!" is open), k being the code point at i. It returns the
// slices, the number of bytes it read and the next code point; it stops at anything
// else, and where b or src would have to grow.
//
// It calls nothing, so that Go keeps its values in registers: the main loop, with its
// calls on other paths, stores and reloads them around every character.
func (nt *normText) hanRun(text string, i int, b []byte, src []int32, k int32) ([]byte, []int32, int, int32) {
	start := i
	prevR, run, repeats := nt.prevR, nt.run, nt.repeats
	for i+2 < len(text) && cap(b)-len(b) >= 3 && cap(src)-len(src) >= 3 {
		c, c1, c2 := text[i], text[i+1], text[i+2]
		if c < 0xE3 || c > 0xE9 || c1&0xC0 != 0x80 || c2&0xC0 != 0x80 {
			break
		}
		r := rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
		if !isHan(r) || hanSpecial(r) {
			break
		}
		if r == prevR {
			if run++; run == 3 {
				repeats++
			}
		} else {
			run = 1
		}
		prevR = r
		n, m := len(b), len(src)
		b, src = b[:n+3], src[:m+3]
		b[n], b[n+1], b[n+2] = c, c1, c2
		src[m], src[m+1], src[m+2] = k, k, k
		k++
		i += 3
	}
	nt.prevR, nt.run, nt.repeats = prevR, run, repeats
	return b, src, i - start, k
}

// emitHan appends the Han character orig, written as enc in the original.
func (nt *normText) emitHan(enc string, orig rune, k int32) {
	r := orig
	if hanSpecial(orig) {
		r = foldHan(orig)
	}
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
	if zhRoad(r) || zhEstate(r) {
		nt.addrAnchor = true
	}
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
		nt.endSentence(k)
		return
	case r == '…' || r == '\u2028' || r == '\u2029':
		nt.emit(r, k)
		nt.endSentence(k)
		return
	case r == utf8.RuneError:
		nt.addPending(' ', k)
		return
	case isInvisible(r):
		return
	case r == 0xB7 || r == 0x2022 || r == 0x2027 || r == 0x30FB || r == 0x2219 || r == 0xFF65:
		nt.addPending('·', k) // middle dots: joiners
		return
	case r == '【' || r == '】' || r == '〖' || r == '〗':
		nt.addPending(r, k) // lenticular brackets join two Han characters: "【钉钉】会议"
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
	// The buffers are nt's: local arrays would escape through Append and cost an
	// allocation per character taking this path.
	n := utf8.EncodeRune(nt.foldIn[:], r)
	dec := norm.NFKD.Append(nt.foldOut[:0], nt.foldIn[:n]...)
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

// Kinds of ASCII bytes for foldASCII.
const (
	aOther   = iota // written as it is
	aUpper          // lowercased
	aDigit          // counted
	aNewline        // ends a sentence
	aSpace          // white space, collapsed
	aControl        // dropped
	aJoiner         // dropped between Han characters, else written ("." may end a sentence)
	aEnd            // "!", "?", ";": ends a sentence
	aComma          // ends a clause
)

var asciiKinds = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case c >= 'A' && c <= 'Z':
			t[c] = aUpper
		case c >= '0' && c <= '9':
			t[c] = aDigit
		case c == '\n':
			t[c] = aNewline
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			t[c] = aSpace
		case c < 0x20 || c == 0x7F:
			t[c] = aControl
		case strings.IndexByte(".-_~*|/\\^`=#'\"", byte(c)) >= 0:
			t[c] = aJoiner
		case c == '!' || c == '?' || c == ';':
			t[c] = aEnd
		case c == ',':
			t[c] = aComma
		}
	}
	return
}()

// foldASCII handles an ASCII byte (or the ASCII form of a full-width one).
func (nt *normText) foldASCII(text string, i int, c byte, k int32) {
	switch asciiKinds[c&0x7F] {
	case aUpper:
		nt.emit(rune(c+'a'-'A'), k)
	case aDigit:
		nt.digits++
		nt.asciiDigits++
		nt.emit(rune(c), k)
	case aNewline:
		nt.flushPending(true)
		if len(nt.b) > 0 && nt.b[len(nt.b)-1] != '\n' {
			nt.appendRune('\n', k)
		}
		nt.prevHan = false
		nt.endSentence(k)
	case aSpace:
		nt.addPending(' ', k)
	case aControl:
		// other control characters carry nothing
	case aJoiner:
		if nt.prevHan {
			nt.addPending(rune(c), k)
			return
		}
		nt.emit(rune(c), k)
		if c == '.' && (i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			nt.endSentence(k)
		}
	case aEnd:
		nt.emit(rune(c), k)
		nt.endSentence(k)
	case aComma:
		nt.emit(rune(c), k)
		nt.breaks = append(nt.breaks, k)
	default:
		nt.emit(rune(c), k)
	}
}

// endSentence records a clause break at code point k that also ends a sentence.
func (nt *normText) endSentence(k int32) {
	nt.breaks = append(nt.breaks, k)
	nt.sents = append(nt.sents, k)
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
	if han && (zhRoad(r) || zhEstate(r)) {
		nt.addrAnchor = true
	}
	nt.appendRune(r, k)
}

func (nt *normText) appendRune(r rune, k int32) {
	if r < utf8.RuneSelf {
		nt.punct[r>>6] |= 1 << (r & 63)
		nt.b = append(nt.b, byte(r))
		nt.src = append(nt.src, k)
		return
	}
	if r == '“' || r == '「' || r == '『' {
		nt.quoteMark = true
	}
	n := len(nt.b)
	nt.b = utf8.AppendRune(nt.b, r)
	for range len(nt.b) - n {
		nt.src = append(nt.src, k)
	}
}

// hasPunct reports whether b may hold the ASCII byte c; for anything but a lowercase
// letter or a digit, false means it does not.
func (nt *normText) hasPunct(c byte) bool { return nt.punct[c>>6&1]&(1<<(c&63)) != 0 }

func (nt *normText) prevASCIIAlnum() bool {
	return nt.npend == 0 && len(nt.b) > 0 && asciiKind(nt.b[len(nt.b)-1]) != 0
}

// origSpan returns the code-point span in the original of normalised bytes [s, e).
func (nt *normText) origSpan(s, e int) (int, int) {
	return int(nt.src[s]), int(nt.src[e-1]) + 1
}

// origText returns the original text of code points [s, e).
func (nt *normText) origText(s, e int) string {
	off := nt.offsets()
	return nt.orig[off[s]:off[e]]
}

// offsets returns runeOff, building it on first use: most messages have nothing to
// report and never need it, so the normaliser does not write it.
func (nt *normText) offsets() []int32 {
	if !nt.offDone {
		off := nt.runeOff[:0]
		for i := range nt.orig { // code points as the normaliser reads them
			off = append(off, int32(i))
		}
		nt.runeOff, nt.offDone = append(off, int32(len(nt.orig))), true
	}
	return nt.runeOff
}

// nextRune decodes the rune at b[i:] as utf8.DecodeRune does, with the three-byte
// sequences of CJK decoded inline.
func nextRune(b []byte, i int) (rune, int) {
	c := b[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80 {
		return rune(c&0x0F)<<12 | rune(b[i+1]&0x3F)<<6 | rune(b[i+2]&0x3F), 3
	}
	return utf8.DecodeRune(b[i:])
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
