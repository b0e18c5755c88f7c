package risk

// The normaliser as it was before its fast paths, kept as the reference for
// TestNormalizeMatchesReference.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// refNormText is normText before its fast paths.
//
// Normalisation works rune by rune, so every normalised byte comes from exactly one
// original code point: full-width and compatibility forms are folded (NFKD), marks and
// zero-width, format and decorative characters are dropped, letters are lowercased and
// homoglyphs folded to Latin, a few traditional characters folded to simplified, runs of
// white space collapsed, and spaces and joiner punctuation between two Han characters
// dropped ("加 微-信" → "加微信"). Digits keep their separators; the number scanner
// reads them.
type refNormText struct {
	orig    string
	b       []byte  // normalised UTF-8
	src     []int32 // src[i]: code-point index in orig of the rune that produced b[i]
	runeOff []int32 // runeOff[k]: byte offset in orig of code point k; one extra at the end
	breaks  []int32 // code-point indices of clause-ending punctuation, ascending
	sents   []int32 // the breaks that also end a sentence ("。", "!", "?", ";", "…", new line)

	// Signals for the emotion scorer, gathered in the same pass.
	emoji       [3]float32 // anger, anxiety, positive
	bangs       int        // '!' characters
	bangRun     int        // longest run of '!'
	questRun    int        // longest run of '?'
	capsLetter  int        // letters in ALL-CAPS words of four letters or more
	repeats     int        // runs of three or more identical Han characters
	digits      int        // ASCII digits and Chinese numerals
	asciiDigits int        // ASCII digits

	pend    [8]refPending // spaces and joiners waiting to see the next rune
	npend   int
	prevHan bool
	prevR   rune
	run     int
}

type refPending struct {
	r rune
	k int32
}

// reset prepares nt for text, keeping its buffers.
func (nt *refNormText) reset(text string) {
	b, src, off := nt.b[:0], nt.src[:0], nt.runeOff[:0]
	if n := len(text) + 16; cap(b) < n {
		b, src, off = make([]byte, 0, 2*n), make([]int32, 0, 2*n), make([]int32, 0, n)
	}
	*nt = refNormText{orig: text, b: b, src: src, runeOff: off, breaks: nt.breaks[:0], sents: nt.sents[:0]}
}

// normalize fills nt from text.
func (nt *refNormText) normalize(text string) {
	nt.reset(text)
	var k int32
	var word, upper int // current ASCII word: letters, upper-case letters
	glued := false      // the current word follows an ASCII digit
	bangRun, questRun := 0, 0
	for i, r := range text {
		nt.runeOff = append(nt.runeOff, int32(i))
		k++
		// Fast paths: lowercase ASCII letters and digits, and Han characters, with
		// nothing refPending, are most of every message.
		if r >= 'a' && r <= 'z' && nt.npend == 0 {
			if word == 0 {
				glued = i > 0 && text[i-1] >= '0' && text[i-1] <= '9'
			}
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
			if word == 0 {
				glued = i > 0 && text[i-1] >= '0' && text[i-1] <= '9'
			}
			word++
		} else if word > 0 {
			if word >= 4 && upper == word && !glued && (r < '0' || r > '9') {
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
	if word >= 4 && upper == word && !glued {
		nt.capsLetter += word
	}
	nt.runeOff = append(nt.runeOff, int32(len(text)))
	nt.flushPending(false)
}

// emitHan appends the Han character orig, written as enc in the original.
func (nt *refNormText) emitHan(enc string, orig rune, k int32) {
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
func (nt *refNormText) foldRune(text string, i int, r rune, k int32) {
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
		if nt.prevASCIIAlnum() && refNextIsASCIIAlnum(text, i+utf8.RuneLen(r)) {
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
func (nt *refNormText) foldASCII(text string, i int, c byte, k int32) {
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
		nt.endSentence(k)
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
			nt.endSentence(k)
		}
	case c == '!' || c == '?' || c == ';':
		nt.emit(rune(c), k)
		nt.endSentence(k)
	case c == ',':
		nt.emit(rune(c), k)
		nt.breaks = append(nt.breaks, k)
	default:
		nt.emit(rune(c), k)
	}
}

// endSentence records a clause break at code point k that also ends a sentence.
func (nt *refNormText) endSentence(k int32) {
	nt.breaks = append(nt.breaks, k)
	nt.sents = append(nt.sents, k)
}

// addPending holds a space or joiner until the next emitted rune shows whether it
// stands between two Han characters (then it is dropped) or not (then it is kept, runs of
// spaces collapsed to one).
func (nt *refNormText) addPending(r rune, k int32) {
	if len(nt.b) == 0 && r == ' ' {
		return // leading space
	}
	if nt.npend > 0 && r == ' ' && nt.pend[nt.npend-1].r == ' ' {
		return
	}
	if nt.npend == len(nt.pend) {
		nt.flushPending(false)
	}
	nt.pend[nt.npend] = refPending{r, k}
	nt.npend++
}

// flushPending writes the refPending runes out; with drop set it discards them.
func (nt *refNormText) flushPending(drop bool) {
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

// emit appends r after settling the refPending spaces and joiners.
func (nt *refNormText) emit(r rune, k int32) {
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

func (nt *refNormText) appendRune(r rune, k int32) {
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

func (nt *refNormText) prevASCIIAlnum() bool {
	return nt.npend == 0 && len(nt.b) > 0 && asciiKind(nt.b[len(nt.b)-1]) != 0
}

func refNextIsASCIIAlnum(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return r < utf8.RuneSelf && asciiKind(byte(r)) != 0
}

// TestNormalizeMatchesReference checks that the normaliser gives exactly what the plain
// rune-by-rune reference gives, on the corpus and on random text over the characters
// that take the different paths.
func TestNormalizeMatchesReference(t *testing.T) {
	var texts []string
	for _, l := range readCorpus(t, corpusFile) {
		texts = append(texts, l.Text)
	}
	pieces := []string{"a", "Z", "7", " ", "  ", "\t", "\n", ".", ",", "!", "?", "！", "？", "，", "。", "…", "-", "*", "·",
		"加", "微", "信", "轉", "賬", "一", "幺", "两", "〇", "急", "路", "号", "中", "园", "區", "區", "樓", "\u3400", "\u9fff", "\u3000",
		"１", "Ａ", "ｗ", "е", "é", "e\u0301", "①", "★", "😡", "😊", "\u200b", "\ufe0f", "\xff", "\xe4\xb8", "\xed\xa0\x80",
		"\xe0\x80\x80", "\xef\xbf\xbd", "ﬀ", "\u2028", "@", "(at)", "http://", "taobao。com", "ABCDEF"}
	for c := range 128 {
		pieces = append(pieces, string(rune(c)))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(16) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, sb.String())
	}
	var nt normText
	var ref refNormText
	for _, s := range texts {
		nt.normalize(s)
		ref.normalize(s)
		if err := sameNormalization(&nt, &ref); err != "" {
			t.Fatalf("normalize(%q): %s", s, err)
		}
	}
}

// FuzzNormalize is TestNormalizeMatchesReference on fuzzed text.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"加 微-信", "ＡＢＣ １２３ 安★全☆ wеchat", "急急急！！", "\xe4\xb8\xad\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var nt normText
		var ref refNormText
		nt.normalize(s)
		ref.normalize(s)
		if err := sameNormalization(&nt, &ref); err != "" {
			t.Fatalf("normalize(%q): %s", s, err)
		}
	})
}

// refAddrAnchor is normText.addrAnchor computed from the normalised text.
func refAddrAnchor(b []byte) bool {
	for _, r := range string(b) {
		if isHan(r) && (zhRoad(r) || zhEstate(r)) {
			return true
		}
	}
	return false
}

// samePunct reports whether nt.punct marks every ASCII byte of b other than a lowercase
// letter or a digit, and no other such byte.
func samePunct(nt *normText, b []byte) bool {
	var want [2]uint64
	for _, c := range b {
		if c < utf8.RuneSelf && asciiKind(c) == 0 || c >= 'A' && c <= 'Z' {
			want[c>>6] |= 1 << (c & 63)
		}
	}
	got := nt.punct
	for c := byte('0'); c <= '9'; c++ {
		got[c>>6] &^= 1 << (c & 63)
	}
	for c := byte('a'); c <= 'z'; c++ {
		got[c>>6] &^= 1 << (c & 63)
	}
	return got == want
}

func sameNormalization(nt *normText, ref *refNormText) string {
	switch {
	case string(nt.b) != string(ref.b):
		return fmt.Sprintf("b %q, reference %q", nt.b, ref.b)
	case !slices.Equal(nt.src, ref.src):
		return fmt.Sprintf("src %v, reference %v", nt.src, ref.src)
	case !slices.Equal(nt.offsets(), ref.runeOff) || nt.nrunes != len(ref.runeOff)-1:
		return fmt.Sprintf("runeOff %v (%d code points), reference %v", nt.offsets(), nt.nrunes, ref.runeOff)
	case !slices.Equal(nt.breaks, ref.breaks) || !slices.Equal(nt.sents, ref.sents):
		return fmt.Sprintf("breaks %v %v, reference %v %v", nt.breaks, nt.sents, ref.breaks, ref.sents)
	case !samePunct(nt, ref.b):
		return fmt.Sprintf("punct %x misses a byte of %q", nt.punct, ref.b)
	case nt.emoji != ref.emoji || nt.bangs != ref.bangs || nt.bangRun != ref.bangRun || nt.questRun != ref.questRun ||
		nt.capsLetter != ref.capsLetter || nt.repeats != ref.repeats || nt.digits != ref.digits || nt.asciiDigits != ref.asciiDigits ||
		nt.addrAnchor != refAddrAnchor(ref.b):
		return fmt.Sprintf("signals %v %d %d %d %d %d %d %d, reference %v %d %d %d %d %d %d %d",
			nt.emoji, nt.bangs, nt.bangRun, nt.questRun, nt.capsLetter, nt.repeats, nt.digits, nt.asciiDigits,
			ref.emoji, ref.bangs, ref.bangRun, ref.questRun, ref.capsLetter, ref.repeats, ref.digits, ref.asciiDigits)
	}
	return ""
}

func TestHanNumerals(t *testing.T) {
	for r := rune(0x3400); r <= 0x9FFF; r++ {
		if isHan(r) && isHanNumeral(r) != (digitValue(r) >= 0) {
			t.Errorf("isHanNumeral(%c) = %v, digitValue %d", r, isHanNumeral(r), digitValue(r))
		}
	}
}
