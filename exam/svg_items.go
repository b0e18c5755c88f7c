package exam

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ItemChartText is the text of an item chart, in the reader's language. Empty fields take
// the English defaults.
type ItemChartText struct {
	// ID prefixes the ids of the chart's elements; unique in the page. Default
	// "item-chart".
	ID string
	// Title names the chart (default "Item statistics").
	Title string
	// Question, Facility and Discrimination head the columns (defaults "Question",
	// "Facility", "Discrimination").
	Question, Facility, Discrimination string
	// NotAvailable stands for an undefined value (default "n/a").
	NotAvailable string
	// Flags prefixes a row's flags in its title (default "flags").
	Flags string
	// Summary is the chart's description; "{questions}" and "{flagged}" stand for the
	// numbers of items and of marked items (default "{questions} questions, {flagged}
	// marked as weak.").
	Summary string
}

func (t ItemChartText) withDefaults() ItemChartText {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&t.ID, "item-chart")
	def(&t.Title, "Item statistics")
	def(&t.Question, "Question")
	def(&t.Facility, "Facility")
	def(&t.Discrimination, "Discrimination")
	def(&t.NotAvailable, "n/a")
	def(&t.Flags, "flags")
	def(&t.Summary, "{questions} questions, {flagged} marked as weak.")
	return t
}

// Item chart layout, in SVG user units. Facility runs 0..1 over its column; the
// discrimination index runs −1..1 with 0 in the middle of its column.
const (
	itemWidth          = 720
	itemRowH           = 24
	itemHead           = 64
	itemFoot           = 16
	itemLabelX         = 16
	itemLabelRunes     = 28
	itemFacX, itemFacW = 232, 200
	itemDisX, itemDisW = 488, 200
)

// ItemChart writes an SVG table of items with a bar for each item's facility and one for
// its discrimination index, dashed lines at the flag thresholds (MinFacility,
// MaxFacility, MinDiscrimination), and the values printed beside the bars. The label of
// an item with a flag other than FlagFewAttempts is marked "⚠" and coloured; every row
// has a <title> that says its values and all its flags. Question ids longer than 28 characters are shortened with "…" (the row title
// keeps the whole id). The chart is static, accessible and escaped like Histogram's, and
// its bytes depend only on the arguments.
func ItemChart(w io.Writer, items []ItemStatistics, text ItemChartText) error {
	t := text.withDefaults()
	height := itemHead + itemRowH*len(items) + itemFoot
	flagged := 0
	for _, it := range items {
		if weak(it.Flags) {
			flagged++
		}
	}
	var b bytes.Buffer
	summary := strings.NewReplacer("{questions}", strconv.Itoa(len(items)), "{flagged}", strconv.Itoa(flagged)).Replace(t.Summary)
	svgOpen(&b, t.ID, itemWidth, height, t.Title, summary)
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\" fill=\"%s\">%s</text>\n", itemLabelX, colourText, esc(t.Title))
	head := itemHead - 12
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"%s\">%s</text>\n", itemLabelX, head, colourText, esc(t.Question))
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"%s\">%s (0–1)</text>\n", itemFacX, head, colourText, esc(t.Facility))
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"%s\">%s (−1–1)</text>\n", itemDisX, head, colourText, esc(t.Discrimination))

	// Row shading first, so that the threshold lines show on every row.
	for i := 1; i < len(items); i += 2 {
		fmt.Fprintf(&b, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f5f5f5\"/>\n", itemHead+itemRowH*i, itemWidth, itemRowH)
	}
	bottom := itemHead + itemRowH*len(items)
	threshold := func(x float64, label string) {
		fmt.Fprintf(&b, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"4 3\"><title>%s</title></line>\n",
			num(x), itemHead-4, num(x), bottom, colourMuted, esc(label))
	}
	threshold(facX(MinFacility), fmt.Sprintf("%s %s", t.Facility, num(MinFacility)))
	threshold(facX(MaxFacility), fmt.Sprintf("%s %s", t.Facility, num(MaxFacility)))
	zero := disX(0)
	fmt.Fprintf(&b, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\"/>\n",
		num(zero), itemHead-4, num(zero), bottom, colourText)
	threshold(disX(MinDiscrimination), fmt.Sprintf("%s %s", t.Discrimination, num(MinDiscrimination)))

	for i, it := range items {
		itemRow(&b, t, i, it)
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func itemRow(b *bytes.Buffer, t ItemChartText, i int, it ItemStatistics) {
	y := itemHead + itemRowH*i
	mid := y + itemRowH/2
	dis := t.NotAvailable
	if it.Discrimination != nil {
		dis = num(*it.Discrimination)
	}
	title := fmt.Sprintf("%s: %s %s, %s %s", it.QuestionID, t.Facility, num(it.Facility), t.Discrimination, dis)
	if len(it.Flags) > 0 {
		title += fmt.Sprintf("; %s: %s", t.Flags, strings.Join(it.Flags, ", "))
	}
	fmt.Fprintf(b, "<g><title>%s</title>\n", esc(title))
	label, colour := shorten(it.QuestionID, itemLabelRunes), colourText
	if weak(it.Flags) {
		label, colour = "⚠ "+label, colourBad
	}
	fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n", itemLabelX, mid+4, colour, esc(label))

	fac := clamp(it.Facility, 0, 1)
	facColour := colourBar
	if it.Facility < MinFacility || it.Facility > MaxFacility {
		facColour = colourWarn
	}
	fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\" fill=\"%s\"/>\n",
		itemFacX, y+6, num(facX(fac)-itemFacX), itemRowH-12, facColour)
	fmt.Fprintf(b, "<text x=\"%s\" y=\"%d\" fill=\"%s\"%s>%s</text>\n", num(facX(fac)+4), mid+4, colourMuted, halo, num(it.Facility))

	if it.Discrimination == nil {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%d\" fill=\"%s\"%s>%s</text>\n", num(disX(0)+4), mid+4, colourMuted, halo, esc(t.NotAvailable))
		b.WriteString("</g>\n")
		return
	}
	d := clamp(*it.Discrimination, -1, 1)
	x0, x1 := disX(0), disX(d)
	disColour := colourPassBar
	switch {
	case d < 0:
		disColour = colourBad
	case d < MinDiscrimination:
		disColour = colourWarn
	}
	fmt.Fprintf(b, "<rect x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\" fill=\"%s\"/>\n",
		num(min(x0, x1)), y+6, num(max(x0, x1)-min(x0, x1)), itemRowH-12, disColour)
	anchor, tx := "start", max(x0, x1)+4
	if d < 0 {
		anchor, tx = "end", x1-4
	}
	fmt.Fprintf(b, "<text x=\"%s\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\"%s>%s</text>\n", num(tx), mid+4, anchor, colourMuted, halo, num(d))
	b.WriteString("</g>\n")
}

// weak reports whether flags say something about the item itself; FlagFewAttempts is
// about the data, and marking every row of a young exam would hide the real problems.
func weak(flags []string) bool {
	for _, f := range flags {
		if f != FlagFewAttempts {
			return true
		}
	}
	return false
}

// halo outlines a value in the background colour so that it stays legible where it
// crosses a threshold line.
const halo = ` stroke="#ffffff" stroke-width="3" paint-order="stroke"`

func facX(f float64) float64 { return itemFacX + itemFacW*f }
func disX(d float64) float64 { return itemDisX + itemDisW*(d+1)/2 }

// shorten cuts s to n characters, the last one "…", when it is longer.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
