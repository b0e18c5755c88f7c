package content

import (
	"fmt"
	"sort"

	"safedesk"
)

// crossCheck checks what no single file can: unique ids, references between files, and
// blueprints the bank can fill.
func crossCheck(c *collector, p *safedesk.Pack, lessonFiles map[string]string) {
	chapterIDs := map[string]bool{}
	orders := map[int]string{}
	for _, ch := range p.Chapters {
		if chapterIDs[ch.ID] {
			c.add("chapters", 0, "id", "chapter id %q is used twice", ch.ID)
		}
		chapterIDs[ch.ID] = true
		if prev, ok := orders[ch.Order]; ok {
			c.add("chapters", 0, "order", "chapters %q and %q have the same order %d", prev, ch.ID, ch.Order)
		}
		orders[ch.Order] = ch.ID
		for _, l := range ch.Lessons {
			for _, r := range l.Related {
				if p.Lesson(r) == nil {
					c.add(lessonFiles[l.ID], 0, "related", "no lesson %q", r)
				}
			}
		}
	}

	seen := map[string]bool{}
	for _, q := range p.Questions {
		if seen[q.ID] {
			c.add("questions", 0, q.ID, "question id %q is used twice", q.ID)
		}
		seen[q.ID] = true
		if l := p.Lesson(q.LessonID); l != nil {
			q.ChapterID = l.ChapterID
		} else {
			c.add("questions", 0, q.ID+".lesson", "no %s", lessonRef(q.LessonID))
		}
	}

	examIDs := map[string]bool{}
	for _, e := range p.Exams {
		file := "exams/" + e.ID + ".yaml"
		if examIDs[e.ID] {
			c.add(file, 0, "id", "exam id %q is used twice", e.ID)
		}
		examIDs[e.ID] = true
		checkBlueprint(c, p, e, file, chapterIDs)
	}
	dupIDs(c, "drills", func(yield func(string)) {
		for _, d := range p.Drills {
			yield(d.ID)
		}
	})
	dupIDs(c, "surveys", func(yield func(string)) {
		for _, s := range p.Surveys {
			yield(s.ID)
		}
	})
}

// checkBlueprint checks that the bank holds enough distinct questions for every rule, taking
// questions already claimed by earlier rules into account.
func checkBlueprint(c *collector, p *safedesk.Pack, e *safedesk.ExamSpec, file string, chapters map[string]bool) {
	used := map[string]bool{}
	for i, r := range e.Blueprint {
		field := fmt.Sprintf("blueprint[%d]", i)
		if !chapters[r.ChapterID] {
			c.add(file, 0, field+".chapter", "no chapter %q", r.ChapterID)
			continue
		}
		var pool []string
		for _, q := range p.Questions {
			if !used[q.ID] && RuleMatches(r, q) {
				pool = append(pool, q.ID)
			}
		}
		if len(pool) < r.Count {
			c.add(file, 0, field+".count", "asks for %d questions but the bank has only %d that fit", r.Count, len(pool))
			continue
		}
		sort.Strings(pool)
		for _, id := range pool[:r.Count] {
			used[id] = true
		}
	}
}

// RuleMatches reports whether a question is eligible for a blueprint rule.
func RuleMatches(r safedesk.BlueprintRule, q *safedesk.Question) bool {
	if q.ChapterID != r.ChapterID {
		return false
	}
	if len(r.Difficulty) > 0 && !contains(r.Difficulty, q.Difficulty) {
		return false
	}
	if len(r.Tags) == 0 {
		return true
	}
	for _, t := range r.Tags {
		if contains(q.Tags, t) {
			return true
		}
	}
	return false
}

func dupIDs(c *collector, dir string, each func(func(string))) {
	seen := map[string]bool{}
	each(func(id string) {
		if seen[id] {
			c.add(dir, 0, "id", "id %q is used twice", id)
		}
		seen[id] = true
	})
}
