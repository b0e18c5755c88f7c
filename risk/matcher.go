package risk

import (
	"slices"
	"unicode/utf8"
	"unsafe"
)

// matcher finds every occurrence of a fixed set of phrases in one pass: an Aho-Corasick
// automaton over the characters (code points) of the phrases. It is written here rather
// than taken from a library because the engine needs all overlapping matches written into
// a caller-owned slice (no allocation per match or per call), and steps once per
// character rather than once per byte, which for Chinese text is a third of the steps.
//
// Every character that occurs in a phrase has a class (a small number); every other
// character has class 0 and leads back to the start. The classes of ASCII and of the Han
// characters U+4E00..U+9FFF are in one table (41 KB), read with a single load; the few
// other characters of the phrases are searched in a short sorted list.
//
// The automaton is stored compactly, so that it stays in the processor's cache while the
// rest of the engine runs: every state keeps only its own edges, in a double array (the
// edge on class c of a state whose edges start at base is in slot base+c when that slot
// names the state as its owner), with a failure link to follow when it has none; the root
// has a full row at base 0. Most states fail to the root, and a step from one of them is
// two loads and a conditional move, with no branch to mispredict.
type matcher struct {
	// classes holds the class of each ASCII character, then (from hanAt) of each Han
	// character U+4E00..U+9FFF: one table, so that the scan keeps one pointer for both.
	classes []uint16
	others  []rune // the other characters, ascending; classes follow the Han ones
	other0  uint32 // the class of others[0]
	nclass  int    // classes in use, 0 included
	// A state is held as a stateRef: its number (with the hasOutput flag) and its base,
	// so that a step costs one load.
	fail []stateRef // fail[state]: the longest proper suffix state
	// slots[base+c] holds the edge on class c of the state whose edges start at base:
	// that state's number in the top 16 bits, then the stateRef of the target; a free
	// slot has the owner freeSlot. slots[c] is the root's edge on c.
	slots    []uint64
	outStart []uint32 // outputs of state s are outPats[outStart[s]:outStart[s+1]]
	outPats  []uint16
	// wordStarts says that every pattern beginning with an ASCII letter may only match
	// at the start of a word (the lexicon's boundary rule): then the scan skips the rest
	// of a word once no match can begin at its start (see scan).
	wordStarts bool
}

const (
	hanFirst = 0x4E00
	hanLast  = 0x9FFF
	hanAt    = utf8.RuneSelf - hanFirst // classes[r+hanAt] is the class of Han character r
	// classSpan is the capacity of the class table: a power of two above its length.
	classSpan = 1 << 15
)

// rawMatch is one occurrence of pattern pat ending at byte offset end (exclusive).
type rawMatch struct {
	pat int32
	end int32
}

// stateRef is a state's number in bits 32..47 (bit 47 the hasOutput flag), its depth in
// bits 25..31 (maxDepth standing for any depth from there on, which the word-interior
// skip never treats as short), the failRoot flag and the base of its edges in bits 0..23.
type stateRef = uint64

const (
	// hasOutput flags a state that ends at least one pattern.
	hasOutput = 1 << 47
	// failRoot flags a state whose failure link is the root (most of them), so that a
	// step that finds no edge goes straight to the root's row.
	failRoot = 1 << 24
	baseMask = failRoot - 1
	// freeSlot marks an unused slot: its owner field is no state.
	freeSlot = 0xFFFF << 48
	// maxDepth is the largest depth a stateRef holds.
	maxDepth = 127
	// refMask keeps the stateRef of a slot.
	refMask = 1<<48 - 1
)

// classOf returns the class of the character r, 0 when no phrase has it.
func (m *matcher) classOf(r rune) uint32 {
	switch {
	case r < utf8.RuneSelf, r >= hanFirst && r <= hanLast:
		if r >= hanFirst {
			r += hanAt
		}
		return uint32(m.classes[r])
	}
	return m.otherClass(r)
}

// slowClass decodes the character at text[i:] that the scan loop leaves aside and
// returns its class and the index after it; an invalid byte has class 0.
func (m *matcher) slowClass(text []byte, i int) (uint32, int) {
	r, size := utf8.DecodeRune(text[i:])
	if r == utf8.RuneError && size == 1 {
		return 0, i + 1
	}
	return m.classOf(r), i + size
}

// otherClass returns the class of a character neither ASCII nor Han: the phrases hold
// only a handful of them (currency signs).
func (m *matcher) otherClass(r rune) uint32 {
	if i, ok := slices.BinarySearch(m.others, r); ok {
		return m.other0 + uint32(i)
	}
	return 0
}

// newMatcher compiles patterns, which must be valid UTF-8. Empty patterns are ignored.
// It panics if the automaton would exceed 32767 states or 65535 patterns or classes,
// which the lexicon loader prevents.
func newMatcher(patterns []string) *matcher {
	// The table is allocated to classSpan entries, so that run can index it with a mask;
	// the entries past the Han block stay 0 and are never read.
	m := &matcher{classes: make([]uint16, utf8.RuneSelf+hanLast-hanFirst+1, classSpan)}
	// Classes: ASCII first, then Han characters in code-point order, then the others
	// (ascending, so that a binary search finds them).
	used := map[rune]bool{}
	for _, p := range patterns {
		for _, r := range p {
			used[r] = true
		}
	}
	m.nclass = 1
	for i := range m.classes {
		r := rune(i)
		if r >= utf8.RuneSelf {
			r -= hanAt
		}
		if used[r] {
			m.classes[i] = uint16(m.nclass)
			m.nclass++
		}
	}
	for r := range used {
		if r >= utf8.RuneSelf && (r < hanFirst || r > hanLast) {
			m.others = append(m.others, r)
		}
	}
	slices.Sort(m.others)
	m.other0 = uint32(m.nclass)
	m.nclass += len(m.others)
	if m.nclass > 1<<16-1 {
		panic("risk: lexicon has too many characters for the matcher")
	}
	nc := m.nclass

	// The trie, with children as (class, node) pairs.
	type child struct {
		c uint32
		n int32
	}
	type node struct {
		kids []child
		out  []uint16
	}
	nodes := []node{{}}
	depth := []int{0} // in bytes
	for pi, p := range patterns {
		if p == "" {
			continue
		}
		s := int32(0)
		for ri, r := range p {
			c := m.classOf(r)
			next := int32(-1)
			for _, k := range nodes[s].kids {
				if k.c == c {
					next = k.n
					break
				}
			}
			if next < 0 {
				next = int32(len(nodes))
				nodes = append(nodes, node{})
				depth = append(depth, ri+utf8.RuneLen(r))
				nodes[s].kids = append(nodes[s].kids, child{c, next})
			}
			s = next
		}
		nodes[s].out = append(nodes[s].out, uint16(pi))
	}
	if len(nodes) > 1<<15-1 || len(patterns) > 1<<16-1 || len(nodes)+nc >= failRoot/2 {
		panic("risk: lexicon too large for the matcher")
	}

	// Breadth first: failure links, and the state numbering, so that the shallow states
	// (the ones every character visits) sit together in memory.
	order := make([]int32, 1, len(nodes))
	fail := make([]int32, len(nodes))
	step := func(s int32, c uint32) int32 { // the full transition, by failure links
		for {
			for _, k := range nodes[s].kids {
				if k.c == c {
					return k.n
				}
			}
			if s == 0 {
				return 0
			}
			s = fail[s]
		}
	}
	for qi := 0; qi < len(order); qi++ {
		s := order[qi]
		for _, k := range nodes[s].kids {
			if s != 0 {
				fail[k.n] = step(fail[s], k.c)
				nodes[k.n].out = append(nodes[k.n].out, nodes[fail[k.n]].out...)
			}
			order = append(order, k.n)
		}
	}
	id := make([]int32, len(nodes))
	for newID, old := range order {
		id[old] = int32(newID)
	}
	base := make([]int32, len(nodes)) // where each state's edges start in slots
	m.slots = make([]uint64, nc, len(nodes)+3*nc)
	for c := range nc {
		m.slots[c] = uint64(step(0, uint32(c))) // the root's row, owner 0; fixed below
	}
	// free lists the free slots below len(m.slots), ascending; most states have one
	// edge and take the first of them, or the end.
	var free []int32
	for newID, old := range order {
		kids := nodes[old].kids
		if newID == 0 || len(kids) == 0 {
			continue
		}
		// First fit: the lowest base that puts the first edge on a free slot (or past
		// the end) and every other edge on a free slot too.
		fits := func(b int) bool {
			for _, k := range kids {
				if j := b + int(k.c); j < len(m.slots) && m.slots[j] != freeSlot {
					return false
				}
			}
			return true
		}
		b := -1
		for _, f := range free {
			if c := int(f) - int(kids[0].c); c >= 0 && fits(c) {
				b = c
				break
			}
		}
		if b < 0 {
			b = max(len(m.slots)-int(kids[0].c), 0)
			for !fits(b) {
				b++
			}
		}
		for _, k := range kids {
			j := b + int(k.c)
			for len(m.slots) <= j {
				free = append(free, int32(len(m.slots)))
				m.slots = append(m.slots, freeSlot)
			}
			m.slots[j] = uint64(newID)<<48 | uint64(k.n) // the target's number is fixed below
		}
		for _, k := range kids {
			if i, ok := slices.BinarySearch(free, int32(b)+int32(k.c)); ok {
				free = slices.Delete(free, i, i+1)
			}
		}
		base[newID] = int32(b)
	}
	// Room for any class after the last base, so a probe never needs a bounds test of
	// its own.
	for range nc {
		m.slots = append(m.slots, freeSlot)
	}
	// Now that every base is known, the references.
	ref := func(old int32) stateRef {
		v := uint64(id[old])<<32 | uint64(uint32(base[id[old]]))
		if len(nodes[old].out) > 0 {
			v |= hasOutput
		}
		if fail[old] == 0 {
			v |= failRoot
		}
		v |= uint64(min(depth[old], maxDepth)) << 25
		return v
	}
	for j, e := range m.slots {
		if e&freeSlot != freeSlot {
			m.slots[j] = e&(0xFFFF<<48) | ref(int32(e&0xFFFFFFFF))
		}
	}
	m.fail = make([]stateRef, len(nodes))
	for newID, old := range order {
		m.fail[newID] = ref(fail[old])
	}
	m.outStart = make([]uint32, len(nodes)+1)
	for newID, old := range order {
		m.outStart[newID] = uint32(len(m.outPats))
		m.outPats = append(m.outPats, nodes[old].out...)
	}
	m.outStart[len(nodes)] = uint32(len(m.outPats))
	return m
}

// step returns the state after class c from state s, following failure links.
func (m *matcher) step(s stateRef, c uint32) stateRef {
	for {
		if e := m.slots[uint32(s&baseMask)+c]; e>>48 == (s>>32)&0x7FFF {
			return e & refMask
		}
		if s&failRoot != 0 {
			return m.slots[c] & refMask
		}
		s = m.fail[(s>>32)&0x7FFF]
	}
}

// isLetter reports an ASCII letter.
func isLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// scan appends every occurrence of every pattern in text to dst, ordered by end offset.
// Invalid UTF-8 in text matches nothing.
//
// With wordStarts set it leaves out the occurrences that begin inside a word of ASCII
// letters (after a letter) of patterns that begin with a letter, which the lexicon's
// boundary rule rejects anyway: once the automaton's state stands for text that begins
// after the start of the current word, no match through it can begin at a word start,
// and the rest of the word is skipped. English text, a step per byte otherwise, is
// mostly skipped that way.
//
// The steps themselves are taken by run, which calls nothing; scan handles what run
// stops for: a state with output and a character run leaves aside.
func (m *matcher) scan(text []byte, dst []rawMatch) []rawMatch {
	var s stateRef // the root: number 0, base 0
	ws := 0        // where the current word of letters began
	for i := 0; i < len(text); {
		var out bool
		if i, s, ws, out = m.run(text, i, s, ws); out {
			dst = m.appendOutputs(dst, s, i)
			continue
		}
		if i >= len(text) {
			break
		}
		// A character that is neither ASCII nor in the Han block: never a letter.
		var c uint32
		c, i = m.slowClass(text, i)
		if s = m.step(s, c); s&hasOutput != 0 {
			dst = m.appendOutputs(dst, s, i)
		}
	}
	return dst
}

// run steps the automaton from state s over text[i:] (ws is where the current word
// began) until the text ends, a step reaches a state with output (out; i is then just
// past the character that led there), or the character at i is neither ASCII nor a Han
// character of U+4E00..U+9FFF (returned unread).
//
// It calls no function: Go keeps no register across a call, so a call anywhere in the
// loop, even on a path seldom taken, kept the state in memory, and every step paid for
// storing and reloading it on top of the load of its edge.
func (m *matcher) run(text []byte, i int, s stateRef, ws int) (_ int, _ stateRef, _ int, out bool) {
	// Few values stay live, so that the compiler keeps them all in registers: the
	// classes are read through a pointer to an array that a mask keeps in bounds, and
	// the edges without a bounds test (every base leaves room for every class after it,
	// see newMatcher).
	classes := (*[classSpan]uint16)(m.classes[:classSpan])
	slots := unsafe.Pointer(unsafe.SliceData(m.slots))
	edge := func(base stateRef, c uint32) uint64 {
		return *(*uint64)(unsafe.Add(slots, uintptr(uint32(base&baseMask)+c)*8))
	}
	words := m.wordStarts
	for i < len(text) {
		b := text[i]
		var c uint32
		letter := false
		if b < utf8.RuneSelf {
			c = uint32(classes[b])
			if words && isLetter(b) {
				letter = true
				if i == 0 || !isLetter(text[i-1]) {
					ws = i
				}
			}
			i++
		} else if b >= 0xE4 && b <= 0xE9 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			r := uint32(b&0x0F)<<12 | uint32(text[i+1]&0x3F)<<6 | uint32(text[i+2]&0x3F)
			if r < hanFirst {
				return i, s, ws, false // the start of extension A
			}
			c = uint32(classes[(r-hanFirst+utf8.RuneSelf)&(classSpan-1)])
			i += 3
		} else {
			return i, s, ws, false
		}
		// The state's own edge, else (for a state that fails to the root) the root's:
		// both loads are issued at once, and the choice is a conditional move. Class 0
		// is no state's edge and leads back to the root. The state keeps the owner
		// field of the slot it came from in its top bits, which nothing reads: masking
		// it off would lengthen every step.
		e := edge(s, c)
		hit := e>>48 == (s>>32)&0x7FFF
		next := edge(0, c)
		if !hit && s&failRoot == 0 {
			// Failure links, as step follows them.
			for f := m.fail[(s>>32)&0x7FFF]; ; f = m.fail[(f>>32)&0x7FFF] {
				if e := edge(f, c); e>>48 == (f>>32)&0x7FFF {
					next = e
					break
				}
				if f&failRoot != 0 {
					break // the root's edge, already in next
				}
			}
		}
		if hit {
			next = e
		}
		s = next
		if d := int(s >> 25 & 0x7F); letter && d < maxDepth && d < i-ws {
			// What the state stands for begins inside the word: to the word's end.
			s = 0
			for i < len(text) && isLetter(text[i]) {
				i++
			}
			continue
		}
		if s&hasOutput != 0 {
			return i, s, ws, true
		}
	}
	return i, s, ws, false
}

// appendOutputs appends the patterns that state s ends to dst, ending at byte offset
// end.
func (m *matcher) appendOutputs(dst []rawMatch, s stateRef, end int) []rawMatch {
	st := (s >> 32) & 0x7FFF
	for _, p := range m.outPats[m.outStart[st]:m.outStart[st+1]] {
		dst = append(dst, rawMatch{pat: int32(p), end: int32(end)})
	}
	return dst
}
