package cert

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	fontOnce   sync.Once
	sharedFont *Font
	fontErr    error
)

// testFont returns the CJK font the tests print with: SAFEDESK_CERT_FONT when set, else
// the first suitable one installed. Without one the test is skipped, saying what to
// install.
func testFont(t testing.TB) *Font {
	t.Helper()
	fontOnce.Do(func() {
		if p := os.Getenv("SAFEDESK_CERT_FONT"); p != "" {
			sharedFont, fontErr = LoadFont(p)
			return
		}
		sharedFont, fontErr = FindFont(SystemFontPaths(runtime.GOOS))
	})
	if fontErr != nil && os.Getenv("SAFEDESK_CERT_FONT") != "" {
		t.Skipf("SAFEDESK_CERT_FONT does not name a usable font: %v", fontErr)
	}
	if fontErr != nil {
		t.Skipf("no CJK TrueType font installed; install the Debian package fonts-wqy-microhei "+
			"(apt-get install -y fonts-wqy-microhei) or set SAFEDESK_CERT_FONT: %v", fontErr)
	}
	return sharedFont
}

func TestSystemFont(t *testing.T) {
	f := testFont(t)
	t.Logf("printing with %s, face %d of %s", f.Name, f.Face, f.Path)
	for _, r := range "培训合格证书张三0123456789ABCxyz-:/" {
		if !f.HasGlyph(r) {
			t.Errorf("%s has no glyph for %q", f.Name, r)
		}
	}
	if err := f.Check(fontProbe); err != nil {
		t.Error(err)
	}
}

func TestFontCheck(t *testing.T) {
	f := testFont(t)
	if err := f.Check("欧阳娜娜 John Smith 2026-03-01 7KQM-C2XH-9RTD"); err != nil {
		t.Fatal(err)
	}
	err := f.Check("张\U0010FFFD三")
	var mg *MissingGlyphError
	if !errors.As(err, &mg) {
		t.Fatalf("Check = %v, want a *MissingGlyphError", err)
	}
	if mg.Rune != '\U0010FFFD' || mg.Font != f.Name || mg.Path != f.Path {
		t.Errorf("MissingGlyphError = %+v", mg)
	}
	for _, want := range []string{"U+10FFFD", f.Name, f.Path, "SAFEDESK_CERT_FONT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestFindFont(t *testing.T) {
	dir := t.TempDir()
	cff := filepath.Join(dir, "cff.otf")
	os.WriteFile(cff, buildTTC(sfntCFF, true, []table{{"CFF ", []byte("x")}}), 0o644)
	junk := filepath.Join(dir, "junk.ttf")
	os.WriteFile(junk, []byte("not a font at all"), 0o644)

	_, err := FindFont([]string{filepath.Join(dir, "missing.ttc"), cff, junk})
	if err == nil {
		t.Fatal("FindFont found a font among none")
	}
	for _, want := range []string{"fonts-wqy-microhei", "SAFEDESK_CERT_FONT", "cff.otf", "CFF", "junk.ttf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("FindFont error %q lacks %q", err, want)
		}
	}
	if _, err := FindFont(nil); err == nil || !strings.Contains(err.Error(), "fonts-wqy-microhei") {
		t.Errorf("FindFont(nil) = %v", err)
	}

	real := testFont(t)
	f, err := FindFont([]string{cff, junk, real.Path})
	if err != nil {
		t.Fatal(err)
	}
	if f.Path != real.Path {
		t.Errorf("FindFont chose %s, want %s", f.Path, real.Path)
	}
}

func TestFindFontNeedsBothScripts(t *testing.T) {
	// A certificate font must draw Chinese and Latin alike (DroidSansFallback, for one,
	// lacks Latin digits), so FindFont passes over a font that draws only one of them.
	ttf := systemTTF(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "latin-only.ttf")
	os.WriteFile(path, ttf, 0o644)
	f, err := LoadFont(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.HasGlyph('证') {
		t.Skip("the only TrueType font installed has Chinese glyphs; nothing to pass over")
	}
	if _, err := FindFont([]string{path}); err == nil || !strings.Contains(err.Error(), "no glyph for") {
		t.Errorf("FindFont accepted a font without Chinese: %v", err)
	}
}

func TestLoadFontErrors(t *testing.T) {
	if _, err := LoadFont(filepath.Join(t.TempDir(), "nope.ttf")); err == nil {
		t.Error("LoadFont of a missing file succeeded")
	}
	if _, err := ParseFont([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x00"), "empty.ttc"); err == nil || !strings.Contains(err.Error(), "empty.ttc") {
		t.Errorf("ParseFont of an empty collection = %v", err)
	}
}

func TestSystemFontPaths(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows", "freebsd"} {
		paths := SystemFontPaths(goos)
		if len(paths) == 0 {
			t.Errorf("no font paths for %s", goos)
		}
		for _, p := range paths {
			if !strings.HasSuffix(p, ".ttc") && !strings.HasSuffix(p, ".ttf") {
				t.Errorf("%s: %s is neither .ttf nor .ttc", goos, p)
			}
		}
	}
}
