package cert

// A small QR decoder for tests: it reads a clean, axis-aligned symbol such as the image the
// renderer embeds (no skew, no noise), checks every error-correction codeword by
// recomputing it, and decodes numeric, alphanumeric and byte segments. It covers versions
// 1–10 at level M, which holds any URL the renderer accepts. It exists so the QR code can
// be decoded in CI without a native scanner or a heavy dependency; it is not a scanner.

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"testing"
)

// qrBlocks gives, per version at level M, the error-correction codewords per block and
// the groups of blocks as (count, data codewords) pairs (ISO/IEC 18004, table 9).
var qrBlocks = [11]struct {
	ec     int
	groups [][2]int
}{
	1: {10, [][2]int{{1, 16}}}, 2: {16, [][2]int{{1, 28}}}, 3: {26, [][2]int{{1, 44}}},
	4: {18, [][2]int{{2, 32}}}, 5: {24, [][2]int{{2, 43}}}, 6: {16, [][2]int{{4, 27}}},
	7: {18, [][2]int{{4, 31}}}, 8: {22, [][2]int{{2, 38}, {2, 39}}},
	9: {22, [][2]int{{3, 36}, {2, 37}}}, 10: {26, [][2]int{{4, 43}, {1, 44}}},
}

// qrAlign gives the alignment pattern centres per version.
var qrAlign = [11][]int{2: {6, 18}, 3: {6, 22}, 4: {6, 26}, 5: {6, 30}, 6: {6, 34},
	7: {6, 22, 38}, 8: {6, 24, 42}, 9: {6, 26, 46}, 10: {6, 28, 50}}

// decodeQR reads the symbol in img, which has a light quiet zone around it.
func decodeQR(img image.Image) (string, error) {
	dark := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r+g+b < 3*0x8000
	}
	bnd := img.Bounds()
	// The finder pattern's corner is the first dark pixel on the diagonal; the quiet zone
	// before it is four modules wide.
	edge := -1
	for i := 0; i < bnd.Dx() && i < bnd.Dy(); i++ {
		if dark(bnd.Min.X+i, bnd.Min.Y+i) {
			edge = i
			break
		}
	}
	if edge <= 0 || edge%4 != 0 {
		return "", errors.New("no quiet zone and finder pattern")
	}
	scale := edge / 4
	size := bnd.Dx()/scale - 8
	version := (size - 17) / 4
	if size != 17+4*version || version < 1 || version > 10 {
		return "", fmt.Errorf("symbol of %d modules is not a version 1–10 QR code", size)
	}
	m := make([][]bool, size)
	for y := range m {
		m[y] = make([]bool, size)
		for x := range m[y] {
			m[y][x] = dark(bnd.Min.X+(x+4)*scale+scale/2, bnd.Min.Y+(y+4)*scale+scale/2)
		}
	}

	// Format information, first copy: level (2 bits), mask (3 bits), BCH code.
	var format int
	for i := 0; i < 15; i++ {
		var x, y int
		switch {
		case i <= 5:
			x, y = 8, i
		case i == 6:
			x, y = 8, 7
		case i == 7:
			x, y = 8, 8
		case i == 8:
			x, y = 7, 8
		default:
			x, y = 14-i, 8
		}
		if m[y][x] {
			format |= 1 << i
		}
	}
	format ^= 0x5412
	if format>>13 != 0 {
		return "", fmt.Errorf("error-correction level %d, want M", format>>13)
	}
	if qrBCH(format>>10) != format {
		return "", fmt.Errorf("format information %015b fails its check", format)
	}
	mask := format >> 10 & 7

	function := qrFunctionModules(size, version)
	var bits []bool
	for right := size - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := 0; vert < size; vert++ {
			for j := 0; j < 2; j++ {
				x := right - j
				y := vert
				if (right+1)&2 == 0 {
					y = size - 1 - vert
				}
				if !function[y][x] {
					bits = append(bits, m[y][x] != qrMask(mask, x, y))
				}
			}
		}
	}
	codewords := make([]byte, len(bits)/8)
	for i := range codewords {
		for j := 0; j < 8; j++ {
			if bits[8*i+j] {
				codewords[i] |= 0x80 >> j
			}
		}
	}
	data, err := qrDeinterleave(codewords, version)
	if err != nil {
		return "", err
	}
	return qrSegments(data, version)
}

// qrBCH returns the 15-bit format information for 5 data bits, before masking.
func qrBCH(data int) int {
	rem := data
	for i := 0; i < 10; i++ {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	return data<<10 | rem
}

func qrMask(mask, x, y int) bool {
	switch mask {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (x/3+y/2)%2 == 0
	case 5:
		return x*y%2+x*y%3 == 0
	case 6:
		return (x*y%2+x*y%3)%2 == 0
	}
	return ((x+y)%2+x*y%3)%2 == 0
}

// qrFunctionModules marks the modules that carry no data.
func qrFunctionModules(size, version int) [][]bool {
	f := make([][]bool, size)
	for y := range f {
		f[y] = make([]bool, size)
	}
	rect := func(x0, y0, w, h int) {
		for y := y0; y < y0+h; y++ {
			for x := x0; x < x0+w; x++ {
				if x >= 0 && y >= 0 && x < size && y < size {
					f[y][x] = true
				}
			}
		}
	}
	rect(0, 0, 9, 9)      // finder, separator, format
	rect(size-8, 0, 8, 9) // finder, separator, format
	rect(0, size-8, 9, 8) // finder, separator, format, dark module
	rect(6, 0, 1, size)   // timing
	rect(0, 6, size, 1)   // timing
	al := qrAlign[version]
	for i, cy := range al {
		for j, cx := range al {
			if i == 0 && j == 0 || i == 0 && j == len(al)-1 || i == len(al)-1 && j == 0 {
				continue
			}
			rect(cx-2, cy-2, 5, 5)
		}
	}
	if version >= 7 {
		rect(size-11, 0, 3, 6) // version information
		rect(0, size-11, 6, 3)
	}
	return f
}

// qrDeinterleave splits the codewords into blocks, checks each block's error correction,
// and returns the data codewords in order.
func qrDeinterleave(cw []byte, version int) ([]byte, error) {
	spec := qrBlocks[version]
	var lens []int
	for _, g := range spec.groups {
		for range g[0] {
			lens = append(lens, g[1])
		}
	}
	blocks := make([][]byte, len(lens))
	i := 0
	for k := 0; k < lens[len(lens)-1]; k++ {
		for b, n := range lens {
			if k < n {
				blocks[b] = append(blocks[b], cw[i])
				i++
			}
		}
	}
	ecs := make([][]byte, len(lens))
	for k := 0; k < spec.ec; k++ {
		for b := range lens {
			ecs[b] = append(ecs[b], cw[i])
			i++
		}
	}
	var data []byte
	for b := range blocks {
		if want := qrReedSolomon(blocks[b], spec.ec); string(want) != string(ecs[b]) {
			return nil, fmt.Errorf("block %d fails its error-correction check", b)
		}
		data = append(data, blocks[b]...)
	}
	return data, nil
}

// qrReedSolomon returns the n error-correction codewords of data over GF(256) with the
// QR polynomial 0x11D.
func qrReedSolomon(data []byte, n int) []byte {
	mul := func(x, y byte) byte {
		var z byte
		for i := 7; i >= 0; i-- {
			z = z<<1 ^ (z>>7)*0x1D
			z ^= (y >> i & 1) * x
		}
		return z
	}
	div := make([]byte, n)
	div[n-1] = 1
	root := byte(1)
	for range n {
		for j := 0; j < n; j++ {
			div[j] = mul(div[j], root)
			if j+1 < n {
				div[j] ^= div[j+1]
			}
		}
		root = mul(root, 2)
	}
	rem := make([]byte, n)
	for _, b := range data {
		factor := b ^ rem[0]
		copy(rem, rem[1:])
		rem[n-1] = 0
		for j := range rem {
			rem[j] ^= mul(div[j], factor)
		}
	}
	return rem
}

// qrSegments decodes the data bit stream.
func qrSegments(data []byte, version int) (string, error) {
	pos := 0
	read := func(n int) (int, bool) {
		if pos+n > 8*len(data) {
			return 0, false
		}
		v := 0
		for range n {
			v = v<<1 | int(data[pos/8]>>(7-pos%8)&1)
			pos++
		}
		return v, true
	}
	countBits := map[int][2]int{1: {10, 12}, 2: {9, 11}, 4: {8, 16}}
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	var out strings.Builder
	for {
		mode, ok := read(4)
		if !ok || mode == 0 {
			return out.String(), nil
		}
		cb, known := countBits[mode]
		if !known {
			return "", fmt.Errorf("unsupported segment mode %d", mode)
		}
		width := cb[0]
		if version >= 10 {
			width = cb[1]
		}
		n, ok := read(width)
		if !ok {
			return "", errors.New("segment header runs past the data")
		}
		for n > 0 {
			switch mode {
			case 1:
				k := min(n, 3)
				v, ok := read([]int{0, 4, 7, 10}[k])
				if !ok {
					return "", errors.New("numeric segment runs past the data")
				}
				fmt.Fprintf(&out, "%0*d", k, v)
				n -= k
			case 2:
				if n >= 2 {
					v, ok := read(11)
					if !ok || v/45 >= 45 {
						return "", errors.New("bad alphanumeric pair")
					}
					out.WriteByte(alnum[v/45])
					out.WriteByte(alnum[v%45])
					n -= 2
				} else {
					v, ok := read(6)
					if !ok || v >= 45 {
						return "", errors.New("bad alphanumeric character")
					}
					out.WriteByte(alnum[v])
					n--
				}
			case 4:
				v, ok := read(8)
				if !ok {
					return "", errors.New("byte segment runs past the data")
				}
				out.WriteByte(byte(v))
				n--
			}
		}
	}
}

func TestQRDecoder(t *testing.T) {
	inputs := []string{
		"1",
		"12345678901234567890",
		"HELLO WORLD",
		"https://safedesk.example.com/verify/7KQM-C2XH-9RTD",
		"HTTPS://SAFEDESK.EXAMPLE.COM/VERIFY/7KQM-C2XH-9RTD",
		"https://培训.example/verify/7KQM-C2XH-9RTD?lang=zh-CN",
		"https://safedesk.example.com/verify/" + strings.Repeat("AB12-", 30),
		strings.Repeat("x", maxVerifyURL),
	}
	for _, in := range inputs {
		png, err := qrPNG(in)
		if err != nil {
			t.Fatal(err)
		}
		img, err := pngDecode(png)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeQR(img)
		if err != nil || got != in {
			t.Errorf("decodeQR(qrPNG(%q)) = %q, %v", in, got, err)
		}
	}
}

func pngDecode(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }

func TestQRDecoderNoticesDamage(t *testing.T) {
	b, err := qrPNG("https://safedesk.example.com/verify/7KQM-C2XH-9RTD")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := pngDecode(b)
	img := image.NewRGBA(src.Bounds())
	draw.Draw(img, img.Bounds(), src, image.Point{}, draw.Src)
	// Invert one data module near the bottom right, the first one read.
	n := img.Bounds().Dx() / 10
	x0, y0 := (n-5)*10, (n-5)*10
	for y := y0; y < y0+10; y++ {
		for x := x0; x < x0+10; x++ {
			c := img.RGBAAt(x, y)
			c.R, c.G, c.B = 255-c.R, 255-c.G, 255-c.B
			img.SetRGBA(x, y, c)
		}
	}
	if got, err := decodeQR(img); err == nil {
		t.Errorf("a damaged symbol decoded as %q", got)
	}
}
