package risk

import (
	"bytes"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// link is a URL or bare domain found in a message.
type link struct {
	s, e     int // code-point span in the original
	official bool
}

var schemeSep = []byte("://")

func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
}

// isURLByte reports bytes that may appear in a URL's path, query or fragment.
func isURLByte(c byte) bool {
	if c <= ' ' || c >= 0x7F {
		return false
	}
	switch c {
	case '<', '>', '"', '`', '{', '}', '|', '\\', '^':
		return false
	}
	return true
}

// findLinks finds links with a scheme ("https://…", also defanged "hxxp://"), links
// starting "www." and bare domain names whose last label is a real top-level domain,
// and reports those that point at a shortener, a bare IP address or a look-alike of an
// official domain.
func (e *Engine) findLinks(sc *scratch) {
	b := sc.nt.b
	if !mayHoldLink(&sc.nt) {
		return
	}
	for i := 0; i < len(b); {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') || i > 0 && (isHostByte(b[i-1]) || b[i-1] == '@') {
			i++
			continue
		}
		end := e.tryLink(sc, i)
		if end <= i {
			for end = i; end < len(b) && isHostByte(b[end]); end++ {
			}
		}
		i = end
	}
}

// mayHoldLink reports whether the normalised text can hold a link: a scheme ("://"), or
// a dot between a host character and a letter or digit ("example.com", not "days.").
func mayHoldLink(nt *normText) bool {
	b := nt.b
	if nt.hasPunct(':') && bytes.Contains(b, schemeSep) {
		return true
	}
	if !nt.hasPunct('.') {
		return false
	}
	for i := 1; i+1 < len(b); i++ {
		j := bytes.IndexByte(b[i:len(b)-1], '.')
		if j < 0 {
			break
		}
		i += j
		if isHostByte(b[i-1]) && asciiKind(b[i+1]) != 0 {
			return true
		}
	}
	return false
}

// tryLink parses a link starting at byte i of the normalised text, records it and
// returns where it ends, or returns i when there is none.
func (e *Engine) tryLink(sc *scratch, i int) int {
	b := sc.nt.b
	j := i
	for j < len(b) && b[j] >= 'a' && b[j] <= 'z' {
		j++
	}
	scheme := ""
	hs := i
	if bytes.HasPrefix(b[j:], schemeSep) {
		switch s := string(b[i:j]); s {
		case "http", "https", "hxxp", "hxxps", "ftp":
			scheme, hs = s, j+3
		default:
			return i
		}
	}
	he := hs
	if scheme != "" && hs < len(b) && b[hs] == '[' { // an IPv6 literal
		end := bytes.IndexByte(b[hs:], ']')
		if end < 0 {
			return i
		}
		he = hs + end + 1
		return e.recordLink(sc, i, hs, he, scheme, true, "", "")
	}
	for he < len(b) && (isHostByte(b[he]) || b[he] == '@' && scheme != "") {
		he++
	}
	for he > hs && (b[he-1] == '.' || b[he-1] == '-') {
		he--
	}
	if scheme == "" && bytes.IndexByte(b[hs:he], '.') < 0 {
		return i // no dot, no link: the common case, decided without allocating
	}
	authority := string(b[hs:he])
	userinfo := ""
	host := authority
	hostStart := hs
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, host, hostStart = authority[:at], authority[at+1:], hs+at+1
	}
	if scheme == "" && he < len(b) && b[he] == '@' {
		return i // an e-mail address
	}
	ip := isIPHost(host)
	switch {
	case ip:
	case scheme == "" && strings.HasPrefix(host, "www.") && validLabels(host):
	default:
		if !strings.Contains(host, ".") || !validLabels(host) {
			if scheme != "" && host != "" && isNumericHost(host) {
				ip = true
				break
			}
			return i
		}
		if scheme == "" {
			if _, icann := publicsuffix.PublicSuffix(host); !icann || !alphaTLD(host) {
				return i
			}
		}
	}
	return e.recordLink(sc, i, hostStart, he, scheme, ip, host, userinfo)
}

// recordLink extends the link whose host ends at byte he over its port, path, query and
// fragment, records it and its finding, and returns where it ends.
func (e *Engine) recordLink(sc *scratch, i, hostStart, he int, scheme string, ip bool, host, userinfo string) int {
	b := sc.nt.b
	le := he
	if le < len(b) && b[le] == ':' { // port
		k := le + 1
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		if k > le+1 {
			le = k
		}
	}
	if le < len(b) && (b[le] == '/' || b[le] == '?' || b[le] == '#') {
		for le < len(b) && isURLByte(b[le]) {
			le++
		}
		for le > he && strings.IndexByte(".,;:!?)]}'\"", b[le-1]) >= 0 {
			le--
		}
	}
	if ip && scheme == "" && le == he {
		return i // "1.2.3.4" alone may be a version number
	}
	s, en := sc.nt.origSpan(i, le)
	if sc.overlapsExcluded(s, en) {
		return le // "name(at)example.com" is an e-mail
	}
	hs0, he0 := sc.nt.origSpan(hostStart, he)
	l := link{s: s, e: en}
	sc.excluded = append(sc.excluded, [2]int{s, en})
	if ip {
		sc.add(URLIPHost, s, en, 0.9, "url.ip_host")
	} else {
		v := e.judgeHost(host, sc.nt.origText(hs0, he0), userinfo)
		l.official = v.official
		if v.typ != "" {
			sc.add(v.typ, s, en, v.score, v.rule)
		}
	}
	sc.links = append(sc.links, l)
	return le
}

// validLabels reports whether every dot-separated label of host is non-empty and at most
// 63 bytes.
func validLabels(host string) bool {
	for l := range strings.SplitSeq(host, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
	}
	return true
}

// alphaTLD reports whether host's last label is letters only (or punycode).
func alphaTLD(host string) bool {
	tld := host[strings.LastIndexByte(host, '.')+1:]
	if strings.HasPrefix(tld, "xn--") {
		return true
	}
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return true
}

// isIPHost reports a dotted IPv4 address.
func isIPHost(h string) bool {
	n := 0
	for l := range strings.SplitSeq(h, ".") {
		n++
		if l == "" || len(l) > 3 || n > 4 {
			return false
		}
		v := 0
		for i := 0; i < len(l); i++ {
			if l[i] < '0' || l[i] > '9' {
				return false
			}
			v = v*10 + int(l[i]-'0')
		}
		if v > 255 {
			return false
		}
	}
	return n == 4
}

// isNumericHost reports a host written as one decimal or hex number ("http://3232235777",
// "http://0x7f000001"), which browsers read as an IPv4 address.
func isNumericHost(h string) bool {
	if strings.HasPrefix(h, "0x") && len(h) > 2 {
		h = h[2:]
		for i := 0; i < len(h); i++ {
			if !(h[i] >= '0' && h[i] <= '9' || h[i] >= 'a' && h[i] <= 'f') {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(h); i++ {
		if h[i] < '0' || h[i] > '9' {
			return false
		}
	}
	return len(h) >= 8
}
