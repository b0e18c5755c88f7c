package cert

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"

	"safedesk"
)

// The page: A4 landscape, in points.
const (
	pageW = 841.89
	pageH = 595.28
)

// Colours of the certificate.
var (
	colInk   = rgb{0x22, 0x2B, 0x36} // the holder's name and values
	colNavy  = rgb{0x1F, 0x3A, 0x5F} // title, course, outer frame
	colGold  = rgb{0xA8, 0x84, 0x4E} // accents, inner frame
	colMuted = rgb{0x6B, 0x72, 0x80} // labels
)

type rgb struct{ r, g, b uint8 }

// The fixed words of the certificate, Chinese above English.
const (
	lblTitleZH    = "培训合格证书"
	lblTitleEN    = "CERTIFICATE OF COMPLETION"
	lblCertifyZH  = "兹证明"
	lblCertifyEN  = "This is to certify that"
	lblPassedZH   = "已完成以下课程的学习并通过认证考试"
	lblPassedEN   = "has completed the course below and passed its certification exam"
	lblVersion    = "版本 Version "
	lblIssuedZH   = "颁发日期"
	lblIssuedEN   = "Date of issue"
	lblExpiresZH  = "有效期至"
	lblExpiresEN  = "Valid until"
	lblCodeZH     = "验证码"
	lblCodeEN     = "Verification code"
	lblScanZH     = "扫码验证"
	lblScanEN     = "Scan to verify"
	lblVerifyAtZH = "验证网址"
	lblVerifyAtEN = "Verify at"
	lblSealZH     = "认证"
	lblSealEN     = "CERTIFIED"
)

// fontProbe is what every certificate draws whatever it says: a font that cannot draw it
// is no use for certificates at all.
const fontProbe = lblTitleZH + lblTitleEN + lblCertifyZH + lblCertifyEN + lblPassedZH + lblPassedEN +
	lblVersion + lblIssuedZH + lblIssuedEN + lblExpiresZH + lblExpiresEN + lblCodeZH + lblCodeEN +
	lblScanZH + lblScanEN + lblVerifyAtZH + lblVerifyAtEN + lblSealZH + lblSealEN + ":/.-_?=&%#" +
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// maxVerifyURL bounds the URL put in the QR code: 200 bytes fit a version-10 symbol at
// level M (57 modules, each still half a millimetre wide as printed); a longer URL makes a
// denser code that cheap phone cameras misread.
const maxVerifyURL = 200

// A Renderer prints certificates as PDF with one font. It is safe for concurrent use.
type Renderer struct {
	font *Font
	org  string
	loc  *time.Location
}

// NewRenderer returns a renderer that prints with font, names organisation as the issuer
// and prints dates in loc (UTC when nil). It checks now that the font can draw the
// organisation and every fixed label, so a wrong font fails at start-up rather than on a
// holder's download.
func NewRenderer(font *Font, organisation string, loc *time.Location) (*Renderer, error) {
	if font == nil {
		return nil, fmt.Errorf("cert: renderer needs a font")
	}
	organisation = strings.TrimSpace(organisation)
	if err := checkText("organisation", organisation, 128); err != nil {
		return nil, err
	}
	if err := font.Check(fontProbe + organisation); err != nil {
		return nil, err
	}
	// The PDF writer parses fonts itself, more narrowly than x/image does (it wants a
	// Windows Unicode character map, for one): let it try now.
	if _, err := newDoc(font, gopdf.PdfInfo{}); err != nil {
		return nil, err
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Renderer{font: font, org: organisation, loc: loc}, nil
}

// Render writes the certificate for p as a one-page A4 landscape PDF: the organisation,
// the title, the holder's name, the course with its version, the issue and expiry dates,
// the verification code, and a QR code linking to verifyURL, which is printed too.
//
// Every character is checked against the font before anything is drawn: one it lacks is a
// *MissingGlyphError naming it, never a gap in the printed name. A payload that fails
// Validate, a verify URL longer than 200 bytes, or text too long for the page is an
// EINVALID error, and nothing is written. A payload without a key id (not signed yet)
// renders as a preview. The output depends on nothing but the arguments (the PDF's
// creation date is the issue date), so a certificate always renders to the same bytes.
func (r *Renderer) Render(w io.Writer, p Payload, verifyURL string) error {
	if p.KeyID == "" {
		p.KeyID = strings.Repeat("0", 16)
	}
	if err := p.normalized().Validate(); err != nil {
		return err
	}
	if len(verifyURL) > maxVerifyURL {
		return safedesk.FieldError("verify_url", "The verify URL is longer than %d bytes.", maxVerifyURL)
	}
	if err := checkText("verify_url", verifyURL, maxVerifyURL); err != nil {
		return err
	}
	issued, expires := p.IssuedAt.In(r.loc).Format(time.DateOnly), p.ExpiresAt.In(r.loc).Format(time.DateOnly)
	for _, s := range []string{p.Holder, p.CourseTitle, p.CourseVersion, p.Code, verifyURL, issued, expires} {
		if err := r.font.Check(s); err != nil {
			return err
		}
	}
	png, err := qrPNG(verifyURL)
	if err != nil {
		return err
	}

	d, err := newDoc(r.font, gopdf.PdfInfo{
		Title:        lblTitleEN + " " + p.Code,
		Author:       r.org,
		Subject:      p.CourseTitle,
		Creator:      "SafeDesk",
		Producer:     "SafeDesk",
		CreationDate: p.IssuedAt, // not the time of rendering: the same certificate, the same bytes
	})
	if err != nil {
		return err
	}
	d.frame()
	if err := d.body(r.org, p); err != nil {
		return err
	}
	if err := d.footer(p.Code, issued, expires, verifyURL, png); err != nil {
		return err
	}
	if len(d.missing) > 0 {
		// The writer's own character map disagreed with the check above: refuse rather
		// than print a certificate with a gap.
		return &MissingGlyphError{Rune: d.missing[0], Text: string(d.missing), Font: r.font.Name, Path: r.font.Path}
	}
	var buf bytes.Buffer
	if _, err := d.pdf.WriteTo(&buf); err != nil {
		return fmt.Errorf("cert: writing PDF: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// doc is one certificate being drawn.
type doc struct {
	pdf     *gopdf.GoPdf
	missing []rune // characters the PDF writer could not map, despite the check
}

const family = "cert"

// newDoc starts a one-page document that draws with font.
func newDoc(font *Font, info gopdf.PdfInfo) (*doc, error) {
	d := &doc{pdf: &gopdf.GoPdf{}}
	d.pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	d.pdf.SetInfo(info)
	err := d.pdf.AddTTFFontDataWithOption(family, font.data, gopdf.TtfOption{
		OnGlyphNotFound: func(c rune) { d.missing = append(d.missing, c) },
		// Should the check ever be bypassed, a missing glyph shows as the font's "missing"
		// box rather than the writer's default, a silent space.
		OnGlyphNotFoundSubstitute: func(c rune) rune { return c },
	})
	if err != nil {
		return nil, fmt.Errorf("cert: the PDF writer cannot use font %s (%s): %w", font.Name, font.Path, err)
	}
	d.pdf.AddPage()
	return d, nil
}

// qrPNG returns a QR code for url at level M (15% of it may be damaged and it still
// scans) as a PNG with 10 pixels a module and the standard quiet zone, so it stays crisp
// however large it is printed.
func qrPNG(url string) ([]byte, error) {
	qr, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("cert: QR code: %w", err)
	}
	png, err := qr.PNG(-10)
	if err != nil {
		return nil, fmt.Errorf("cert: QR code: %w", err)
	}
	return png, nil
}
