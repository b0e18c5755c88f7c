package content

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"safedesk"
)

func readDrill(c *collector, file string, b []byte, langs []string) *safedesk.DrillScenario {
	root := parseYAML(c, file, b, 1)
	if root == nil {
		return nil
	}
	before := len(c.problems)
	o := newObj(c, file, "", root, langs, "id", "title", "competencies", "persona", "pass_score", "intents",
		"start", "states", "rubric", "model_answer")
	d := &safedesk.DrillScenario{
		ID:           o.id("id", true),
		Title:        o.text("title", true),
		Competencies: o.strings("competencies", true),
		PassScore:    o.integer("pass_score", true, 0, 100),
		Start:        o.id("start", true),
		ModelAnswer:  o.text("model_answer", true),
		Intents:      map[string]map[string][]string{},
		States:       map[string]*safedesk.DrillState{},
	}
	if n := o.get("persona", true); n != nil {
		po := newObj(c, file, "persona", n, langs, "name", "description")
		d.Persona = safedesk.Persona{Name: po.text("name", true), Description: po.text("description", true)}
	}
	if n := o.get("intents", true); n != nil {
		forEachKey(c, file, "intents", n, func(k string, v *yaml.Node) {
			io := newObj(c, file, "intents", &yaml.Node{Kind: yaml.MappingNode, Line: v.Line, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: k, Line: v.Line}, v}}, langs, k)
			d.Intents[k] = io.textList(k, true)
		})
	}
	if n := o.get("states", true); n != nil {
		forEachKey(c, file, "states", n, func(k string, v *yaml.Node) {
			so := newObj(c, file, "states."+k, v, langs, "say", "next", "end")
			st := &safedesk.DrillState{End: so.boolean("end", false)}
			for _, sn := range so.list("say", true) {
				st.Say = append(st.Say, readText(c, file, so.sub("say"), sn, langs))
			}
			for i, tn := range so.list("next", false) {
				to := newObj(c, file, fmt.Sprintf("%s.next[%d]", so.path, i), tn, langs, "when", "goto")
				st.Next = append(st.Next, safedesk.Transition{When: to.str("when", false), Goto: to.id("goto", true)})
			}
			if !st.End && len(st.Next) == 0 {
				c.add(file, v.Line, so.path, "a state that does not end needs next transitions")
			}
			d.States[k] = st
		})
	}
	if n := o.get("rubric", true); n != nil {
		ro := newObj(c, file, "rubric", n, langs, "critical", "major", "minor", "good")
		d.Rubric.Critical = readRules(c, file, ro, "critical")
		d.Rubric.Major = readRules(c, file, ro, "major")
		d.Rubric.Minor = readRules(c, file, ro, "minor")
		d.Rubric.Good = readRules(c, file, ro, "good")
		if len(d.Rubric.Critical) == 0 {
			c.add(file, n.Line, "rubric.critical", "a drill needs at least one critical rule")
		}
	}
	// References inside the scenario.
	if d.Start != "" && d.States[d.Start] == nil {
		c.add(file, o.get("start", false).Line, "start", "no state %q", d.Start)
	}
	names := make([]string, 0, len(d.States))
	for k := range d.States {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, t := range d.States[k].Next {
			if t.Goto != "" && d.States[t.Goto] == nil {
				c.add(file, 0, "states."+k+".next", "goto %q: no such state", t.Goto)
			}
			if t.When != "" && d.Intents[t.When] == nil {
				c.add(file, 0, "states."+k+".next", "when %q: no such intent", t.When)
			}
		}
	}
	for _, r := range append(append(append(d.Rubric.Critical, d.Rubric.Major...), d.Rubric.Minor...), d.Rubric.Good...) {
		for _, in := range []string{r.When, r.Missing} {
			if in != "" && d.Intents[in] == nil {
				c.add(file, 0, "rubric."+r.Rule, "intent %q is not defined under intents", in)
			}
		}
	}
	if len(c.problems) > before {
		return nil
	}
	return d
}

func readRules(c *collector, file string, ro *obj, field string) []safedesk.RubricRule {
	var out []safedesk.RubricRule
	for i, n := range ro.list(field, false) {
		o := newObj(c, file, fmt.Sprintf("rubric.%s[%d]", field, i), n, ro.langs, "rule", "risk", "when", "missing", "points", "message")
		r := safedesk.RubricRule{
			Rule:    o.id("rule", true),
			Risk:    o.strings("risk", false),
			When:    o.str("when", false),
			Missing: o.str("missing", false),
			Points:  o.integer("points", field != "critical", 0, 100),
			Message: o.text("message", true),
		}
		triggers := 0
		for _, set := range []bool{len(r.Risk) > 0, r.When != "", r.Missing != ""} {
			if set {
				triggers++
			}
		}
		if triggers != 1 {
			c.add(file, n.Line, o.path, "a rule has exactly one of risk, when, missing")
		}
		out = append(out, r)
	}
	return out
}

// forEachKey calls fn for each key of a mapping whose keys must be ids.
func forEachKey(c *collector, file, path string, n *yaml.Node, fn func(string, *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		c.add(file, n.Line, path, "expected a mapping")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !idPattern.MatchString(k.Value) {
			c.add(file, k.Line, path, "%q is not a valid id", k.Value)
			continue
		}
		if seen[k.Value] {
			c.add(file, k.Line, path+"."+k.Value, "given twice")
			continue
		}
		seen[k.Value] = true
		fn(k.Value, n.Content[i+1])
	}
}
