package risk

// matcher finds every occurrence of a fixed set of byte patterns in one pass: an
// Aho-Corasick automaton compiled to a dense DFA over byte classes. It is written here
// rather than taken from a library because the engine needs all overlapping matches
// written into a caller-owned slice (no allocation per match or per call) and a plain
// table walk per byte; the lexicon is small enough (a few thousand states) for a dense
// table to stay in cache.
type matcher struct {
	class    [256]uint8 // byte -> equivalence class; class 0 never advances from the root
	nclass   int
	delta    []uint16 // delta[state*nclass+class] = next state
	outStart []uint32 // outputs of state s are outPats[outStart[s]:outStart[s+1]]
	outPats  []uint16
	patLen   []int32
}

// rawMatch is one occurrence of pattern pat ending at byte offset end (exclusive).
type rawMatch struct {
	pat int32
	end int32
}

// newMatcher compiles patterns. Empty patterns are ignored. It panics if the automaton
// would exceed 32767 states or 65535 patterns, which the lexicon loader prevents.
func newMatcher(patterns []string) *matcher {
	m := &matcher{patLen: make([]int32, len(patterns))}
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
		m.patLen[pi] = int32(len(p))
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

	// Breadth first: a state's failure link is shallower, so its row is complete when
	// the state's row is built by copying it and overwriting the trie edges. The
	// breadth-first order also becomes the state numbering, so the rows of the shallow
	// states (the ones every byte visits) sit together in memory.
	trans := make([]int32, len(nodes)*nc) // in trie numbering
	fail := make([]int32, len(nodes))
	order := make([]int32, 1, len(nodes))
	for qi := 0; qi < len(order); qi++ {
		s := order[qi]
		row := trans[int(s)*nc : int(s+1)*nc]
		if s != 0 {
			copy(row, trans[int(fail[s])*nc:int(fail[s]+1)*nc])
		}
		for _, k := range nodes[s].kids {
			if s != 0 {
				fail[k.n] = trans[int(fail[s])*nc+int(k.c)]
			}
			row[k.c] = k.n
			order = append(order, k.n)
		}
		if s != 0 {
			nodes[s].out = append(nodes[s].out, nodes[fail[s]].out...)
		}
	}
	id := make([]int32, len(nodes))
	for newID, old := range order {
		id[old] = int32(newID)
	}
	// Dense transitions in the new numbering; bit 15 marks a target with outputs.
	m.delta = make([]uint16, len(nodes)*nc)
	for old := range nodes {
		row := int(id[old]) * nc
		for c := 1; c < nc; c++ {
			n := trans[old*nc+c]
			v := uint16(id[n])
			if len(nodes[n].out) > 0 {
				v |= hasOutput
			}
			m.delta[row+c] = v
		}
	}
	m.outStart = make([]uint32, len(nodes)+1)
	for newID, old := range order {
		m.outStart[newID] = uint32(len(m.outPats))
		m.outPats = append(m.outPats, nodes[old].out...)
	}
	m.outStart[len(nodes)] = uint32(len(m.outPats))
	return m
}

// hasOutput flags a transition whose target state ends at least one pattern.
const hasOutput = 1 << 15

// scan appends every occurrence of every pattern in text to dst, ordered by end offset.
func (m *matcher) scan(text []byte, dst []rawMatch) []rawMatch {
	s := 0
	n := m.nclass
	delta := m.delta
	for i, b := range text {
		v := delta[s*n+int(m.class[b])]
		s = int(v &^ hasOutput)
		if v&hasOutput != 0 {
			for _, p := range m.outPats[m.outStart[s]:m.outStart[s+1]] {
				dst = append(dst, rawMatch{pat: int32(p), end: int32(i + 1)})
			}
		}
	}
	return dst
}
