package risk

import (
	"encoding/binary"
	"errors"
	"math"
	"unicode/utf8"
)

// The tone model reads anger the lexicon has no words for — sarcasm, curt statements,
// the shop's own phrases thrown back — as a logistic regression over hashed features
// of the normalised text: every Han character and pair and triple of adjacent ones,
// every Latin word and pair of adjacent words, every other symbol, and flags for "!"
// and "?" runs, capitals, repeats and emoji moods. A message is angry when the rules
// say so or the model's probability reaches toneThreshold. Its weights are the data
// file tone.bin, written by TestWriteToneWeights from the labelled corpus and the calm
// sample; docs/risk-engine.md ("The tone model, confirmed on fresh text") gives the
// trial that fixed the design and the threshold.

const (
	toneBits      = 14 // 16,384 buckets; 16 and 18 bits scored about the same
	toneThreshold = 0.80
	// toneOverAnxiety is the probability the model needs to overrule the lexicon's
	// anxiety.
	toneOverAnxiety = 0.99
	toneMagic       = "sdtone01"
	toneRule        = "emotion.tone_model"
)

// toneCut is the logit of toneThreshold: the model says anger when the weights of a
// message's features add up to at least this, with no exponential on the common path.
var toneCut = float32(math.Log(toneThreshold / (1 - toneThreshold)))

// toneWeights are the model's weights as trained, one per bucket. An array, so that a
// bucket (always below 1<<toneBits) indexes it without a bounds test.
type toneWeights *[1 << toneBits]float32

// toneModel is the model as the engine scores with it: the weights as multiples of
// scale in 16 bits, half the memory of float32 (32 KB, which stays in cache beside
// the automaton's tables), added up exactly in integers in any order. The rounding
// moves a message's logit by about 0.001 at most on the labelled sets, and changes no
// label on them (TestToneLogitMatchesFeatures).
type toneModel struct {
	w     [1 << toneBits]int16
	scale float64
	cut   int64 // the least sum at which the probability reaches toneThreshold
}

// newToneModel rounds w to a toneModel.
func newToneModel(w toneWeights) *toneModel {
	m := &toneModel{scale: int16Scale(w[:])}
	roundWeights(m.w[:], w[:], m.scale)
	m.cut = int64(math.Ceil(float64(toneCut) / m.scale))
	return m
}

// int16Scale returns the unit in which the largest weight of the tables is
// math.MaxInt16 (1 when all are zero), so that they round to 16 bits losing little.
func int16Scale(tables ...[]float32) float64 {
	var maxAbs float64
	for _, w := range tables {
		for _, f := range w {
			maxAbs = max(maxAbs, math.Abs(float64(f)))
		}
	}
	if maxAbs == 0 {
		return 1
	}
	return maxAbs / math.MaxInt16
}

// roundWeights writes src in units of scale to dst.
func roundWeights(dst []int16, src []float32, scale float64) {
	for i, f := range src {
		dst[i] = int16(math.Round(float64(f) / scale))
	}
}

// parseTone reads a weights file: the magic "sdtone01", the number of hash bits as a
// little-endian uint32, then one little-endian float32 per bucket.
func parseTone(b []byte) (*toneModel, error) {
	w, err := decodeTone(b)
	if err != nil {
		return nil, err
	}
	return newToneModel(w), nil
}

// decodeTone reads the weights of a weights file as they were trained.
func decodeTone(b []byte) (toneWeights, error) {
	const size = len(toneMagic) + 4 + 4<<toneBits
	if len(b) != size || string(b[:len(toneMagic)]) != toneMagic ||
		binary.LittleEndian.Uint32(b[len(toneMagic):]) != toneBits {
		return nil, errors.New("risk: tone weights: not a weights file of this version")
	}
	w := new([1 << toneBits]float32)
	b = b[len(toneMagic)+4:]
	for i := range w {
		f := math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		if f != f || math.IsInf(float64(f), 0) {
			return nil, errors.New("risk: tone weights: not a number")
		}
		w[i] = f
	}
	return w, nil
}

// encodeTone is the inverse of parseTone.
func encodeTone(w toneWeights) []byte {
	out := make([]byte, 0, len(toneMagic)+4+4<<toneBits)
	out = append(out, toneMagic...)
	out = binary.LittleEndian.AppendUint32(out, toneBits)
	for _, f := range w {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(f))
	}
	return out
}

// toneBucket mixes a feature hash into a bucket.
func toneBucket(h uint64) uint32 {
	h ^= h >> 29
	h *= 0x9E3779B97F4A7C15
	return uint32(h >> (64 - toneBits))
}

// toneLogit adds up the weights of the features of nt, in units of m.scale, in one
// pass over its bytes, keeping the last two Han characters and the last two words as
// running hashes: no buffer, no map, no allocation. The features are those the weights
// were trained on (appendToneFeatures; TestToneLogitMatchesFeatures checks the two agree).
func toneLogit(m *toneModel, nt *normText) int64 {
	const mix = 0x9E3779B97F4A7C15
	w := &m.w
	var sum int64
	var h1, h2 uint64      // the previous two Han characters of the run (0: none)
	var word, prevW uint64 // hashes of the Latin word being read and of the one before it
	inWord := false
	b := nt.b
	for i := 0; i <= len(b); {
		r, n := rune(' '), 1 // a space after the end closes the last word
		if i < len(b) {
			if c := b[i]; c < utf8.RuneSelf {
				if c|0x20 >= 'a' && c|0x20 <= 'z' || c == '\'' {
					if !inWord {
						word, inWord = 0xcbf29ce484222325, true
					}
					word = (word ^ uint64(c)) * 0x100000001b3
					h2, h1 = 0, 0
					i++
					continue
				}
				r = rune(c)
			} else if c >= 0xE3 && c <= 0xE9 && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80 {
				// a three-byte sequence with these leads is U+3000-U+9FFF, never
				// overlong or a surrogate: decoded here, without a call
				r, n = rune(c&0x0F)<<12|rune(b[i+1]&0x3F)<<6|rune(b[i+2]&0x3F), 3
			} else {
				r, n = utf8.DecodeRune(b[i:])
			}
		}
		i += n
		if inWord {
			sum += int64(w[toneBucket(word*3+1)])
			if prevW != 0 {
				sum += int64(w[toneBucket((prevW*mix^word)*5+2)])
			}
			prevW, inWord = word, false
		}
		switch {
		case r >= 0x3400 && r <= 0x9FFF:
			prevW = 0
			c := uint64(r)
			sum += int64(w[toneBucket(c*7+3)])
			if h1 != 0 {
				sum += int64(w[toneBucket((h1<<21|c)*11+4)])
				if h2 != 0 {
					sum += int64(w[toneBucket((h2<<42|h1<<21|c)*13+5)])
				}
			}
			h2, h1 = h1, c
		case r == ' ' || r >= '0' && r <= '9':
			h2, h1 = 0, 0 // a word pair reaches over a space or a number
		default:
			prevW, h2, h1 = 0, 0, 0
			if r != '\n' {
				sum += int64(w[toneBucket(uint64(r)*17+6)])
			}
		}
	}
	// the flags, in their order: always, "!!", three "!", "??", capitals, repeats,
	// anger, worry and happy emoji
	f := &toneFlags
	sum += int64(w[f[0]])
	if nt.bangRun >= 2 {
		sum += int64(w[f[1]])
	}
	if nt.bangs >= 3 {
		sum += int64(w[f[2]])
	}
	if nt.questRun >= 2 {
		sum += int64(w[f[3]])
	}
	if nt.capsLetter >= 6 {
		sum += int64(w[f[4]])
	}
	if nt.repeats > 0 {
		sum += int64(w[f[5]])
	}
	for k, v := range nt.emoji {
		if v > 0 {
			sum += int64(w[f[6+k]])
		}
	}
	return sum
}

// toneFlags are the buckets of the flags of toneLogit.
var toneFlags = func() (f [9]uint32) {
	for k := range f {
		f[k] = toneBucket(uint64(k)*19 + 7)
	}
	return
}()

// toneAnger returns the emotion of a message the rules did not call angry: anger from
// the model when its probability reaches toneThreshold, else the rules' own.
//
// feats, when not nil, are the message's features already listed (by the fraud model),
// which are summed instead of walking the text again.
func (e *Engine) toneAnger(nt *normText, feats []uint32, rules Emotion) Emotion {
	if e.tone == nil || rules.Label == EmotionAnger {
		return rules
	}
	var l int64
	if feats != nil {
		for _, f := range feats {
			l += int64(e.tone.w[f])
		}
	} else {
		l = toneLogit(e.tone, nt)
	}
	if l < e.tone.cut {
		return rules
	}
	p := 1 / (1 + math.Exp(-float64(l)*e.tone.scale))
	// Worry the lexicon read ("吓死我了，差点就点进去了") gives way only to a model that
	// is sure: the anxious lines of the corpus it rightly calls angry ("急！！！…你们到底
	// 发没发") it scores at 0.995 and more, while retrains have put that frightened line,
	// which shares "死我了" with "气死我了", at 0.88, 0.97 and 0.99.
	if rules.Label == EmotionAnxiety && p < toneOverAnxiety {
		return rules
	}
	return Emotion{Label: EmotionAnger, Score: math.Round(p*100) / 100, Rule: toneRule}
}

// appendToneFeatures appends to dst the feature buckets of nt: every Han character and
// pair and triple of adjacent ones, every Latin word and pair of adjacent words, every
// other symbol, and flags for "!" and "?" runs, capitals, repeats and emoji moods. It
// calls nothing per feature and, with a dst of enough capacity, allocates nothing, so
// that scoring is this loop and a sum over the weights (featsLogit); the first try
// reached each weight through a method of a type parameter, an indirect call per
// feature. It is the reference for the engine's scorer (toneLogit), which walks the
// same features without the buffer, and gives the fraud model its features
// (fraudmodel.go); TestToneLogitMatchesFeatures holds the two together.
func appendToneFeatures(nt *normText, dst []uint32) []uint32 {
	const mix = 0x9E3779B97F4A7C15
	bucket := func(h uint64) uint32 { h ^= h >> 29; h *= mix; return uint32(h >> (64 - toneBits)) }
	var h1, h2 uint64      // the previous two Han characters of the run (0: none)
	var word, prevW uint64 // hashes of the Latin word being read and of the one before it
	inWord := false
	b := nt.b
	for i := 0; i <= len(b); {
		r, n := rune(' '), 1 // a space after the end closes the last word
		if i < len(b) {
			if r = rune(b[i]); r >= utf8.RuneSelf {
				r, n = utf8.DecodeRune(b[i:])
			}
		}
		i += n
		if r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z' || r == '\'') {
			h2, h1 = 0, 0
			if !inWord {
				word, inWord = 0xcbf29ce484222325, true
			}
			word = (word ^ uint64(r)) * 0x100000001b3
			continue
		}
		if inWord {
			dst = append(dst, bucket(word*3+1))
			if prevW != 0 {
				dst = append(dst, bucket((prevW*mix^word)*5+2))
			}
			prevW, inWord = word, false
		}
		switch {
		case r >= 0x3400 && r <= 0x9FFF:
			prevW = 0
			c := uint64(r)
			dst = append(dst, bucket(c*7+3))
			if h1 != 0 {
				dst = append(dst, bucket((h1<<21|c)*11+4))
				if h2 != 0 {
					dst = append(dst, bucket((h2<<42|h1<<21|c)*13+5))
				}
			}
			h2, h1 = h1, c
		case r == ' ' || r >= '0' && r <= '9':
			h2, h1 = 0, 0 // a word pair reaches over a space or a number
		default:
			prevW, h2, h1 = 0, 0, 0
			if r != '\n' {
				dst = append(dst, bucket(uint64(r)*17+6))
			}
		}
	}
	flags := [...]bool{true, nt.bangRun >= 2, nt.bangs >= 3, nt.questRun >= 2, nt.capsLetter >= 6,
		nt.repeats > 0, nt.emoji[0] > 0, nt.emoji[1] > 0, nt.emoji[2] > 0}
	for k, on := range flags {
		if on {
			dst = append(dst, bucket(uint64(k)*19+7))
		}
	}
	return dst
}
