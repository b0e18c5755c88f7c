package cert

import (
	"fmt"
	"math"
	"strings"

	"github.com/signintech/gopdf"

	"safedesk"
)

// Layout, in points from the top left of the page. Text is placed by the top of its line.
const (
	centreX     = pageW / 2
	outerInset  = 22.0
	innerInset  = 30.0
	textWidth   = 600.0 // widest a line of the body may be
	footerTop   = 440.0
	qrSize      = 86.0
	cornerRoom  = 40.0 // between the inner frame and the QR code or the seal
	sealRadius  = 40.0
	columnWidth = 132.0
)

// frame draws the double border: a navy rule with a thin gold one inside it, and small
// gold corner marks.
func (d *doc) frame() {
	p := d.pdf
	p.SetLineType("solid")
	d.stroke(colNavy, 2.2)
	p.RectFromUpperLeftWithStyle(outerInset, outerInset, pageW-2*outerInset, pageH-2*outerInset, "D")
	d.stroke(colGold, 0.8)
	p.RectFromUpperLeftWithStyle(innerInset, innerInset, pageW-2*innerInset, pageH-2*innerInset, "D")
	const m, l = innerInset + 8, 26.0
	d.stroke(colGold, 1.6)
	for _, c := range [][4]float64{
		{m, m, 1, 1}, {pageW - m, m, -1, 1}, {m, pageH - m, 1, -1}, {pageW - m, pageH - m, -1, -1},
	} {
		p.Line(c[0], c[1], c[0]+c[2]*l, c[1])
		p.Line(c[0], c[1], c[0], c[1]+c[3]*l)
	}
}

// body draws everything above the footer, centred across the page. The heading stays at
// the top; the part from "This is to certify" to the version, whose height depends on how
// long the name and the course title are, is centred in the space left above the footer.
func (d *doc) body(org string, p Payload) error {
	if err := d.centred(64, org, 13, colNavy, 2); err != nil {
		return err
	}
	d.stroke(colGold, 0.8)
	d.pdf.Line(centreX-36, 90, centreX+36, 90)
	if err := d.centred(106, lblTitleZH, 32, colNavy, 8); err != nil {
		return err
	}
	if err := d.centred(152, lblTitleEN, 11.5, colGold, 3.5); err != nil {
		return err
	}

	const nameLeading, courseLeading = 1.35, 1.3
	nameSize, name, err := d.fit(p.Holder, 34, 16, textWidth)
	if err != nil {
		return safedesk.FieldError("holder", "The name is too long to print on the certificate.")
	}
	courseSize, course, err := d.fit(p.CourseTitle, 20, 11, textWidth)
	if err != nil {
		return safedesk.FieldError("course_title", "The course title is too long to print on the certificate.")
	}
	nameH := linesHeight(nameSize, len(name), nameLeading)
	courseH := linesHeight(courseSize, len(course), courseLeading)
	height := 26 + nameH + 30 + 43 + courseH + 10 + 10.5
	const top, bottom = 180.0, footerTop - 16
	if height > bottom-top {
		// fit's limits keep this from happening; refuse rather than overprint the footer.
		return safedesk.FieldError("course_title", "The name and course title are together too long to print on the certificate.")
	}
	y := top + (bottom-top-height)/2

	if err := d.centred(y, lblCertifyZH+"   "+lblCertifyEN, 11, colMuted, 0.3); err != nil {
		return err
	}
	y += 26
	if err := d.lines(y, name, nameSize, nameLeading, colInk); err != nil {
		return err
	}
	y += nameH
	d.stroke(colGold, 0.8)
	d.pdf.Line(centreX-170, y+12, centreX+170, y+12)
	y += 30
	if err := d.centred(y, lblPassedZH, 11, colMuted, 0.3); err != nil {
		return err
	}
	if err := d.centred(y+17, lblPassedEN, 10, colMuted, 0.2); err != nil {
		return err
	}
	y += 43
	if err := d.lines(y, course, courseSize, courseLeading, colNavy); err != nil {
		return err
	}
	y += courseH
	return d.centred(y+10, lblVersion+p.CourseVersion, 10.5, colMuted, 0.3)
}

// footer draws the dates and the code in three columns across the middle, the QR code at
// the right and the verify URL beneath.
func (d *doc) footer(code, issued, expires, url string, png []byte) error {
	cols := []struct{ zh, en, value string }{
		{lblIssuedZH, lblIssuedEN, issued},
		{lblExpiresZH, lblExpiresEN, expires},
		{lblCodeZH, lblCodeEN, code},
	}
	const gap = 150.0
	for i, c := range cols {
		cx := centreX + float64(i-1)*gap
		d.stroke(colGold, 0.6)
		d.pdf.Line(cx-columnWidth/2, footerTop, cx+columnWidth/2, footerTop)
		if err := d.text(cx, footerTop+10, c.value, 13, colInk, 0.6, true); err != nil {
			return err
		}
		if err := d.text(cx, footerTop+32, c.zh+"  "+c.en, 8.5, colMuted, 0.2, true); err != nil {
			return err
		}
	}

	img, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		return fmt.Errorf("cert: QR image: %w", err)
	}
	qx, qy := pageW-innerInset-cornerRoom-qrSize, footerTop-8
	if err := d.pdf.ImageByHolder(img, qx, qy, &gopdf.Rect{W: qrSize, H: qrSize}); err != nil {
		return fmt.Errorf("cert: QR image: %w", err)
	}
	if err := d.text(qx+qrSize/2, qy+qrSize+2, lblScanZH+" "+lblScanEN, 7.5, colMuted, 0.2, true); err != nil {
		return err
	}
	// The seal mirrors the QR code on the left, so the footer stays balanced.
	if err := d.seal(pageW-qx-qrSize/2, qy+qrSize/2); err != nil {
		return err
	}
	d.pdf.AddExternalLink(url, qx, qy, qrSize, qrSize)

	// The URL line stays between the seal and the QR code; the longest URL Render accepts
	// takes two lines.
	line := lblVerifyAtZH + "  " + lblVerifyAtEN + ":  " + url
	size, lines, err := d.fit(line, 8, 6, 2*gap+columnWidth)
	if err != nil || len(lines) > 2 {
		return safedesk.FieldError("verify_url", "The verify URL is too long to print.")
	}
	return d.lines(footerTop+62, lines, size, 1.3, colMuted)
}

// seal draws a round gold emblem centred on (cx, cy).
func (d *doc) seal(cx, cy float64) error {
	d.stroke(colGold, 1.4)
	d.pdf.Oval(cx-sealRadius, cy-sealRadius, cx+sealRadius, cy+sealRadius)
	const inner = sealRadius - 5
	d.stroke(colGold, 0.5)
	d.pdf.Oval(cx-inner, cy-inner, cx+inner, cy+inner)
	if err := d.text(cx+1, cy-16, lblSealZH, 15, colGold, 3, true); err != nil {
		return err
	}
	return d.text(cx+0.6, cy+6, lblSealEN, 6.5, colGold, 1.2, true)
}

// linesHeight is the height of n lines of size set with leading, from the top of the
// first to the bottom of the last.
func linesHeight(size float64, n int, leading float64) float64 {
	return size + float64(n-1)*size*leading
}

// lines draws lines centred, the first with its top at y.
func (d *doc) lines(y float64, lines []string, size, leading float64, c rgb) error {
	for i, l := range lines {
		if err := d.text(centreX, y+float64(i)*size*leading, l, size, c, 0.02*size, true); err != nil {
			return err
		}
	}
	return nil
}

// maxBlockLines is the most lines a block may take.
const maxBlockLines = 3

// fit finds how to set s within width: the largest size from max down to min, in steps of
// half a point, at which it fits on one line; else the fewest lines (up to maxBlockLines)
// at the largest size from 1.25 × min down to min.
func (d *doc) fit(s string, max, min, width float64) (float64, []string, error) {
	for n := 1; n <= maxBlockLines; n++ {
		top := max
		if n > 1 {
			top = math.Min(max, 1.25*min)
		}
		for size := top; size >= min; size -= 0.5 {
			if err := d.pdf.SetFontSize(size); err != nil {
				return 0, nil, err
			}
			d.pdf.SetCharSpacing(0.02 * size)
			lines, err := d.wrap(s, width)
			if err != nil {
				return 0, nil, err
			}
			if len(lines) <= n {
				return size, lines, nil
			}
		}
	}
	return 0, nil, fmt.Errorf("cert: %q does not fit", s)
}

// wrap breaks s into lines no wider than width at the current size: after the last space
// that fits, or between any two characters when a line has no space in its second half
// (Chinese, or a long word such as a URL).
func (d *doc) wrap(s string, width float64) ([]string, error) {
	var lines []string
	rs := []rune(strings.TrimSpace(s))
	for len(rs) > 0 {
		n, lastSpace := 0, -1
		for n < len(rs) {
			w, err := d.pdf.MeasureTextWidth(string(rs[:n+1]))
			if err != nil {
				return nil, err
			}
			if w > width && n > 0 {
				break
			}
			if rs[n] == ' ' {
				lastSpace = n
			}
			n++
		}
		// Break at the last space unless that would leave the line less than half full,
		// as a long URL would.
		if n < len(rs) && lastSpace > n/2 {
			n = lastSpace
		}
		// Chinese closing punctuation never starts a line: take the character before it along.
		for n > 1 && n < len(rs) && strings.ContainsRune(noLineStart, rs[n]) {
			n--
		}
		lines = append(lines, strings.TrimSpace(string(rs[:n])))
		rs = []rune(strings.TrimLeft(string(rs[n:]), " "))
	}
	return lines, nil
}

// noLineStart holds the punctuation that must not begin a line of Chinese text.
const noLineStart = "、。，．：；！？）」』》〉】〕’”…·,.;:!?)"

// centred draws one line centred on the page.
func (d *doc) centred(y float64, s string, size float64, c rgb, spacing float64) error {
	return d.text(centreX, y, s, size, c, spacing, true)
}

// text draws s with its top at y, centred on x when centre is set, else starting at x.
func (d *doc) text(x, y float64, s string, size float64, c rgb, spacing float64, centre bool) error {
	p := d.pdf
	if err := p.SetFont(family, "", size); err != nil {
		return fmt.Errorf("cert: %w", err)
	}
	p.SetCharSpacing(spacing)
	p.SetTextColor(c.r, c.g, c.b)
	if centre {
		w, err := p.MeasureTextWidth(s)
		if err != nil {
			return fmt.Errorf("cert: %w", err)
		}
		// Spacing follows every character, the last one too; centre the ink, not that.
		x -= (w - spacing) / 2
	}
	p.SetXY(x, y)
	if err := p.Cell(nil, s); err != nil {
		return fmt.Errorf("cert: %w", err)
	}
	return nil
}

func (d *doc) stroke(c rgb, width float64) {
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(width)
}
