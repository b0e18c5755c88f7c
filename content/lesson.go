package content

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"safedesk"
)

// lessonFile is one language of one lesson as read from its file, with what the
// cross-language checks need.
type lessonFile struct {
	file     string
	line     int
	lang     string
	id       string
	order    int
	minutes  int
	related  []string
	text     *safedesk.LessonText
	headings []string // "##", "###" … in order
}

// readLessons reads every chapters/*/*.LANG.md file, pairs the languages of each lesson and
// attaches the lessons to their chapters. It returns the lessons by id, with the file that
// defined each for later messages.
func readLessons(c *collector, names []string, files map[string][]byte, chapters map[string]*safedesk.Chapter, langs []string) map[string]string {
	groups := map[string]map[string]*lessonFile{} // dir/slug → lang → file
	var keys []string
	for _, name := range names {
		if !strings.HasPrefix(name, "chapters/") || path.Ext(name) != ".md" {
			continue
		}
		if strings.Count(name, "/") != 2 {
			c.add(name, 0, "", "lessons go directly inside a chapter folder: chapters/NN-name/SLUG.LANG.md")
			continue
		}
		base := strings.TrimSuffix(path.Base(name), ".md")
		dot := strings.LastIndexByte(base, '.')
		lang := ""
		if dot > 0 {
			lang = base[dot+1:]
		}
		if !contains(langs, lang) {
			c.add(name, 0, "", "lesson file names end in .%s.md", strings.Join(langs, ".md or ."))
			continue
		}
		if _, ok := chapters[path.Dir(name)]; !ok {
			c.add(name, 0, "", "the folder %s has no valid chapter.yaml", path.Dir(name))
			continue
		}
		lf := readLessonFile(c, name, files[name], lang)
		if lf == nil {
			continue
		}
		key := path.Dir(name) + "/" + base[:dot]
		if groups[key] == nil {
			groups[key] = map[string]*lessonFile{}
			keys = append(keys, key)
		}
		groups[key][lang] = lf
	}

	byID := map[string]string{}
	for _, key := range keys {
		g := groups[key]
		var first *lessonFile
		for _, l := range langs {
			if g[l] == nil {
				c.add(key+"."+l+".md", 0, "", "missing translation: the lesson exists in another language")
				continue
			}
			if first == nil {
				first = g[l]
			}
		}
		if first == nil || len(g) != len(langs) {
			continue
		}
		ok := true
		for _, l := range langs[1:] {
			ok = checkParity(c, first, g[l]) && ok
		}
		if !ok || first.id == "" {
			continue
		}
		if prev, dup := byID[first.id]; dup {
			c.add(first.file, first.line, "id", "lesson id %q is also used by %s", first.id, prev)
			continue
		}
		byID[first.id] = first.file
		ch := chapters[path.Dir(key)]
		lesson := &safedesk.Lesson{
			ID: first.id, ChapterID: ch.ID, Order: first.order, Minutes: first.minutes,
			Related: first.related, Texts: map[string]*safedesk.LessonText{},
		}
		for _, l := range langs {
			lesson.Texts[l] = g[l].text
		}
		ch.Lessons = append(ch.Lessons, lesson)
	}
	for dir, ch := range chapters {
		sort.Slice(ch.Lessons, func(i, j int) bool { return ch.Lessons[i].Order < ch.Lessons[j].Order })
		for i := 1; i < len(ch.Lessons); i++ {
			if ch.Lessons[i].Order == ch.Lessons[i-1].Order {
				c.add(dir, 0, "order", "lessons %q and %q have the same order %d", ch.Lessons[i-1].ID, ch.Lessons[i].ID, ch.Lessons[i].Order)
			}
		}
		if len(ch.Lessons) == 0 {
			c.add(dir+"/chapter.yaml", 0, "", "chapter %q has no lessons", ch.ID)
		}
	}
	return byID
}

func checkParity(c *collector, a, b *lessonFile) bool {
	ok := true
	if a.id != b.id {
		c.add(b.file, b.line, "id", "%q differs from %q in %s", b.id, a.id, a.file)
		ok = false
	}
	if a.order != b.order {
		c.add(b.file, b.line, "order", "%d differs from %d in %s", b.order, a.order, a.file)
		ok = false
	}
	if strings.Join(a.related, ",") != strings.Join(b.related, ",") {
		c.add(b.file, b.line, "related", "differs from %s", a.file)
		ok = false
	}
	if len(a.text.Objectives) != len(b.text.Objectives) {
		c.add(b.file, b.line, "objectives", "%d objectives, but %s has %d", len(b.text.Objectives), a.file, len(a.text.Objectives))
		ok = false
	}
	if strings.Join(a.headings, " ") != strings.Join(b.headings, " ") {
		c.add(b.file, 0, "body", "heading structure [%s] differs from [%s] in %s", strings.Join(b.headings, " "), strings.Join(a.headings, " "), a.file)
		ok = false
	}
	return ok
}

// readLessonFile splits the front matter from the Markdown body and reads both.
func readLessonFile(c *collector, file string, b []byte, lang string) *lessonFile {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(b, []byte("---\n")) {
		c.add(file, 1, "", "a lesson starts with YAML front matter between --- lines")
		return nil
	}
	rest := b[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	if end < 0 {
		if bytes.HasSuffix(rest, []byte("\n---")) {
			end = len(rest) - 4
		} else {
			c.add(file, 1, "", "front matter is not closed by a --- line")
			return nil
		}
	}
	front := rest[:end+1]
	body := ""
	if end+5 <= len(rest) {
		body = string(rest[end+5:])
	}
	root := parseYAML(c, file, front, 2)
	if root == nil {
		return nil
	}
	o := newObj(c, file, "", root, []string{lang}, "id", "order", "title", "minutes", "objectives", "summary", "related")
	lf := &lessonFile{
		file: file, line: root.Line, lang: lang,
		id:      o.id("id", true),
		order:   o.integer("order", true, 1, 999),
		minutes: o.integer("minutes", true, 1, 240),
		related: o.strings("related", false),
		text: &safedesk.LessonText{
			Title:      o.str("title", true),
			Objectives: o.strings("objectives", true),
			Summary:    o.str("summary", true),
			Body:       body,
		},
	}
	// The body starts after the opening ---, the front matter and the closing --- line.
	bodyLine := bytes.Count(front, []byte("\n")) + 3
	lf.headings = headings(c, file, body, bodyLine)
	if strings.TrimSpace(body) == "" {
		c.add(file, bodyLine, "body", "the lesson has no text")
	}
	return lf
}

// headings returns the levels of the Markdown ATX headings outside code fences, and reports
// a top-level "# " heading, which is reserved for the lesson title.
func headings(c *collector, file, body string, firstLine int) []string {
	var out []string
	fence := ""
	for i, line := range strings.Split(body, "\n") {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) > 3 {
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			switch {
			case fence == "":
				fence = t[:3]
			case strings.HasPrefix(t, fence):
				fence = ""
			}
			continue
		}
		if fence != "" || !strings.HasPrefix(t, "#") {
			continue
		}
		level := len(t) - len(strings.TrimLeft(t, "#"))
		if level > 6 || (len(t) > level && t[level] != ' ' && t[level] != '\t') {
			continue
		}
		if level == 1 {
			c.add(file, firstLine+i, "body", "headings start at ## (the title is the top heading)")
		}
		out = append(out, strings.Repeat("#", level))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// lessonRef formats a lesson id for messages.
func lessonRef(id string) string { return fmt.Sprintf("lesson %q", id) }
