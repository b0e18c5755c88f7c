package cert

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// A table of a synthetic font.
type table struct {
	tag  string
	data []byte
}

// buildTTC returns a collection whose faces list the given tables. Tables that are the
// same (tag and bytes) are stored once and shared, as real collections share glyphs. With
// one face and plain set, it returns a single font instead.
func buildTTC(version uint32, plain bool, faces ...[]table) []byte {
	var out []byte
	header := 0
	if !plain {
		header = 12 + 4*len(faces)
	}
	dirs := 0
	for _, f := range faces {
		dirs += 12 + 16*len(f)
	}
	out = make([]byte, header+dirs)
	if !plain {
		copy(out, "ttcf")
		binary.BigEndian.PutUint16(out[4:], 1)
		binary.BigEndian.PutUint32(out[8:], uint32(len(faces)))
	}
	stored := map[string]uint32{}
	at := header
	for i, f := range faces {
		if !plain {
			binary.BigEndian.PutUint32(out[12+4*i:], uint32(at))
		}
		binary.BigEndian.PutUint32(out[at:], version)
		binary.BigEndian.PutUint16(out[at+4:], uint16(len(f)))
		for j, t := range f {
			key := t.tag + string(t.data)
			off, ok := stored[key]
			if !ok {
				for len(out)%4 != 0 {
					out = append(out, 0)
				}
				off = uint32(len(out))
				out = append(out, t.data...)
				stored[key] = off
			}
			r := out[at+12+16*j:]
			copy(r, t.tag)
			binary.BigEndian.PutUint32(r[4:], checksum(t.data))
			binary.BigEndian.PutUint32(r[8:], off)
			binary.BigEndian.PutUint32(r[12:], uint32(len(t.data)))
		}
		at += 12 + 16*len(f)
	}
	return out
}

// tablesOf reads a single font's tables, in directory order.
func tablesOf(t testing.TB, font []byte) []table {
	t.Helper()
	_, recs, err := readTableDirectory(font, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []table
	for _, r := range recs {
		out = append(out, table{r.tag, font[r.offset : r.offset+r.length]})
	}
	return out
}

// checkStandalone verifies the shape ExtractFace promises: a sorted directory whose
// entries' checksums hold, 4-byte-aligned tables, and a whole-file checksum of 0xB1B0AFBA
// when there is a head table.
func checkStandalone(t testing.TB, font []byte) {
	t.Helper()
	_, recs, err := readTableDirectory(font, 0)
	if err != nil {
		t.Fatalf("extracted face does not read back: %v", err)
	}
	n := len(recs)
	if sr := binary.BigEndian.Uint16(font[6:]); int(sr) > 16*n || 2*int(sr) <= 16*n {
		t.Errorf("searchRange %d for %d tables", sr, n)
	}
	for i, r := range recs {
		if i > 0 && recs[i-1].tag >= r.tag {
			t.Errorf("tables not sorted: %q before %q", recs[i-1].tag, r.tag)
		}
		if r.offset%4 != 0 {
			t.Errorf("table %q at unaligned offset %d", r.tag, r.offset)
		}
		data := bytes.Clone(font[r.offset : r.offset+r.length])
		if r.tag == "head" && len(data) >= 12 {
			clear(data[8:12])
		}
		if want := binary.BigEndian.Uint32(font[12+16*i+4:]); checksum(data) != want {
			t.Errorf("table %q checksum %08x, directory says %08x", r.tag, checksum(data), want)
		}
	}
	if i := slices.IndexFunc(recs, func(r tableRecord) bool { return r.tag == "head" }); i >= 0 && recs[i].length >= 12 && checksum(font) != 0xB1B0AFBA {
		t.Errorf("file checksum %08x, want B1B0AFBA", checksum(font))
	}
}

func TestExtractFaceSynthetic(t *testing.T) {
	head := make([]byte, 54)
	copy(head, []byte{0, 1, 0, 0})
	shared := []table{{"head", head}, {"glyf", []byte("shared glyphs")}, {"cmap", []byte("map")}}
	faceB := append([]table{{"zzzz", []byte("only in B")}}, shared...)
	ttc := buildTTC(sfntTrueType, false, shared, faceB)

	a, err := ExtractFace(ttc, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ExtractFace(ttc, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkStandalone(t, a)
	checkStandalone(t, b)
	if got := len(tablesOf(t, a)); got != 3 {
		t.Errorf("face 0 has %d tables, want 3", got)
	}
	if !bytes.Contains(b, []byte("only in B")) || bytes.Contains(a, []byte("only in B")) {
		t.Error("faces got each other's tables")
	}
	for _, tb := range tablesOf(t, b) {
		if tb.tag == "glyf" && string(tb.data) != "shared glyphs" {
			t.Errorf("glyf = %q", tb.data)
		}
	}
	// A single font comes out as itself, re-laid.
	again, err := ExtractFace(a, 0)
	if err != nil || !bytes.Equal(again, a) {
		t.Errorf("extracting a standalone font changed it: %v", err)
	}
	if _, err := ExtractFace(a, 1); err == nil {
		t.Error("face 1 of a single font")
	}
}

func TestExtractFaceRejects(t *testing.T) {
	good := buildTTC(sfntTrueType, false, []table{{"glyf", []byte("abcd")}})
	patch := func(b []byte, at int, v uint32) []byte {
		b = bytes.Clone(b)
		binary.BigEndian.PutUint32(b[at:], v)
		return b
	}
	patch16 := func(b []byte, at int, v uint16) []byte {
		b = bytes.Clone(b)
		binary.BigEndian.PutUint16(b[at:], v)
		return b
	}
	dir := 16 // the face's table directory in good
	rec := dir + 12
	// Two hundred tables that all claim the same 4 KB: extracting them would copy 800 KB
	// out of a 7 KB file.
	const nAmp, ampLen = 200, 4096
	amplified := make([]byte, 12+16*nAmp+ampLen)
	binary.BigEndian.PutUint32(amplified, sfntTrueType)
	binary.BigEndian.PutUint16(amplified[4:], nAmp)
	for i := range nAmp {
		r := amplified[12+16*i:]
		copy(r, []byte{'t', byte('0' + i/100), byte('0' + i/10%10), byte('0' + i%10)})
		binary.BigEndian.PutUint32(r[8:], 12+16*nAmp)
		binary.BigEndian.PutUint32(r[12:], ampLen)
	}
	tests := []struct {
		name  string
		data  []byte
		index int
		want  string
	}{
		{"empty", nil, 0, "too short"},
		{"too short", []byte("ttcf"), 0, "too short"},
		{"TTC version 3", patch16(good, 4, 3), 0, "TTC version"},
		{"no faces", patch(good, 8, 0), 0, "claims 0 faces"},
		{"too many faces", patch(good, 8, 100000), 0, "claims 100000 faces"},
		{"header past the end", patch(good, 8, 200)[:40], 0, "past the end"},
		{"face past the end", patch(good, 12, 1<<30), 0, "past the end"},
		{"unknown version", patch(good, dir, 0x12345678), 0, "unknown sfnt version"},
		{"Type 1 font", patch(good, dir, 0x74797031), 0, "unknown sfnt version"},
		{"no tables", patch16(good, dir+4, 0), 0, "claims 0 tables"},
		{"too many tables", patch16(good, dir+4, 1000), 0, "claims 1000 tables"},
		{"directory past the end", patch16(good, dir+4, 200), 0, "past the end"},
		{"table past the end", patch(good, rec+12, 1<<20), 0, "runs past the end"},
		{"offset wraps around", patch(patch(good, rec+8, 0xFFFFFFF0), rec+12, 0x20), 0, "runs past the end"},
		{"repeated tag", buildTTC(sfntTrueType, false, []table{{"glyf", []byte("a")}, {"glyf", []byte("b")}}), 0, "appears twice"},
		{"overlapping tables", amplified, 0, "more than the file"},
		{"negative index", good, -1, "no face -1"},
		{"index past the faces", good, 1, "no face 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ExtractFace(tt.data, tt.index)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ExtractFace = %d bytes, %v; want an error about %q", len(out), err, tt.want)
			}
		})
	}
}

// systemTTF returns a TrueType font installed on this machine, or skips.
func systemTTF(t testing.TB) []byte {
	t.Helper()
	candidates := []string{
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/System/Library/Fonts/Supplemental/Arial.ttf",
		`C:\Windows\Fonts\arial.ttf`,
	}
	globbed, _ := filepath.Glob("/usr/share/fonts/truetype/*/*.ttf")
	for _, p := range append(candidates, globbed...) {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		face, err := ExtractFace(data, 0) // a .ttc yields its first face
		if err == nil {
			return face
		}
	}
	t.Skip("no TrueType font installed; install fonts-wqy-microhei (Debian) to run this test")
	return nil
}

func TestExtractFaceFromRealFont(t *testing.T) {
	ttf := systemTTF(t)
	orig, err := sfnt.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	tables := tablesOf(t, ttf)
	withExtra := append([]table{{"zzzz", []byte("second face")}}, tables...)
	ttc := buildTTC(sfntTrueType, false, tables, withExtra)

	for i := range 2 {
		face, err := ExtractFace(ttc, i)
		if err != nil {
			t.Fatalf("face %d: %v", i, err)
		}
		checkStandalone(t, face)
		f, err := sfnt.Parse(face)
		if err != nil {
			t.Fatalf("face %d does not parse: %v", i, err)
		}
		if f.NumGlyphs() != orig.NumGlyphs() {
			t.Errorf("face %d has %d glyphs, want %d", i, f.NumGlyphs(), orig.NumGlyphs())
		}
		var b1, b2 sfnt.Buffer
		for _, r := range "AZaz09.,中文" {
			g1, _ := orig.GlyphIndex(&b1, r)
			g2, _ := f.GlyphIndex(&b2, r)
			if g1 != g2 {
				t.Errorf("face %d maps %q to glyph %d, the original to %d", i, r, g2, g1)
			}
		}
		got := map[string][]byte{}
		for _, tb := range tablesOf(t, face) {
			got[tb.tag] = tb.data
		}
		for _, tb := range tables {
			if tb.tag != "head" && !bytes.Equal(got[tb.tag], tb.data) {
				t.Errorf("face %d: table %q changed", i, tb.tag)
			}
		}
	}
	// The parser behind the PDF writer takes the font straight from a collection.
	f, err := ParseFont(ttc, "synthetic.ttc")
	if err != nil {
		t.Fatal(err)
	}
	if f.Face != 0 || !f.HasGlyph('A') {
		t.Errorf("ParseFont chose face %d", f.Face)
	}
}

func TestExtractFaceSystemTTC(t *testing.T) {
	const path = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s missing: apt-get install fonts-wqy-microhei to run this test", path)
	}
	// x/image cannot read this collection as it is (its tables are not 4-byte aligned, so
	// it reports "invalid table offset"); the extracted faces it reads fine.
	if _, err := sfnt.ParseCollection(data); err == nil {
		t.Log("x/image now reads the collection directly")
	}
	families := []string{"WenQuanYi Micro Hei", "WenQuanYi Micro Hei Mono"}
	for i, family := range families {
		face, err := ExtractFace(data, i)
		if err != nil {
			t.Fatalf("face %d: %v", i, err)
		}
		checkStandalone(t, face)
		f, err := sfnt.Parse(face)
		if err != nil {
			t.Fatalf("face %d does not parse: %v", i, err)
		}
		var buf sfnt.Buffer
		if name, err := f.Name(&buf, sfnt.NameIDFamily); err != nil || name != family {
			t.Errorf("face %d is %q (%v), want %q", i, name, err, family)
		}
		for _, r := range "证书张三欧阳娜娜0123456789ABCabc" {
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("face %d has no glyph for %q", i, r)
			}
		}
	}
	if _, err := ExtractFace(data, len(families)); err == nil {
		t.Errorf("face %d of a two-face collection", len(families))
	}
}

func TestParseFontRejectsCFF(t *testing.T) {
	cff := buildTTC(sfntCFF, true, []table{{"CFF ", []byte("outlines")}, {"cmap", []byte("x")}})
	_, err := ParseFont(cff, "fake.otf")
	if !errors.Is(err, ErrCFFFont) || !strings.Contains(err.Error(), "fake.otf") || !strings.Contains(err.Error(), "fonts-wqy-microhei") {
		t.Errorf("ParseFont(CFF) = %v", err)
	}
	ttc := buildTTC(sfntCFF, false, []table{{"CFF ", []byte("a")}}, []table{{"CFF2", []byte("b")}})
	if _, err := ParseFont(ttc, "fake.ttc"); !errors.Is(err, ErrCFFFont) {
		t.Errorf("ParseFont(CFF collection) = %v", err)
	}
	bitmap := buildTTC(sfntTrueType, true, []table{{"EBDT", []byte("bits")}})
	if _, err := ParseFont(bitmap, "bitmap.ttf"); err == nil || !strings.Contains(err.Error(), "no outlines") {
		t.Errorf("ParseFont(bitmap only) = %v", err)
	}
	const noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
	if _, err := os.Stat(noto); err == nil {
		if _, err := LoadFont(noto); !errors.Is(err, ErrCFFFont) {
			t.Errorf("LoadFont(%s) = %v, want ErrCFFFont", noto, err)
		}
	}
}

func FuzzExtractFace(f *testing.F) {
	head := make([]byte, 54)
	f.Add(buildTTC(sfntTrueType, false, []table{{"head", head}, {"glyf", []byte("g")}}, []table{{"glyf", []byte("g")}}), 1)
	f.Add(buildTTC(sfntTrueType, true, []table{{"head", head}, {"loca", []byte("l")}}), 0)
	f.Add(buildTTC(sfntCFF, true, []table{{"CFF ", []byte("c")}}), 0)
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), 0)
	f.Fuzz(func(t *testing.T, data []byte, index int) {
		out, err := ExtractFace(data, index)
		if err != nil {
			return
		}
		if len(out) > 12+16*maxTables+len(data)+8*maxTables {
			t.Fatalf("%d bytes in, %d bytes out", len(data), len(out))
		}
		checkStandalone(t, out)
		again, err := ExtractFace(out, 0)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("re-extracting the output changed it: %v", err)
		}
		// Whatever the bytes, building a Font from them must fail cleanly or work.
		if f, err := ParseFont(data, "fuzz"); err == nil {
			f.Check("A中")
		}
	})
}
