package http

import (
	"bytes"
	"html/template"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// markdown renders lesson bodies. Raw HTML in a pack is never passed through (goldmark
// drops it unless told otherwise), so a pack cannot inject script into a page.
type markdown struct {
	md    goldmark.Markdown
	mu    sync.Mutex
	cache map[string]template.HTML
}

func newMarkdown() *markdown {
	return &markdown{
		md:    goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)),
		cache: map[string]template.HTML{},
	}
}

// render converts Markdown to HTML, turning lesson:ID links into links within the course.
// Results are cached by key (version, lesson, language), which never changes meaning.
func (m *markdown) render(key, courseID, src string) (template.HTML, error) {
	m.mu.Lock()
	if h, ok := m.cache[key]; ok {
		m.mu.Unlock()
		return h, nil
	}
	m.mu.Unlock()
	doc := m.md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(parser.NewContext()))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			dest := string(l.Destination)
			if id, ok := strings.CutPrefix(dest, "lesson:"); ok {
				l.Destination = []byte("/courses/" + courseID + "/lessons/" + id)
			}
		}
		return ast.WalkContinue, nil
	})
	var buf bytes.Buffer
	if err := m.md.Renderer().Render(&buf, []byte(src), doc); err != nil {
		return "", err
	}
	h := template.HTML(buf.String()) // goldmark escapes text and drops raw HTML
	m.mu.Lock()
	m.cache[key] = h
	m.mu.Unlock()
	return h, nil
}
