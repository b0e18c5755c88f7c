package content

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// minimal is the smallest valid pack; tests break one file at a time.
func minimal() map[string][]byte {
	return map[string][]byte{
		"pack.yaml":                    []byte("id: demo\nversion: 1.0.0\ntitle: {zh-CN: 演示, en: Demo}\ndescription: {zh-CN: 说明, en: About}\nlanguages: [zh-CN, en]\n"),
		"chapters/01-a/chapter.yaml":   []byte("id: ch01\norder: 1\ntitle: {zh-CN: 第一章, en: One}\nsummary: {zh-CN: 摘要, en: Summary}\n"),
		"chapters/01-a/intro.zh-CN.md": []byte("---\nid: ch01-intro\norder: 1\ntitle: 导论\nminutes: 5\nobjectives: [懂]\nsummary: 小结\n---\n\n## 开始\n\n正文\n"),
		"chapters/01-a/intro.en.md":    []byte("---\nid: ch01-intro\norder: 1\ntitle: Intro\nminutes: 5\nobjectives: [Know]\nsummary: Sum\n---\n\n## Start\n\nBody\n"),
		"questions/q.yaml": []byte(`questions:
  - id: q1
    type: single
    lesson: ch01-intro
    difficulty: easy
    prompt: {zh-CN: 问, en: Q}
    options:
      - {id: a, text: {zh-CN: 甲, en: A}}
      - {id: b, text: {zh-CN: 乙, en: B}}
    answer: a
    explanation: {zh-CN: 因为, en: Because}
`),
		"exams/e.yaml": []byte("id: cert\nkind: certification\ntitle: {zh-CN: 考试, en: Exam}\npass_mark: 80\ntime_limit_minutes: 10\nblueprint:\n  - {chapter: ch01, count: 1}\n"),
	}
}

func TestParseMinimal(t *testing.T) {
	p, err := Parse(minimal())
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "demo" || len(p.Chapters) != 1 || len(p.Questions) != 1 || p.Questions[0].ChapterID != "ch01" || len(p.Exams) != 1 {
		t.Fatalf("unexpected pack %+v", p)
	}
	if l := p.Lesson("ch01-intro"); l == nil || l.In("en").Title != "Intro" || !strings.Contains(l.In("zh-CN").Body, "正文") {
		t.Fatalf("lesson not read: %+v", l)
	}
}

// TestParseProblems breaks the minimal pack in the ways people do and checks that each
// problem is reported with its file, line and field.
func TestParseProblems(t *testing.T) {
	cases := []struct {
		name string
		edit func(m map[string][]byte)
		want string // substring of one reported problem
	}{
		{"broken yaml", func(m map[string][]byte) { m["pack.yaml"] = []byte("id: demo\nversion: [1.0\n") }, "pack.yaml:"},
		{"unknown field", func(m map[string][]byte) {
			m["exams/e.yaml"] = append(m["exams/e.yaml"], []byte("pasmark: 70\n")...)
		}, "exams/e.yaml:8: pasmark: unknown field"},
		{"missing translation", func(m map[string][]byte) {
			m["chapters/01-a/chapter.yaml"] = []byte("id: ch01\norder: 1\ntitle: {zh-CN: 第一章}\nsummary: {zh-CN: 摘要, en: Summary}\n")
		}, "chapters/01-a/chapter.yaml:3: title.en: missing translation"},
		{"missing lesson language", func(m map[string][]byte) { delete(m, "chapters/01-a/intro.en.md") }, "intro.en.md: missing translation"},
		{"duplicate question id", func(m map[string][]byte) {
			m["questions/r.yaml"] = m["questions/q.yaml"]
		}, `question id "q1" is used twice`},
		{"answer not an option", func(m map[string][]byte) {
			m["questions/q.yaml"] = []byte(strings.Replace(string(m["questions/q.yaml"]), "answer: a", "answer: z", 1))
		}, "questions/q.yaml:10: q1.answer: must be the id of one of the options"},
		{"heading structure differs", func(m map[string][]byte) {
			m["chapters/01-a/intro.en.md"] = []byte(strings.Replace(string(m["chapters/01-a/intro.en.md"]), "## Start", "### Start", 1))
		}, "heading structure"},
		{"blueprint too large", func(m map[string][]byte) {
			m["exams/e.yaml"] = []byte(strings.Replace(string(m["exams/e.yaml"]), "count: 1", "count: 5", 1))
		}, "asks for 5 questions but the bank has only 1"},
		{"related lesson missing", func(m map[string][]byte) {
			for _, f := range []string{"chapters/01-a/intro.zh-CN.md", "chapters/01-a/intro.en.md"} {
				m[f] = []byte(strings.Replace(string(m[f]), "minutes: 5\n", "minutes: 5\nrelated: [ch09-x]\n", 1))
			}
		}, `related: no lesson "ch09-x"`},
		{"bad id", func(m map[string][]byte) {
			m["pack.yaml"] = []byte(strings.Replace(string(m["pack.yaml"]), "id: demo", "id: Demo Pack", 1))
		}, "pack.yaml:1: id:"},
		{"top heading", func(m map[string][]byte) {
			m["chapters/01-a/intro.en.md"] = []byte(strings.Replace(string(m["chapters/01-a/intro.en.md"]), "## Start", "# Start", 1))
		}, "intro.en.md:10: body: headings start at ##"},
		{"no front matter", func(m map[string][]byte) { m["chapters/01-a/intro.en.md"] = []byte("# Hi\n") }, "intro.en.md:1: a lesson starts with YAML front matter"},
		{"multiple key with one answer", func(m map[string][]byte) {
			m["questions/q.yaml"] = []byte(strings.NewReplacer("type: single", "type: multiple", "answer: a", "answer: [a]",
				"      - {id: b, text: {zh-CN: 乙, en: B}}\n", "      - {id: b, text: {zh-CN: 乙, en: B}}\n      - {id: c, text: {zh-CN: 丙, en: C}}\n").Replace(string(m["questions/q.yaml"])))
		}, "at least 2 and fewer than all"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := minimal()
			tc.edit(m)
			p, err := Parse(m)
			var perr *Error
			if !errors.As(err, &perr) || p != nil {
				t.Fatalf("Parse = %v, %v; want *Error and no pack", p, err)
			}
			for _, pr := range perr.Problems {
				if strings.Contains(pr.String(), tc.want) {
					return
				}
			}
			t.Fatalf("no problem contains %q; got:\n%v", tc.want, err)
		})
	}
}

func FuzzParsePack(f *testing.F) {
	m := minimal()
	f.Add(string(m["questions/q.yaml"]), string(m["chapters/01-a/intro.en.md"]))
	f.Add("questions: [{id: x, type: matching, pairs: [{id: p}], answer: {p: q}}]", "---\n---\n")
	f.Add("questions:\n  - &a {id: q}\n  - *a\n", "---\nid: [\n---\n## x")
	f.Fuzz(func(t *testing.T, questions, lesson string) {
		files := minimal()
		files["questions/q.yaml"] = []byte(questions)
		files["chapters/01-a/intro.en.md"] = []byte(lesson)
		p, err := Parse(files)
		if (p == nil) == (err == nil) {
			t.Fatalf("Parse returned pack %v and error %v", p != nil, err)
		}
		var perr *Error
		if err != nil && (!errors.As(err, &perr) || len(perr.Problems) == 0) {
			t.Fatalf("error without problems: %v", err)
		}
		if perr != nil {
			for _, pr := range perr.Problems {
				if pr.File == "" || !utf8.ValidString(pr.Msg) && utf8.ValidString(questions+lesson) {
					t.Fatalf("problem without a file or with broken text: %+v", pr)
				}
			}
		}
	})
}
