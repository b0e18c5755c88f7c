package content

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// idPattern is the shape of every id in a pack.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// obj is a YAML mapping being read: it knows its file and reports problems with the line of
// the node at fault and the dotted path of the field.
type obj struct {
	c      *collector
	file   string
	path   string
	node   *yaml.Node
	fields map[string]*yaml.Node
	langs  []string
}

// newObj checks that n is a mapping whose keys are all in allowed, reporting any other key.
func newObj(c *collector, file, path string, n *yaml.Node, langs []string, allowed ...string) *obj {
	o := &obj{c: c, file: file, path: path, node: n, fields: map[string]*yaml.Node{}, langs: langs}
	if n == nil {
		return o
	}
	if n.Kind != yaml.MappingNode {
		c.add(file, n.Line, path, "expected a mapping of fields")
		return o
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !ok[k.Value] {
			c.add(file, k.Line, o.sub(k.Value), "unknown field (allowed: %s)", strings.Join(allowed, ", "))
			continue
		}
		if _, dup := o.fields[k.Value]; dup {
			c.add(file, k.Line, o.sub(k.Value), "field given twice")
			continue
		}
		o.fields[k.Value] = v
	}
	return o
}

func (o *obj) sub(name string) string {
	if o.path == "" {
		return name
	}
	return o.path + "." + name
}

func (o *obj) line() int {
	if o.node == nil {
		return 0
	}
	return o.node.Line
}

func (o *obj) has(name string) bool { _, ok := o.fields[name]; return ok }

// get returns the node of a field; when required and absent it reports the problem.
func (o *obj) get(name string, required bool) *yaml.Node {
	n, ok := o.fields[name]
	if !ok && required && o.node != nil && o.node.Kind == yaml.MappingNode {
		o.c.add(o.file, o.line(), o.sub(name), "required field is missing")
	}
	return n
}

func (o *obj) scalar(name string, required bool) (*yaml.Node, bool) {
	n := o.get(name, required)
	if n == nil {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode {
		o.c.add(o.file, n.Line, o.sub(name), "expected a single value")
		return nil, false
	}
	return n, true
}

func (o *obj) str(name string, required bool) string {
	n, ok := o.scalar(name, required)
	if !ok {
		return ""
	}
	v := strings.TrimSpace(n.Value)
	if v == "" && required {
		o.c.add(o.file, n.Line, o.sub(name), "must not be empty")
	}
	return v
}

func (o *obj) id(name string, required bool) string {
	n, ok := o.scalar(name, required)
	if !ok {
		return ""
	}
	if !idPattern.MatchString(n.Value) {
		o.c.add(o.file, n.Line, o.sub(name), "%q is not a valid id (lowercase letters, digits and '-', at most 64)", n.Value)
		return ""
	}
	return n.Value
}

func (o *obj) integer(name string, required bool, min, max int) int {
	n, ok := o.scalar(name, required)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		o.c.add(o.file, n.Line, o.sub(name), "%q is not a whole number", n.Value)
		return 0
	}
	if v < min || v > max {
		o.c.add(o.file, n.Line, o.sub(name), "%d is out of range %d–%d", v, min, max)
		return 0
	}
	return v
}

func (o *obj) boolean(name string, def bool) bool {
	n, ok := o.scalar(name, false)
	if !ok {
		return def
	}
	switch n.Value {
	case "true", "yes":
		return true
	case "false", "no":
		return false
	}
	o.c.add(o.file, n.Line, o.sub(name), "%q is not true or false", n.Value)
	return def
}

func (o *obj) oneOf(name string, required bool, def string, allowed ...string) string {
	n, ok := o.scalar(name, required)
	if !ok {
		return def
	}
	for _, a := range allowed {
		if n.Value == a {
			return a
		}
	}
	o.c.add(o.file, n.Line, o.sub(name), "%q is not one of %s", n.Value, strings.Join(allowed, ", "))
	return def
}

// list returns the items of a sequence field.
func (o *obj) list(name string, required bool) []*yaml.Node {
	n := o.get(name, required)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		o.c.add(o.file, n.Line, o.sub(name), "expected a list")
		return nil
	}
	if required && len(n.Content) == 0 {
		o.c.add(o.file, n.Line, o.sub(name), "must not be empty")
	}
	return n.Content
}

// strings returns a list of scalar strings.
func (o *obj) strings(name string, required bool) []string {
	var out []string
	for i, n := range o.list(name, required) {
		if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
			o.c.add(o.file, n.Line, o.sub(name)+"["+strconv.Itoa(i)+"]", "expected a non-empty string")
			continue
		}
		out = append(out, strings.TrimSpace(n.Value))
	}
	return out
}

// text reads a localised text: a mapping with exactly one non-empty entry per language.
func (o *obj) text(name string, required bool) map[string]string {
	n := o.get(name, required)
	if n == nil {
		return nil
	}
	return readText(o.c, o.file, o.sub(name), n, o.langs)
}

func readText(c *collector, file, path string, n *yaml.Node, langs []string) map[string]string {
	t := map[string]string{}
	if n.Kind != yaml.MappingNode {
		c.add(file, n.Line, path, "expected one entry per language (%s)", strings.Join(langs, ", "))
		return t
	}
	to := newObj(c, file, path, n, langs, langs...)
	for _, l := range langs {
		v, ok := to.fields[l]
		if !ok {
			c.add(file, n.Line, path+"."+l, "missing translation")
			continue
		}
		if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
			c.add(file, v.Line, path+"."+l, "must be a non-empty string")
			continue
		}
		t[l] = strings.TrimSpace(v.Value)
	}
	return t
}

// textList reads a per-language list of strings: {zh-CN: [...], en: [...]}.
func (o *obj) textList(name string, required bool) map[string][]string {
	n := o.get(name, required)
	if n == nil {
		return nil
	}
	out := map[string][]string{}
	to := newObj(o.c, o.file, o.sub(name), n, o.langs, o.langs...)
	for _, l := range o.langs {
		if !to.has(l) {
			o.c.add(o.file, n.Line, o.sub(name)+"."+l, "missing translation")
			continue
		}
		out[l] = to.strings(l, true)
	}
	return out
}
