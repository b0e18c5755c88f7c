package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"safedesk"
)

// Limits that keep a hostile or mistaken pack from exhausting memory.
const (
	MaxFileSize  = 1 << 20 // one file
	MaxFiles     = 2000
	MaxTotalSize = 64 << 20
)

var versionPattern = regexp.MustCompile(`^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$`)

// Load reads a pack from fsys (rooted at the pack's folder) and checks it. On any problem
// it returns a nil pack and an *Error listing every problem found.
func Load(fsys fs.FS) (*safedesk.Pack, error) {
	files, err := ReadFiles(fsys)
	if err != nil {
		return nil, err
	}
	return Parse(files)
}

// ReadFiles reads every file of a pack into memory, by slash-separated path, enforcing the
// size limits. Hidden files and folders are skipped.
func ReadFiles(fsys fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	total := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !isPackFile(p) {
			return nil
		}
		if len(files) >= MaxFiles {
			return fmt.Errorf("more than %d files", MaxFiles)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if len(b) > MaxFileSize {
			return fmt.Errorf("%s: larger than %d bytes", p, MaxFileSize)
		}
		total += len(b)
		if total > MaxTotalSize {
			return fmt.Errorf("pack larger than %d bytes", MaxTotalSize)
		}
		files[p] = b
		return nil
	})
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: ".", Msg: err.Error()}}}
	}
	return files, nil
}

func isPackFile(p string) bool {
	return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".md")
}

// Parse builds a pack from its files (slash-separated paths relative to the pack root).
func Parse(files map[string][]byte) (*safedesk.Pack, error) {
	c := &collector{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)

	p := &safedesk.Pack{}
	if b, ok := files["pack.yaml"]; ok {
		readPack(c, b, p)
	} else {
		c.add("pack.yaml", 0, "", "missing: every pack needs a pack.yaml at its root")
	}
	if len(p.Languages) == 0 {
		p.Languages = safedesk.Langs
	}
	langs := p.Languages

	chapters := map[string]*safedesk.Chapter{} // by folder
	for _, name := range names {
		if path.Base(name) == "chapter.yaml" && strings.HasPrefix(name, "chapters/") && strings.Count(name, "/") == 2 {
			if ch := readChapter(c, name, files[name], langs); ch != nil {
				chapters[path.Dir(name)] = ch
			}
		}
	}
	lessons := readLessons(c, names, files, chapters, langs)
	for _, ch := range chapters {
		p.Chapters = append(p.Chapters, ch)
	}
	sort.Slice(p.Chapters, func(i, j int) bool { return p.Chapters[i].Order < p.Chapters[j].Order })
	if len(p.Chapters) == 0 {
		c.add("chapters", 0, "", "the pack has no chapters (chapters/NN-name/chapter.yaml)")
	}

	for _, name := range names {
		dir, ext := path.Dir(name), path.Ext(name)
		if ext == ".md" && !strings.HasPrefix(name, "chapters/") && dir != "." {
			c.add(name, 0, "", "Markdown files belong in a chapter folder")
		}
		if ext != ".yaml" && ext != ".yml" {
			continue
		}
		switch dir {
		case "questions":
			p.Questions = append(p.Questions, readQuestions(c, name, files[name], langs)...)
		case "exams":
			if e := readExam(c, name, files[name], langs); e != nil {
				p.Exams = append(p.Exams, e)
			}
		case "drills":
			if d := readDrill(c, name, files[name], langs); d != nil {
				p.Drills = append(p.Drills, d)
			}
		case "surveys":
			if s := readSurvey(c, name, files[name], langs); s != nil {
				p.Surveys = append(p.Surveys, s)
			}
		case ".":
			if name != "pack.yaml" {
				c.add(name, 0, "", "unexpected file at the pack root (only pack.yaml belongs there)")
			}
		default:
			if !strings.HasPrefix(name, "chapters/") {
				c.add(name, 0, "", "unexpected file: YAML files belong in questions/, exams/, drills/, surveys/ or a chapter folder")
			}
		}
	}
	crossCheck(c, p, lessons)
	if err := c.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// parseYAML parses one YAML document and returns its root node, or nil after reporting.
func parseYAML(c *collector, file string, b []byte, firstLine int) *yaml.Node {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		line, msg := yamlErrorLine(err)
		if line > 0 {
			line += firstLine - 1
		}
		c.add(file, line, "", "invalid YAML: %s", msg)
		return nil
	}
	if len(doc.Content) == 0 {
		c.add(file, firstLine, "", "empty document")
		return nil
	}
	root := doc.Content[0]
	if firstLine > 1 {
		shiftLines(root, firstLine-1)
	}
	return root
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n := 0
		fmt.Sscanf(m[1], "%d", &n)
		return n, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, ch := range n.Content {
		shiftLines(ch, by)
	}
}

func readPack(c *collector, b []byte, p *safedesk.Pack) {
	root := parseYAML(c, "pack.yaml", b, 1)
	if root == nil {
		return
	}
	// Languages first: every text field depends on them.
	o := newObj(c, "pack.yaml", "", root, safedesk.Langs, "id", "version", "title", "description", "languages")
	langs := o.strings("languages", true)
	if len(langs) != len(safedesk.Langs) || langs[0] != safedesk.LangZH || langs[1] != safedesk.LangEN {
		c.add("pack.yaml", o.line(), "languages", "must be [zh-CN, en]")
	}
	p.Languages = safedesk.Langs
	p.ID = o.id("id", true)
	p.Version = o.str("version", true)
	if p.Version != "" && !versionPattern.MatchString(p.Version) {
		c.add("pack.yaml", o.get("version", false).Line, "version", "%q is not MAJOR.MINOR.PATCH", p.Version)
	}
	p.Title = o.text("title", true)
	p.Description = o.text("description", true)
}

func readChapter(c *collector, file string, b []byte, langs []string) *safedesk.Chapter {
	root := parseYAML(c, file, b, 1)
	if root == nil {
		return nil
	}
	o := newObj(c, file, "", root, langs, "id", "order", "title", "summary")
	ch := &safedesk.Chapter{
		ID:      o.id("id", true),
		Order:   o.integer("order", true, 1, 99),
		Title:   o.text("title", true),
		Summary: o.text("summary", true),
	}
	if ch.ID == "" {
		return nil
	}
	return ch
}
