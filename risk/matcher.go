package risk

import (
	"slices"
	"unicode/utf8"
)

// matcher finds every occurrence of a fixed set of byte patterns in one pass: an
// Aho-Corasick automaton over byte classes. It is written here rather than taken from a
// library because the engine needs all overlapping matches written into a caller-owned
// slice (no allocation per match or per call).
//
// The automaton is stored compactly, so that it stays in the processor's cache while the
// rest of the engine runs: the root has a full row, and every other state keeps only its
// own edges, in a double array (the edge on class c of a state whose edges start at
// base is in slot base+c when that slot names the state as its owner), with a failure
// link to follow when it has none. A dense table of every state's full row would be a
// few megabytes for the lexicon's ~2,000 phrases and ~11,000 states, and a scan would
// miss the cache on most bytes; this one is about 180 KB.
type matcher struct {
	class  [256]uint8 // byte -> equivalence class; class 0 never advances from the root
	nclass int
	// A state is held as a stateRef: its number (with the hasOutput flag) and its base,
	// so that a step costs one load.
	root []stateRef // root[class]: the state after class from the root
	fail []stateRef // fail[state]: the longest proper suffix state
	// slots[base+c] holds the edge on class c of the state whose edges start at base:
	// that state's number in the top 16 bits, then the stateRef of the target; a free
	// slot has the owner freeSlot.
	slots    []uint64
	outStart []uint32 // outputs of state s are outPats[outStart[s]:outStart[s+1]]
	outPats  []uint16
	// starts marks the characters U+3000..U+9FFF that begin a pattern. From the root a
	// character outside it leads back to the root with no match, so the scan steps over
	// its three bytes at once.
	starts [(0xA000 - 0x3000) / 64]uint64
}

// rawMatch is one occurrence of pattern pat ending at byte offset end (exclusive).
type rawMatch struct {
	pat int32
	end int32
}

// stateRef is a state's number in bits 32..47 (bit 47 the hasOutput flag) and the base
// of its edges in bits 0..31.
type stateRef = uint64

const (
	// hasOutput flags a state that ends at least one pattern.
	hasOutput = 1 << 47
	// freeSlot marks an unused slot: its owner field is no state.
	freeSlot = 0xFFFF << 48
)

// newMatcher compiles patterns. Empty patterns are ignored. It panics if the automaton
// would exceed 32767 states or 65535 patterns, which the lexicon loader prevents.
func newMatcher(patterns []string) *matcher {
	m := &matcher{}
	// Byte classes: every byte used by a pattern gets its own class.
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if m.class[p[i]] == 0 {
				m.nclass++
				m.class[p[i]] = uint8(m.nclass)
			}
		}
	}
	m.nclass++
	nc := m.nclass
	for _, p := range patterns {
		if r, _ := utf8.DecodeRuneInString(p); r >= 0x3000 && r < 0xA000 {
			m.starts[(r-0x3000)/64] |= 1 << ((r - 0x3000) % 64)
		}
	}

	// The trie, with children as (class, node) pairs.
	type child struct {
		c uint8
		n int32
	}
	type node struct {
		kids []child
		out  []uint16
	}
	nodes := []node{{}}
	for pi, p := range patterns {
		if p == "" {
			continue
		}
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := m.class[p[i]]
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
				nodes[s].kids = append(nodes[s].kids, child{c, next})
			}
			s = next
		}
		nodes[s].out = append(nodes[s].out, uint16(pi))
	}
	if len(nodes) > 1<<15-1 || len(patterns) > 1<<16-1 {
		panic("risk: lexicon too large for the matcher")
	}

	// Breadth first: failure links, and the state numbering, so that the shallow states
	// (the ones every byte visits) sit together in memory.
	order := make([]int32, 1, len(nodes))
	fail := make([]int32, len(nodes))
	step := func(s int32, c uint8) int32 { // the full transition, by failure links
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
	m.slots = make([]uint64, 0, len(nodes)+nc)
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
		free = slices.DeleteFunc(free, func(f int32) bool { return m.slots[f] != freeSlot })
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
		return v
	}
	for j, e := range m.slots {
		if e&freeSlot != freeSlot {
			m.slots[j] = e&(0xFFFF<<48) | ref(int32(e&0xFFFFFFFF))
		}
	}
	m.root = make([]stateRef, nc)
	for c := 1; c < nc; c++ {
		m.root[c] = ref(step(0, uint8(c)))
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

// scan appends every occurrence of every pattern in text to dst, ordered by end offset.
func (m *matcher) scan(text []byte, dst []rawMatch) []rawMatch {
	var s stateRef // the root: number 0, base 0
	class, root, fail, slots := &m.class, m.root, m.fail, m.slots
	for i := 0; i < len(text); i++ {
		b := text[i]
		if s>>32 == 0 && b >= 0xE3 && b <= 0xE9 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			// A character of U+3000..U+9FFF that no pattern starts with.
			r := uint32(b&0x0F)<<12 | uint32(text[i+1]&0x3F)<<6 | uint32(text[i+2]&0x3F) - 0x3000
			if m.starts[r/64]&(1<<(r%64)) == 0 {
				i += 2
				continue
			}
		}
		c := uint64(class[b])
		switch {
		case c == 0: // a byte in no pattern
			s = 0
		case s>>32 == 0:
			s = root[c]
		default:
			for {
				if e := slots[uint32(s)+uint32(c)]; e>>48 == (s>>32)&0x7FFF {
					s = e & (1<<48 - 1)
					break
				}
				if s = fail[(s>>32)&0x7FFF]; s>>32 == 0 {
					s = root[c]
					break
				}
			}
		}
		if s&hasOutput != 0 {
			st := (s >> 32) & 0x7FFF
			for _, p := range m.outPats[m.outStart[st]:m.outStart[st+1]] {
				dst = append(dst, rawMatch{pat: int32(p), end: int32(i + 1)})
			}
		}
	}
	return dst
}
