package risk

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// brand is a word protected against look-alike domains.
type brand struct {
	word  string
	skel  string // skeleton: digits and letter pairs that look alike folded
	whole bool   // only as a whole part of a host name, never inside a longer word
	chars uint64 // charSet(word)
}

// charSet returns the set of bytes of s, folded into 64 bits. Each edit (insertion,
// deletion, substitution) changes the set of a string by at most two members and a
// transposition by none, so words within edit distance d differ in at most 2d members:
// a test that rules out almost every pair before the edit distance is computed.
func charSet(s string) uint64 {
	var set uint64
	for i := 0; i < len(s); i++ {
		set |= 1 << (s[i] & 63)
	}
	return set
}

// buildBrands merges the configured brand words with the first labels of the official
// domains ("taobao" from taobao.com), skipping one-character labels.
func buildBrands(words, official []string) []brand {
	seen := map[string]bool{}
	var out []brand
	addWord := func(w string) {
		w = strings.ToLower(strings.TrimSpace(w))
		whole := strings.HasPrefix(w, "=")
		w = strings.TrimPrefix(w, "=")
		if len(w) < 2 || seen[w] {
			return
		}
		seen[w] = true
		out = append(out, brand{word: w, skel: skeleton(w), whole: whole, chars: charSet(w)})
	}
	for _, w := range words {
		addWord(w)
	}
	for _, d := range official {
		if a, err := idna.Lookup.ToASCII(d); err == nil {
			if reg, err := publicsuffix.EffectiveTLDPlusOne(a); err == nil {
				addWord(reg[:strings.IndexByte(reg, '.')])
			}
		}
	}
	return out
}

// skeleton folds characters that read alike in a host name: 0→o, 1→l, 3→e, 5→s, rn→m,
// vv→w, and drops hyphens, so "ta0bao" and "arnazon" match their brands.
func skeleton(s string) string { return string(appendSkeleton(nil, s)) }

// appendSkeleton appends the skeleton of s to dst.
func appendSkeleton(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '0':
			c = 'o'
		case c == '1' || c == 'i' && i+1 < len(s) && s[i+1] == '.':
			c = 'l'
		case c == '3':
			c = 'e'
		case c == '5':
			c = 's'
		case c == 'r' && i+1 < len(s) && s[i+1] == 'n':
			c = 'm'
			i++
		case c == 'v' && i+1 < len(s) && s[i+1] == 'v':
			c = 'w'
			i++
		case c == '-':
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// verdict is what a host turned out to be.
type verdict struct {
	official bool
	typ      Type
	score    float64
	rule     string
}

// inSet reports whether host or one of its parent domains is in set.
func inSet(set map[string]bool, host string) bool {
	for h := host; h != ""; {
		if set[h] {
			return true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return false
}

// judgeHost decides whether a link's host is official, a shortener or a look-alike.
// host is the normalised (folded, lowercase ASCII) host, orig the host as written,
// userinfo whatever came before an "@" in the authority.
func (e *Engine) judgeHost(host, orig, userinfo string) verdict {
	ascii := host
	homoglyph := false
	if !isASCII(orig) {
		a, err := idna.Lookup.ToASCII(orig)
		switch {
		case err != nil:
			homoglyph = true // not even a valid IDN: written to look like host
		case a != host:
			ascii, homoglyph = a, true
		}
	}
	if strings.Contains(ascii, "xn--") {
		homoglyph = true
	}
	if inSet(e.official, ascii) && !homoglyph {
		if b := e.brandIn(userinfo); b != "" {
			return verdict{typ: URLLookalike, score: 0.9, rule: "url.lookalike.userinfo"}
		}
		return verdict{official: true}
	}
	if inSet(e.shorteners, ascii) {
		return verdict{typ: URLShortener, score: 0.85, rule: "url.shortener"}
	}
	if e.brandIn(userinfo) != "" {
		return verdict{typ: URLLookalike, score: 0.95, rule: "url.lookalike.userinfo"}
	}
	// The skeleton view: homoglyphs already folded to Latin by normalisation.
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		reg = host
	}
	if homoglyph {
		if inSet(e.official, host) || e.resembles(reg) != "" || e.brandIn(host) != "" {
			return verdict{typ: URLLookalike, score: 0.97, rule: "url.lookalike.homoglyph"}
		}
		if u, err := idna.Lookup.ToUnicode(ascii); err == nil && mixedScript(u) {
			return verdict{typ: URLLookalike, score: 0.75, rule: "url.lookalike.mixed_script"}
		}
		return verdict{}
	}
	label := reg
	if i := strings.IndexByte(reg, '.'); i >= 0 {
		label = reg[:i]
	}
	for _, b := range e.brands {
		if label == b.word {
			return verdict{typ: URLLookalike, score: 0.9, rule: "url.lookalike.brand_tld"}
		}
	}
	if e.resembles(reg) != "" {
		return verdict{typ: URLLookalike, score: 0.92, rule: "url.lookalike.typosquat"}
	}
	if e.brandIn(strings.TrimSuffix(host, reg[len(label):])) != "" {
		return verdict{typ: URLLookalike, score: 0.92, rule: "url.lookalike.brand_word"}
	}
	return verdict{}
}

// resembles returns the brand that the first label of the registrable domain reg (or a
// hyphen-separated part of it) imitates by look-alike characters or one or two edits.
func (e *Engine) resembles(reg string) string {
	label := reg
	if i := strings.IndexByte(reg, '.'); i >= 0 {
		label = reg[:i]
	}
	// The hyphen-separated parts, then the whole label if it has several.
	for rest, whole := label, false; ; {
		p, after, more := strings.Cut(rest, "-")
		if whole {
			p = label
		}
		if b := e.resemblesPart(p); b != "" {
			return b
		}
		switch {
		case more:
			rest = after
		case whole || p == label:
			return ""
		default:
			whole = true
		}
	}
}

// resemblesPart is resembles for one part of a label.
func (e *Engine) resemblesPart(p string) string {
	var buf [64]byte
	sk := appendSkeleton(buf[:0], p)
	set := charSet(p)
	for _, b := range e.brands {
		if p == b.word || len(b.word) < 4 {
			continue
		}
		if string(sk) == b.skel {
			return b.word
		}
		if n := len(b.word); n >= 6 && len(p) <= n+2 && len(p) >= n-2 {
			lim := 1
			if n >= 9 {
				lim = 2
			}
			if bits.OnesCount64(set^b.chars) <= 2*lim && osaDistance(p, b.word, lim) <= lim {
				return b.word
			}
		}
	}
	return ""
}

// brandIn returns a brand word that appears in s (a host without its public suffix, or
// a URL's userinfo) as a whole "-", "." or "_"-separated part, or anywhere for brand
// words of six letters or more.
func (e *Engine) brandIn(s string) string {
	if s == "" {
		return ""
	}
	for _, b := range e.brands {
		idx := strings.Index(s, b.word)
		for idx >= 0 {
			end := idx + len(b.word)
			left := idx == 0 || strings.IndexByte("-._@:", s[idx-1]) >= 0
			right := end == len(s) || strings.IndexByte("-._@:", s[end]) >= 0
			if left && right || len(b.word) >= 6 && !b.whole {
				return b.word
			}
			next := strings.Index(s[idx+1:], b.word)
			if next < 0 {
				break
			}
			idx += 1 + next
		}
	}
	return ""
}

// osaDistance is the optimal-string-alignment edit distance between a and b (insertions,
// deletions, substitutions and adjacent transpositions), or limit+1 once it exceeds limit.
func osaDistance(a, b string, limit int) int {
	if len(a) > 63 || len(b) > 63 {
		return limit + 1
	}
	var rows [3][64]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// mixedScript reports whether one label of host mixes Latin letters with Cyrillic or
// Greek ones, the mark of a homograph attack.
func mixedScript(host string) bool {
	for label := range strings.SplitSeq(host, ".") {
		var latin, other bool
		for _, r := range label {
			switch {
			case r < utf8.RuneSelf && unicode.IsLetter(r):
				latin = true
			case unicode.In(r, unicode.Cyrillic, unicode.Greek, unicode.Armenian):
				other = true
			}
		}
		if latin && other {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
