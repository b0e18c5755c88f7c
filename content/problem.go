// Package content reads course packs: YAML and Markdown files in a folder (see
// docs/content-format.md) turned into a safedesk.Pack, with every problem reported by file,
// line and field. It does no I/O beyond the fs.FS it is given.
package content

import (
	"fmt"
	"sort"
	"strings"
)

// A Problem is one thing wrong with a pack, located as precisely as the input allows.
type Problem struct {
	File  string `json:"file"`
	Line  int    `json:"line,omitempty"`
	Field string `json:"field,omitempty"`
	Msg   string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error is returned when a pack has problems; it lists all of them, sorted by file and line.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "course pack has %d problem(s):", len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Problems)-20)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// collector accumulates problems while a pack is read, so that one run reports them all.
type collector struct {
	problems []Problem
}

func (c *collector) add(file string, line int, field, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (c *collector) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	ps := append([]Problem(nil), c.problems...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
	return &Error{Problems: ps}
}
