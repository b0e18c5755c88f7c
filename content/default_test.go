package content

import (
	"testing"
	"unicode/utf8"

	"safedesk"
)

// TestDefaultPack holds the built-in course to the bar a training manager would adopt: six
// chapters of real lessons, a bank that tests every lesson, and answer keys that cannot be
// guessed from the shape of the options.
func TestDefaultPack(t *testing.T) {
	p, err := Load(Default())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Chapters) != 6 {
		t.Fatalf("%d chapters, want 6", len(p.Chapters))
	}
	for _, ch := range p.Chapters {
		if len(ch.Lessons) < 4 {
			t.Errorf("chapter %s has %d lessons, want at least 4", ch.ID, len(ch.Lessons))
		}
	}

	t.Run("coverage", func(t *testing.T) {
		perLesson, perChapter := map[string]int{}, map[string]int{}
		for _, q := range p.Questions {
			perLesson[q.LessonID]++
			perChapter[q.ChapterID]++
		}
		for _, ch := range p.Chapters {
			for _, l := range ch.Lessons {
				if perLesson[l.ID] < 3 {
					t.Errorf("lesson %s is tested by %d questions, want at least 3", l.ID, perLesson[l.ID])
				}
			}
		}
		min := map[string]int{"ch01": 8, "ch02": 20, "ch03": 20, "ch04": 20, "ch05": 20, "ch06": 8}
		for ch, n := range min {
			if perChapter[ch] < n {
				t.Errorf("chapter %s has %d questions, want at least %d", ch, perChapter[ch], n)
			}
		}
		if len(p.Questions) < 150 {
			t.Errorf("%d questions, want at least 150", len(p.Questions))
		}
		types := map[string]bool{}
		scenarios := 0
		for _, q := range p.Questions {
			types[q.Type] = true
			if len(q.Chat) > 0 {
				scenarios++
			}
		}
		if len(types) != 6 || scenarios < 20 {
			t.Errorf("types %v, scenario questions %d: want all six types and at least 20 scenarios", types, scenarios)
		}
	})

	t.Run("answer keys", func(t *testing.T) {
		for _, q := range p.Questions {
			ids := map[string]bool{}
			for _, o := range q.Options {
				ids[o.ID] = true
			}
			for _, a := range q.AnswerIDs {
				if !ids[a] {
					t.Errorf("%s: key %q is not an option", q.ID, a)
				}
			}
			if q.Type == safedesk.QuestionMultiple && (len(q.AnswerIDs) < 2 || len(q.AnswerIDs) >= len(q.Options)) {
				t.Errorf("%s: multiple-choice key has %d of %d options", q.ID, len(q.AnswerIDs), len(q.Options))
			}
		}
	})

	// A test-wise agent picks the longest option, or always "b". Neither may pay off.
	t.Run("no shape cues", func(t *testing.T) {
		for _, lang := range safedesk.Langs {
			longest, n := 0, 0
			position := map[int]int{}
			for _, q := range p.Questions {
				if q.Type != safedesk.QuestionSingle || len(q.Options) < 3 {
					continue
				}
				n++
				key, maxLen, strictly := -1, 0, true
				for i, o := range q.Options {
					l := utf8.RuneCountInString(o.Text.In(lang))
					switch {
					case l > maxLen:
						maxLen, strictly = l, true
						if o.ID == q.AnswerIDs[0] {
							key = i
						} else {
							key = -1
						}
					case l == maxLen:
						strictly = false
					}
					if o.ID == q.AnswerIDs[0] {
						position[i]++
					}
				}
				if key >= 0 && strictly {
					longest++
				}
			}
			if share := float64(longest) / float64(n); share > 0.35 {
				t.Errorf("%s: the key is the longest option in %d of %d single-choice questions (%.0f%%)", lang, longest, n, share*100)
			}
			for pos, k := range position {
				if share := float64(k) / float64(n); share > 0.35 {
					t.Errorf("%s: the key is option %d in %.0f%% of single-choice questions", lang, pos+1, share*100)
				}
			}
		}
	})

	t.Run("certification exam", func(t *testing.T) {
		var cert *safedesk.ExamSpec
		kinds := map[string]bool{}
		for _, e := range p.Exams {
			kinds[e.Kind] = true
			if e.Kind == safedesk.ExamCertification {
				cert = e
			}
		}
		if cert == nil || !kinds[safedesk.ExamPretest] {
			t.Fatalf("want a certification exam and a pre-test, got kinds %v", kinds)
		}
		if cert.QuestionCount() != 30 || cert.PassMark != 80 || cert.TimeLimitMinutes != 40 || cert.Attempts != 3 {
			t.Errorf("certification exam = %d questions, pass %d, %d min, %d attempts", cert.QuestionCount(), cert.PassMark, cert.TimeLimitMinutes, cert.Attempts)
		}
		weight := map[string]int{}
		for _, r := range cert.Blueprint {
			weight[r.ChapterID] += r.Count
		}
		for _, ch := range []string{"ch01", "ch03", "ch05", "ch06"} {
			if weight[ch] > weight["ch02"] || weight[ch] > weight["ch04"] {
				t.Errorf("blueprint %v: chapters 02 and 04 must weigh most", weight)
			}
		}
	})

	if len(p.Surveys) == 0 {
		t.Error("no course-reaction survey")
	}
}
