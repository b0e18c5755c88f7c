package exam

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Colours of the charts, chosen to keep a contrast ratio of at least 4.5:1 on white.
const (
	colourBar      = "#3949ab"
	colourPassBar  = "#2e7d32"
	colourPassLine = "#c62828"
	colourWarn     = "#b34700"
	colourBad      = "#c62828"
	colourGrid     = "#d0d0d0"
	colourText     = "#212121"
	colourMuted    = "#555555"
)

// HistogramText is the text of a score histogram, for the caller to supply in the
// reader's language. Empty fields take the English defaults.
type HistogramText struct {
	// ID prefixes the ids of the chart's elements; it must be unique in the page.
	// Default "score-histogram".
	ID string
	// Title names the chart (default "Score distribution").
	Title string
	// XAxis and YAxis label the axes (defaults "Score (%)" and "Attempts").
	XAxis, YAxis string
	// PassMark labels the pass-mark line (default "Pass mark").
	PassMark string
	// Attempts words a count of attempts, for the description and the bars' titles:
	// "%d" stands for the number (default "%d attempts").
	Attempts string
}

func (t HistogramText) count(n int) string {
	return strings.ReplaceAll(t.Attempts, "%d", strconv.Itoa(n))
}

func (t HistogramText) withDefaults() HistogramText {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&t.ID, "score-histogram")
	def(&t.Title, "Score distribution")
	def(&t.XAxis, "Score (%)")
	def(&t.YAxis, "Attempts")
	def(&t.PassMark, "Pass mark")
	def(&t.Attempts, "%d attempts")
	return t
}

// Histogram layout, in SVG user units.
const (
	histWidth, histHeight = 640, 320
	histLeft, histRight   = 64, 24
	histTop, histBottom   = 64, 56
	histPlotW             = histWidth - histLeft - histRight
	histPlotH             = histHeight - histTop - histBottom
)

// HistogramBins counts scores (percentages) in ten bins: [0,10), [10,20) … [90,100], the
// last one closed. Scores outside 0..100 count in the nearest bin; NaN is skipped.
func HistogramBins(scores []float64) [10]int {
	var bins [10]int
	for _, s := range scores {
		if math.IsNaN(s) {
			continue
		}
		i := int(math.Floor(s / 10))
		bins[min(9, max(0, i))]++
	}
	return bins
}

// Histogram writes an SVG chart of the distribution of scores (percentages) in ten bins
// with a line at passMark. The chart is static (no script), accessible (role img, a
// <title> and a <desc> that lists every bin, a <title> per bar) and every piece of text is
// XML-escaped. The output depends only on the arguments, byte for byte.
func Histogram(w io.Writer, scores []float64, passMark float64, text HistogramText) error {
	t := text.withDefaults()
	bins := HistogramBins(scores)
	total, top := 0, 0
	for _, n := range bins {
		total += n
		top = max(top, n)
	}
	step, ymax := niceScale(top)

	var desc strings.Builder
	desc.WriteString(t.count(total))
	fmt.Fprintf(&desc, "; %s %s%%.", t.PassMark, num(passMark))
	for i, n := range bins {
		fmt.Fprintf(&desc, " %s: %d.", binLabel(i), n)
	}

	var b bytes.Buffer
	svgOpen(&b, t.ID, histWidth, histHeight, t.Title, desc.String())
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\" fill=\"%s\">%s</text>\n", histLeft, colourText, esc(t.Title))

	// Grid and y axis.
	for v := 0; v <= ymax; v += step {
		y := float64(histTop) + float64(histPlotH)*(1-float64(v)/float64(ymax))
		fmt.Fprintf(&b, "<line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n",
			histLeft, num(y), histLeft+histPlotW, num(y), colourGrid)
		fmt.Fprintf(&b, "<text x=\"%d\" y=\"%s\" text-anchor=\"end\" fill=\"%s\">%d</text>\n", histLeft-8, num(y+4), colourMuted, v)
	}

	// Bars.
	binW := float64(histPlotW) / 10
	for i, n := range bins {
		h := float64(histPlotH) * float64(n) / float64(ymax)
		x := float64(histLeft) + binW*float64(i)
		colour := colourBar
		if float64(i*10) >= passMark {
			colour = colourPassBar
		}
		fmt.Fprintf(&b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>%s: %s</title></rect>\n",
			num(x+2), num(float64(histTop+histPlotH)-h), num(binW-4), num(h), colour,
			esc(binLabel(i)), esc(t.count(n)))
	}

	// X axis with a tick every 10 %.
	base := histTop + histPlotH
	fmt.Fprintf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\"/>\n",
		histLeft, base, histLeft+histPlotW, base, colourText)
	for i := 0; i <= 10; i++ {
		x := float64(histLeft) + binW*float64(i)
		fmt.Fprintf(&b, "<text x=\"%s\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%d</text>\n", num(x), base+18, colourMuted, i*10)
	}
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
		histLeft+histPlotW/2, histHeight-12, colourText, esc(t.XAxis))
	fmt.Fprintf(&b, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\" transform=\"rotate(-90 16 %d)\">%s</text>\n",
		histTop+histPlotH/2, colourText, histTop+histPlotH/2, esc(t.YAxis))

	// Pass-mark line.
	if !math.IsNaN(passMark) {
		pm := math.Max(0, math.Min(100, passMark))
		x := float64(histLeft) + float64(histPlotW)*pm/100
		fmt.Fprintf(&b, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 4\"><title>%s %s%%</title></line>\n",
			num(x), histTop-18, num(x), base, colourPassLine, esc(t.PassMark), num(passMark))
		// The label sits above the bars, right of the line, or left of it near the
		// right edge.
		anchor, dx := "start", 6.0
		if pm > 70 {
			anchor, dx = "end", -6
		}
		fmt.Fprintf(&b, "<text x=\"%s\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\">%s %s%%</text>\n",
			num(x+dx), histTop-8, anchor, colourPassLine, esc(t.PassMark), num(passMark))
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func binLabel(i int) string {
	if i == 9 {
		return "90–100%"
	}
	return fmt.Sprintf("%d–%d%%", i*10, i*10+10)
}

// niceScale returns a tick step of 1, 2 or 5 × 10^k giving at most five steps up to top,
// and the axis maximum, a multiple of the step (at least 1).
func niceScale(top int) (step, ymax int) {
	if top < 1 {
		return 1, 1
	}
	step = 1
	for {
		for _, m := range []int{1, 2, 5} {
			if s := step * m; (top+s-1)/s <= 5 {
				return s, s * ((top + s - 1) / s)
			}
		}
		step *= 10
	}
}

// svgOpen writes the root element with its accessible name and description.
func svgOpen(b *bytes.Buffer, id string, w, h int, title, desc string) {
	id = esc(id)
	fmt.Fprintf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n",
		w, h, w, h, id, id)
	fmt.Fprintf(b, "<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, esc(title), id, esc(desc))
	fmt.Fprintf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h)
}

// esc escapes s for XML text and attribute values; characters XML cannot hold become
// U+FFFD.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// num formats a coordinate or value with at most two decimals and no trailing zeros, so
// the output is stable and short.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	s := strconv.FormatFloat(math.Round(x*100)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}
