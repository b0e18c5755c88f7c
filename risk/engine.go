package risk

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/idna"
)

// Engine checks messages. Build it with [New]; it is immutable afterwards and safe for
// concurrent use.
type Engine struct {
	lex        *lexicon
	official   map[string]bool
	shorteners map[string]bool
	brands     []brand
	maxBirth   int         // latest valid birth date, yyyymmdd
	tone       *toneModel  // nil: the rules alone read anger
	fraud      *fraudModel // nil: the rules alone read fraud
	pool       sync.Pool
	encPool    sync.Pool // scratches that reuse their findings: AppendCheck's
}

// New builds an engine from cfg. It fails when a lexicon or a domain list is malformed.
func New(cfg Config) (*Engine, error) {
	lex, err := newLexicon(cfg.Cues, cfg.Emotions)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	t := now()
	e := &Engine{
		lex:        lex,
		official:   map[string]bool{},
		shorteners: map[string]bool{},
		maxBirth:   t.Year()*10000 + int(t.Month())*100 + t.Day(),
	}
	if e.official, err = domainSet("official domain", cfg.OfficialDomains); err != nil {
		return nil, err
	}
	if e.shorteners, err = domainSet("shortener", cfg.Shorteners); err != nil {
		return nil, err
	}
	e.brands = buildBrands(cfg.Brands, cfg.OfficialDomains)
	if len(cfg.Tone) > 0 {
		if e.tone, err = parseTone(cfg.Tone); err != nil {
			return nil, err
		}
	}
	if len(cfg.Fraud) > 0 {
		if e.fraud, err = parseFraudModel(cfg.Fraud); err != nil {
			return nil, err
		}
	}
	e.pool.New = func() any { return new(scratch) }
	e.encPool.New = func() any { return &scratch{reuse: true} }
	return e, nil
}

// domainSet validates and indexes a list of domains.
func domainSet(what string, list []string) (map[string]bool, error) {
	set := make(map[string]bool, len(list))
	for _, d := range list {
		a, err := idna.Lookup.ToASCII(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), "."))
		if err != nil || a == "" || !strings.Contains(a, ".") {
			return nil, fmt.Errorf("risk: %s %q is not a domain name", what, d)
		}
		set[a] = true
	}
	return set, nil
}

// draft is a finding before its text is sliced out.
type draft struct {
	typ   Type
	s, e  int
	score float64
	rule  string
}

// scratch holds the per-call working memory, reused through a pool.
type scratch struct {
	nt       normText
	raw      []rawMatch
	cueSet   cueSet
	emos     []token
	groups   []numGroup
	digits   []byte
	drafts   []draft
	excluded [][2]int // spans already explained (links, e-mails)
	links    []link
	handles  [][2]int // chat-app account ids, masked like personal data
	feats    []uint32 // the fraud model's features of the message, when featsOK
	featsOK  bool
	spans    []maskSpan
	// toneLean is set by emotion: the rules counted some anger or worry in the message.
	toneLean bool
	// angerDenied is set by emotion: the speaker says they are not angry ("我没生气",
	// "not angry at all"), which the tone model does not overrule.
	angerDenied bool
	// findings, when reuse is set (a Checker's scratch), holds the Findings of the
	// last result, whose array the next result takes over.
	findings []Finding
	reuse    bool
}

func (sc *scratch) add(t Type, s, e int, score float64, rule string) {
	sc.drafts = append(sc.drafts, draft{typ: t, s: s, e: e, score: score, rule: rule})
}

func (sc *scratch) overlapsExcluded(s, e int) bool {
	for _, x := range sc.excluded {
		if s < x[1] && x[0] < e {
			return true
		}
	}
	return false
}

// Check analyses one message written by role (any role other than RoleAgent counts as
// the customer). It does no I/O and never fails: text that is not valid UTF-8 is read
// with each bad byte as one code point.
func (e *Engine) Check(role Role, text string) Result {
	sc := e.pool.Get().(*scratch)
	defer e.pool.Put(sc)
	return e.check(sc, role, text)
}

// Checker checks messages one after another with working memory of its own: the same
// results as [Engine.Check] without a trip through the engine's pool, for a loop that
// checks many messages in one goroutine (the scan command). A Checker is not safe for
// concurrent use.
//
// The Findings of a result it returns are valid until its next Check, which reuses
// their array, so that a message with findings does not allocate them anew; copy them
// to keep them longer.
type Checker struct {
	e  *Engine
	sc scratch
}

// NewChecker returns a Checker of e.
func (e *Engine) NewChecker() *Checker { return &Checker{e: e, sc: scratch{reuse: true}} }

// Check is [Engine.Check].
func (c *Checker) Check(role Role, text string) Result { return c.e.check(&c.sc, role, text) }

// AppendCheck checks one message as [Engine.Check] does and appends the result to dst
// as [Result.AppendJSON] encodes it. The result never leaves the call, so its working
// memory, findings included, is reused: once warm it allocates only the masked text of a
// message with something to mask, and dst when it must grow. It is safe for concurrent
// use; the live check API answers with it.
func (e *Engine) AppendCheck(dst []byte, role Role, text string) []byte {
	sc := e.encPool.Get().(*scratch)
	res := e.check(sc, role, text)
	dst = res.AppendJSON(dst)
	e.encPool.Put(sc)
	return dst
}

func (e *Engine) check(sc *scratch, role Role, text string) Result {
	sc.drafts, sc.excluded, sc.links, sc.handles = sc.drafts[:0], sc.excluded[:0], sc.links[:0], sc.handles[:0]
	sc.featsOK = false

	sc.nt.normalize(text)
	sc.raw = e.lex.m.scan(sc.nt.b, sc.raw[:0])
	var cues []token
	cues, sc.emos = selectTokens(&sc.nt, e.lex, sc.raw, sc.cueSet.toks, sc.emos)
	sc.cueSet.reset(&sc.nt, cues)

	e.findEmails(sc)
	e.findLinks(sc)
	sc.cueSet.dropInside(sc.excluded) // words inside links and e-mails are not cues
	e.findNumbers(sc)
	e.findAddresses(sc)
	e.findFraud(sc, role)

	emo := e.emotion(sc)
	if !sc.angerDenied {
		var feats []uint32
		if sc.featsOK {
			feats = sc.feats
		}
		emo = e.toneAnger(&sc.nt, feats, emo)
	}
	res := Result{Findings: []Finding{}, Emotion: emo, Masked: text}
	if len(sc.drafts) == 0 && len(sc.handles) == 0 {
		return res
	}
	dropOverlappingPII(sc)
	if sc.reuse {
		res.Findings = sc.findings[:0]
	} else {
		res.Findings = make([]Finding, 0, len(sc.drafts))
	}
	for _, d := range sc.drafts {
		res.Findings = append(res.Findings, Finding{
			Type: d.typ, Start: d.s, End: d.e, Text: sc.nt.origText(d.s, d.e),
			Score: math.Round(min(d.score, 0.99)*100) / 100, Rule: d.rule, Reason: reasonFor(d.rule),
		})
	}
	slices.SortFunc(res.Findings, func(a, b Finding) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return a.End - b.End
		}
		return strings.Compare(string(a.Type), string(b.Type))
	})
	res.Masked, sc.spans = mask(&sc.nt, res.Findings, sc.handles, sc.spans)
	if sc.reuse {
		sc.findings = res.Findings
	}
	return res
}

// dropOverlappingPII keeps, of personal-data findings that overlap, the one with the
// higher score (then the longer, then the earlier), so every character is masked for
// one reason.
func dropOverlappingPII(sc *scratch) {
	slices.SortStableFunc(sc.drafts, func(a, b draft) int { return a.s - b.s })
	out := sc.drafts[:0]
	last := -1 // index in out of the last personal-data finding kept
	for _, d := range sc.drafts {
		if d.typ.IsPII() && last >= 0 && d.s < out[last].e {
			o := out[last]
			if d.score > o.score || d.score == o.score && d.e-d.s > o.e-o.s {
				out[last] = d
			}
			continue
		}
		if d.typ.IsPII() {
			last = len(out)
		}
		out = append(out, d)
	}
	sc.drafts = out
}
