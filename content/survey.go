package content

import (
	"fmt"

	"safedesk"
)

func readSurvey(c *collector, file string, b []byte, langs []string) *safedesk.Survey {
	root := parseYAML(c, file, b, 1)
	if root == nil {
		return nil
	}
	before := len(c.problems)
	o := newObj(c, file, "", root, langs, "id", "title", "items")
	s := &safedesk.Survey{ID: o.id("id", true), Title: o.text("title", true)}
	seen := map[string]bool{}
	for i, n := range o.list("items", true) {
		io := newObj(c, file, fmt.Sprintf("items[%d]", i), n, langs, "id", "type", "text", "options")
		it := safedesk.SurveyItem{
			ID:   io.id("id", true),
			Type: io.oneOf("type", true, "", safedesk.SurveyLikert, safedesk.SurveyNPS, safedesk.SurveyText, safedesk.SurveyChoice),
			Text: io.text("text", true),
		}
		it.Options = readOptions(c, file, io, "options")
		if it.Type == safedesk.SurveyChoice && len(it.Options) < 2 {
			c.add(file, n.Line, io.sub("options"), "a choice item needs at least 2 options")
		}
		if it.Type != safedesk.SurveyChoice && len(it.Options) > 0 {
			c.add(file, n.Line, io.sub("options"), "only choice items have options")
		}
		if it.ID != "" && seen[it.ID] {
			c.add(file, n.Line, io.sub("id"), "item id %q is used twice", it.ID)
		}
		seen[it.ID] = true
		s.Items = append(s.Items, it)
	}
	if len(c.problems) > before {
		return nil
	}
	return s
}
