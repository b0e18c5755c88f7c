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
// would exceed 65535 states or patterns, which the lexicon loader prevents.
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

	// Trie with sparse children, then breadth-first failure links.
	type node struct {
		next map[uint8]int
		fail int
		out  []uint16
	}
	nodes := []node{{next: map[uint8]int{}}}
	for pi, p := range patterns {
		m.patLen[pi] = int32(len(p))
		if p == "" {
			continue
		}
		s := 0
		for i := 0; i < len(p); i++ {
			c := m.class[p[i]]
			n, ok := nodes[s].next[c]
			if !ok {
				n = len(nodes)
				nodes = append(nodes, node{next: map[uint8]int{}})
				nodes[s].next[c] = n
			}
			s = n
		}
		nodes[s].out = append(nodes[s].out, uint16(pi))
	}
	if len(nodes) > 1<<15-1 || len(patterns) > 1<<16-1 {
		panic("risk: lexicon too large for the matcher")
	}
	// Failure links and outputs, breadth first; the breadth-first order also becomes the
	// state numbering, so the rows of the shallow states (the ones every byte visits)
	// sit together in memory.
	order := make([]int, 0, len(nodes))
	order = append(order, 0)
	for qi := 0; qi < len(order); qi++ {
		s := order[qi]
		for c := 1; c < m.nclass; c++ {
			n, ok := nodes[s].next[uint8(c)]
			if !ok {
				continue
			}
			if s != 0 {
				f := nodes[s].fail
				for {
					if fn, ok := nodes[f].next[uint8(c)]; ok {
						nodes[n].fail = fn
						break
					}
					if f == 0 {
						break
					}
					f = nodes[f].fail
				}
			}
			nodes[n].out = append(nodes[n].out, nodes[nodes[n].fail].out...)
			order = append(order, n)
		}
	}
	id := make([]int, len(nodes))
	for newID, old := range order {
		id[old] = newID
	}
	// Dense transitions in the new numbering; bit 15 marks a target with outputs.
	m.delta = make([]uint16, len(nodes)*m.nclass)
	next := func(s int, c uint8) int {
		for {
			if n, ok := nodes[s].next[c]; ok {
				return n
			}
			if s == 0 {
				return 0
			}
			s = nodes[s].fail
		}
	}
	for old := range nodes {
		row := id[old] * m.nclass
		for c := 1; c < m.nclass; c++ {
			n := next(old, uint8(c))
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
