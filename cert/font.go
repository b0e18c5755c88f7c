package cert

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// maxFontFile bounds a font file read into memory; the largest CJK fonts are about 30 MB.
const maxFontFile = 64 << 20

// ErrCFFFont is wrapped by the error for a font whose outlines are CFF (PostScript), such
// as Noto CJK or Source Han: the PDF writer embeds only TrueType (glyf) outlines.
var ErrCFFFont = errors.New("the font has CFF (PostScript) outlines, which the PDF writer cannot embed; " +
	"use a TrueType-outline CJK font such as WenQuanYi Micro Hei (Debian package fonts-wqy-microhei)")

// A Font is one TrueType face, checked and ready to embed in a certificate. It never
// changes once loaded and is safe for concurrent use.
type Font struct {
	Name string // family name from the font, for messages
	Path string // the file it came from
	Face int    // index of the face within a collection; 0 for a single font

	data []byte // the face as a standalone TrueType file
	sf   *sfnt.Font
}

// LoadFont reads a TrueType font (.ttf) or a collection (.ttc) and takes the first face
// with TrueType outlines and a Unicode character map. A font with only CFF outlines is an
// error wrapping ErrCFFFont.
func LoadFont(path string) (*Font, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cert: font: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFontFile+1))
	if err != nil {
		return nil, fmt.Errorf("cert: font %s: %w", path, err)
	}
	if len(data) > maxFontFile {
		return nil, fmt.Errorf("cert: font %s is larger than %d MB", path, maxFontFile>>20)
	}
	return ParseFont(data, path)
}

// ParseFont is LoadFont for a font already in memory; path only names it in messages.
func ParseFont(data []byte, path string) (*Font, error) {
	offs, err := faceOffsets(data)
	if err != nil {
		return nil, fmt.Errorf("cert: font %s: %w", path, err)
	}
	var problems []string
	cff := 0
	for i := range offs {
		f, err := parseFace(data, i, path)
		if err == nil {
			return f, nil
		}
		if errors.Is(err, ErrCFFFont) {
			cff++
		}
		problems = append(problems, fmt.Sprintf("face %d: %v", i, err))
	}
	if cff == len(offs) {
		return nil, fmt.Errorf("cert: font %s: %w", path, ErrCFFFont)
	}
	return nil, fmt.Errorf("cert: font %s has no usable face (%s)", path, strings.Join(problems, "; "))
}

// parseFace extracts face i and checks that the PDF writer can use it.
func parseFace(data []byte, i int, path string) (*Font, error) {
	face, err := ExtractFace(data, i)
	if err != nil {
		return nil, err
	}
	_, tables, err := readTableDirectory(face, 0)
	if err != nil {
		return nil, err
	}
	switch {
	case hasTable(tables, "glyf") && hasTable(tables, "loca"):
	case hasTable(tables, "CFF ") || hasTable(tables, "CFF2"):
		return nil, ErrCFFFont
	default:
		return nil, errors.New("the font has no outlines (a bitmap-only font)")
	}
	for _, tag := range []string{"cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post"} {
		if !hasTable(tables, tag) {
			return nil, fmt.Errorf("the font lacks its %q table", tag)
		}
	}
	sf, err := sfnt.Parse(face)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	name, err := sf.Name(&buf, sfnt.NameIDFamily)
	if err != nil || name == "" {
		name = filepath.Base(path)
	}
	f := &Font{Name: name, Path: path, Face: i, data: face, sf: sf}
	if !f.HasGlyph('A') && !f.HasGlyph('中') {
		return nil, errors.New("the font maps neither Latin nor Chinese characters")
	}
	return f, nil
}

// HasGlyph reports whether the font maps r to a glyph other than the "missing" one.
func (f *Font) HasGlyph(r rune) bool {
	var buf sfnt.Buffer
	g, err := f.sf.GlyphIndex(&buf, r)
	return err == nil && g != 0
}

// Check returns a *MissingGlyphError for the first character of s the font cannot draw.
func (f *Font) Check(s string) error {
	var buf sfnt.Buffer
	for _, r := range s {
		if g, err := f.sf.GlyphIndex(&buf, r); err != nil || g == 0 {
			return &MissingGlyphError{Rune: r, Text: s, Font: f.Name, Path: f.Path}
		}
	}
	return nil
}

// A MissingGlyphError says which character a font cannot draw. The certificate is not
// rendered rather than printed with a gap.
type MissingGlyphError struct {
	Rune rune   // the character
	Text string // the text it is part of
	Font string // the font's family name
	Path string // the font's file
}

func (e *MissingGlyphError) Error() string {
	return fmt.Sprintf("cert: font %s (%s) has no glyph for %q (%U) in %q; set SAFEDESK_CERT_FONT to a font that has it",
		e.Font, e.Path, e.Rune, e.Rune, e.Text)
}

// SystemFontPaths lists where CJK TrueType fonts are commonly installed on goos (a
// runtime.GOOS value), most suitable first. CFF fonts such as Noto CJK are listed so that
// FindFont can say why it passed them over.
func SystemFontPaths(goos string) []string {
	switch goos {
	case "darwin":
		return []string{
			"/System/Library/Fonts/PingFang.ttc",
			"/System/Library/Fonts/STHeiti Medium.ttc",
			"/System/Library/Fonts/STHeiti Light.ttc",
			"/System/Library/Fonts/Supplemental/Songti.ttc",
			"/Library/Fonts/Arial Unicode.ttf",
			"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
			"/System/Library/Fonts/Hiragino Sans GB.ttc",
		}
	case "windows":
		return []string{
			`C:\Windows\Fonts\msyh.ttc`,
			`C:\Windows\Fonts\msyh.ttf`,
			`C:\Windows\Fonts\simhei.ttf`,
			`C:\Windows\Fonts\Deng.ttf`,
			`C:\Windows\Fonts\simsun.ttc`,
			`C:\Windows\Fonts\simkai.ttf`,
		}
	}
	return []string{
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",           // Debian, Ubuntu
		"/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",           // Fedora, Alpine
		"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", // Arch
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
		"/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/arphic/uming.ttc",
		"/usr/share/fonts/truetype/arphic/ukai.ttc",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	}
}

// FindFont returns the first font of paths that loads and can draw every fixed label of
// the certificate, Chinese and English, and the digits and letters of dates and codes. Its
// error names each path it tried and why it failed, and how to fix that.
func FindFont(paths []string) (*Font, error) {
	var tried []string
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		f, err := LoadFont(p)
		if err == nil {
			err = f.Check(fontProbe)
		}
		if err == nil {
			return f, nil
		}
		tried = append(tried, err.Error())
	}
	msg := "cert: no usable CJK TrueType font found; install one (Debian: apt-get install fonts-wqy-microhei) or set SAFEDESK_CERT_FONT to a .ttf or .ttc file"
	if len(tried) > 0 {
		msg += "; tried: " + strings.Join(tried, "; ")
	}
	return nil, errors.New(msg)
}
