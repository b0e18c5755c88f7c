package content

import (
	"fmt"

	"safedesk"
)

var examKinds = []string{safedesk.ExamCertification, safedesk.ExamPretest, safedesk.ExamPosttest, safedesk.ExamPractice}

func readExam(c *collector, file string, b []byte, langs []string) *safedesk.ExamSpec {
	root := parseYAML(c, file, b, 1)
	if root == nil {
		return nil
	}
	before := len(c.problems)
	o := newObj(c, file, "", root, langs, "id", "kind", "title", "pass_mark", "time_limit_minutes", "attempts",
		"cooldown_minutes", "shuffle_options", "review", "multiple_choice", "certificate", "blueprint")
	e := &safedesk.ExamSpec{
		ID:               o.id("id", true),
		Kind:             o.oneOf("kind", true, "", examKinds...),
		Title:            o.text("title", true),
		PassMark:         o.integer("pass_mark", true, 0, 100),
		TimeLimitMinutes: o.integer("time_limit_minutes", true, 1, 600),
		Attempts:         o.integer("attempts", false, 0, 100),
		CooldownMinutes:  o.integer("cooldown_minutes", false, 0, 60*24*365),
		ShuffleOptions:   o.boolean("shuffle_options", true),
		Review:           o.oneOf("review", false, "score", "score", "answers", "answers_after_close"),
		MultipleChoice:   o.oneOf("multiple_choice", false, "all_or_nothing", "all_or_nothing", "partial"),
		ValidityMonths:   12,
	}
	if n := o.get("certificate", false); n != nil {
		co := newObj(c, file, "certificate", n, langs, "validity_months", "required_drills")
		if co.has("validity_months") {
			e.ValidityMonths = co.integer("validity_months", false, 1, 120)
		}
		e.RequiredDrills = co.integer("required_drills", false, 0, 50)
	}
	for i, rn := range o.list("blueprint", true) {
		ro := newObj(c, file, fmt.Sprintf("blueprint[%d]", i), rn, langs, "chapter", "count", "difficulty", "tags")
		r := safedesk.BlueprintRule{
			ChapterID: ro.id("chapter", true),
			Count:     ro.integer("count", true, 1, 500),
			Tags:      ro.strings("tags", false),
		}
		for _, d := range ro.strings("difficulty", false) {
			if !contains(safedesk.Difficulties, d) {
				c.add(file, rn.Line, ro.sub("difficulty"), "%q is not one of easy, medium, hard", d)
			}
			r.Difficulty = append(r.Difficulty, d)
		}
		e.Blueprint = append(e.Blueprint, r)
	}
	if len(c.problems) > before {
		return nil
	}
	return e
}
