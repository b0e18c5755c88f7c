package cert

import (
	"bytes"
	"errors"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signintech/gopdf"

	"safedesk"
)

var sampleDir = flag.String("sample", "", "write sample certificates (PDF, and PNG when pdftoppm is installed) into this directory")

var cst = time.FixedZone("CST", 8*3600)

const testVerifyURL = "https://safedesk.example.com/verify/7KQM-C2XH-9RTD"

func testRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := NewRenderer(testFont(t), "星辰电商客户服务中心 Starlight Commerce", cst)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// render signs p with a test key and renders it.
func render(t testing.TB, r *Renderer, p Payload) []byte {
	t.Helper()
	s, err := Sign(p, testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Render(&buf, s.Payload, testVerifyURL); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output does not start like a PDF: %q", buf.Bytes()[:min(buf.Len(), 16)])
	}
	return buf.Bytes()
}

// tool returns the path of a poppler or zbar command, or skips naming its package.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed: apt-get install -y %s to run this test", name, pkg)
	}
	return p
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText extracts the text of a PDF with pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := tool(t, "pdftotext", "poppler-utils")
	out, err := exec.Command(bin, "-enc", "UTF-8", writeTemp(t, "c.pdf", pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestRenderChinese(t *testing.T) {
	r := testRenderer(t)
	p := testPayload()
	p.Holder = "欧阳娜娜"
	p.CourseTitle = "电商客服信息安全与反诈骗"
	// 20:00 UTC on 28 February is 1 March in China, where this installation prints dates.
	p.IssuedAt = time.Date(2026, 2, 28, 20, 0, 0, 0, time.UTC)
	p.ExpiresAt = time.Date(2027, 2, 28, 20, 0, 0, 0, time.UTC)
	pdf := render(t, r, p)
	if len(pdf) > 100<<10 {
		t.Errorf("PDF is %d KB; the font should be embedded as a subset", len(pdf)>>10)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"欧阳娜娜", "电商客服信息安全与反诈骗", "版本 Version 2.1", "培训合格证书", "CERTIFICATE OF COMPLETION",
		"星辰电商客户服务中心 Starlight Commerce", "2026-03-01", "2027-03-01", p.Code, testVerifyURL,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

func TestRenderEnglish(t *testing.T) {
	r := testRenderer(t)
	p := testPayload()
	p.Holder, p.HolderLang = "Jane Q. O'Neill-Smith", "en"
	p.CourseTitle = "Security for E-commerce Customer Service"
	text := pdfText(t, render(t, r, p))
	for _, want := range []string{p.Holder, p.CourseTitle} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

func TestRenderLongTextWraps(t *testing.T) {
	r := testRenderer(t)
	p := testPayload()
	p.Holder = "Maximilian Alexander Montgomery-Fitzwilliam de la Cruz y Villanueva of the Royal Borough"
	p.CourseTitle = "Information Security, Privacy Protection (PIPL, GDPR) and Anti-Fraud Practice for " +
		"E-commerce Customer Service Agents: Advanced Certification Programme"
	text := strings.Join(strings.Fields(pdfText(t, render(t, r, p))), " ")
	for _, want := range []string{p.Holder, p.CourseTitle} {
		if !strings.Contains(text, want) {
			t.Errorf("wrapped text lacks %q:\n%s", want, text)
		}
	}
}

func TestRenderLongestLayout(t *testing.T) {
	// Three lines of name and three of course title at the largest size that wraps: the
	// tallest body there is still fits above the footer.
	r := testRenderer(t)
	p := testPayload()
	p.Holder = strings.TrimSpace(strings.Repeat("Wolfeschlegel Steinhausen ", 4))
	p.CourseTitle = strings.Repeat("电商客服信息安全与隐私保护、反欺诈实务", 7)
	text := strings.Join(strings.Fields(pdfText(t, render(t, r, p))), "")
	for _, want := range []string{p.Holder, p.CourseTitle} {
		if !strings.Contains(text, strings.ReplaceAll(want, " ", "")) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestRenderQRCode(t *testing.T) {
	bin := tool(t, "pdfimages", "poppler-utils")
	pdf := render(t, testRenderer(t), testPayload())
	dir := t.TempDir()
	if out, err := exec.Command(bin, "-png", writeTemp(t, "c.pdf", pdf), filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if len(files) != 1 {
		t.Fatalf("the PDF holds %d images, want the QR code alone", len(files))
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeQR(img)
	if err != nil || got != testVerifyURL {
		t.Errorf("the QR code in the PDF reads %q, %v; want %q", got, err, testVerifyURL)
	}
}

func TestRenderQRCodeScans(t *testing.T) {
	// The embedded image decodes (TestRenderQRCode); this checks the printed page scans,
	// with a real scanner over the rasterised page.
	zbar := tool(t, "zbarimg", "zbar-tools")
	ppm := tool(t, "pdftoppm", "poppler-utils")
	pdf := render(t, testRenderer(t), testPayload())
	dir := t.TempDir()
	if out, err := exec.Command(ppm, "-png", "-r", "150", writeTemp(t, "c.pdf", pdf), filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", pages[0]).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code on the page: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != testVerifyURL {
		t.Errorf("the printed QR code scans as %q, want %q", got, testVerifyURL)
	}
}

func TestRenderMissingGlyph(t *testing.T) {
	r := testRenderer(t)
	holders := []string{"张\U0010FFFD"}
	if !r.font.HasGlyph('😀') {
		holders = append(holders, "😀 Smith")
	}
	for _, h := range holders {
		p := testPayload()
		p.Holder = h
		s, _ := Sign(p, testKey(1))
		var buf bytes.Buffer
		err := r.Render(&buf, s.Payload, testVerifyURL)
		var mg *MissingGlyphError
		if !errors.As(err, &mg) || !strings.ContainsRune(h, mg.Rune) {
			t.Errorf("Render(%q) = %v, want a *MissingGlyphError naming the character", h, err)
		}
		if buf.Len() != 0 {
			t.Errorf("Render(%q) wrote %d bytes despite the missing glyph", h, buf.Len())
		}
	}
}

func TestRenderRejects(t *testing.T) {
	r := testRenderer(t)
	tests := []struct {
		name  string
		edit  func(*Payload)
		url   string
		field string
	}{
		{"invalid payload", func(p *Payload) { p.Holder = "" }, testVerifyURL, "holder"},
		{"no verify URL", func(*Payload) {}, "", "verify_url"},
		{"verify URL too long", func(*Payload) {}, "https://x/" + strings.Repeat("a", maxVerifyURL), "verify_url"},
		{"name too long to print", func(p *Payload) { p.Holder = strings.Repeat("龘", 128) }, testVerifyURL, "holder"},
		{"course title too long to print", func(p *Payload) { p.CourseTitle = strings.Repeat("电商客服信息安全", 32) }, testVerifyURL, "course_title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPayload()
			tt.edit(&p)
			var buf bytes.Buffer
			err := r.Render(&buf, p, tt.url)
			var e *safedesk.Error
			if !errors.As(err, &e) || e.Code != safedesk.EINVALID || e.Field != tt.field {
				t.Errorf("Render = %v, want EINVALID on %s", err, tt.field)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes on error", buf.Len())
			}
		})
	}
}

func TestRenderLongestVerifyURL(t *testing.T) {
	url := "https://safedesk.example.com/verify/7KQM-C2XH-9RTD?"
	url += strings.Repeat("x", maxVerifyURL-len(url))
	var buf bytes.Buffer
	if err := testRenderer(t).Render(&buf, testPayload(), url); err != nil {
		t.Fatalf("a %d-byte verify URL: %v", len(url), err)
	}
	if text := strings.Join(strings.Fields(pdfText(t, buf.Bytes())), ""); !strings.Contains(text, url) {
		t.Errorf("the PDF does not print the URL in full:\n%s", text)
	}
}

func TestRenderUnsignedPreview(t *testing.T) {
	p := testPayload()
	p.KeyID = ""
	var buf bytes.Buffer
	if err := testRenderer(t).Render(&buf, p, testVerifyURL); err != nil {
		t.Errorf("an unsigned preview does not render: %v", err)
	}
}

func TestRenderConcurrently(t *testing.T) {
	r := testRenderer(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			p := testPayload()
			p.Holder = []string{"张三", "李四", "王五", "赵六"}[i]
			s, _ := Sign(p, testKey(1))
			var buf bytes.Buffer
			if err := r.Render(&buf, s.Payload, testVerifyURL); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestNewRenderer(t *testing.T) {
	f := testFont(t)
	if _, err := NewRenderer(nil, "Org", nil); err == nil {
		t.Error("a renderer without a font")
	}
	if _, err := NewRenderer(f, "  ", nil); safedesk.ErrorCode(err) != safedesk.EINVALID {
		t.Errorf("a renderer without an organisation: %v", err)
	}
	var mg *MissingGlyphError
	if _, err := NewRenderer(f, "Org \U0010FFFD", nil); !errors.As(err, &mg) {
		t.Errorf("an organisation the font cannot print: %v", err)
	}
	r, err := NewRenderer(f, " Org ", nil)
	if err != nil || r.org != "Org" || r.loc != time.UTC {
		t.Errorf("NewRenderer = %+v, %v", r, err)
	}
}

// TestRenderSample writes sample certificates for people to look at:
//
//	go test ./cert -run TestRenderSample -sample /tmp/cert-sample
func TestRenderSample(t *testing.T) {
	if *sampleDir == "" {
		t.Skip("no -sample directory given")
	}
	r := testRenderer(t)
	samples := map[string]func(*Payload){
		"zh": func(p *Payload) { p.Holder, p.CourseTitle = "欧阳娜娜", "电商客服信息安全与反诈骗" },
		"long": func(p *Payload) {
			p.Holder = strings.TrimSpace(strings.Repeat("Wolfeschlegel Steinhausen ", 4))
			p.CourseTitle = strings.Repeat("电商客服信息安全与隐私保护、反欺诈实务", 7)
		},
		"en": func(p *Payload) {
			p.Holder, p.HolderLang, p.CourseTitle = "Jane O'Neill", "en", "Security for E-commerce Customer Service"
		},
	}
	ppm, _ := exec.LookPath("pdftoppm")
	for name, edit := range samples {
		p := testPayload()
		edit(&p)
		path := filepath.Join(*sampleDir, "certificate-"+name+".pdf")
		if err := os.WriteFile(path, render(t, r, p), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		if ppm != "" {
			if out, err := exec.Command(ppm, "-png", "-r", "60", "-singlefile", path, strings.TrimSuffix(path, ".pdf")).CombinedOutput(); err != nil {
				t.Errorf("pdftoppm: %v %s", err, out)
			}
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r := testRenderer(b)
	s, err := Sign(testPayload(), testKey(1))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.Render(&buf, s.Payload, testVerifyURL); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
}

func TestWrapKeepsPunctuationOffLineStarts(t *testing.T) {
	r := testRenderer(t)
	d, err := newDoc(r.font, gopdf.PdfInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.pdf.SetFont(family, "", 12); err != nil {
		t.Fatal(err)
	}
	w, _ := d.pdf.MeasureTextWidth("一二三四")
	lines, err := d.wrap("一二三四、五六七八。九十", w+1)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines[1:] {
		if strings.ContainsRune(noLineStart, []rune(l)[0]) {
			t.Errorf("a line starts with punctuation: %q", lines)
		}
	}
	if got := strings.Join(lines, ""); got != "一二三四、五六七八。九十" {
		t.Errorf("wrapping lost text: %q", lines)
	}
}

func TestRenderDeterministic(t *testing.T) {
	r := testRenderer(t)
	a := render(t, r, testPayload())
	b := render(t, r, testPayload())
	if !bytes.Equal(a, b) {
		t.Error("the same certificate renders to different bytes")
	}
}
