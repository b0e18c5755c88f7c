package cert

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// Limits of the table-directory reader. Real fonts have a few dozen tables and TTCs a few
// faces; the limits only stop a hostile file from making the reader work or allocate much.
const (
	maxFaces  = 256
	maxTables = 256
)

// sfnt versions a table directory may start with.
const (
	sfntTrueType = 0x00010000
	sfntApple    = 0x74727565 // "true"
	sfntCFF      = 0x4F54544F // "OTTO"
	ttcTag       = 0x74746366 // "ttcf"
)

// A tableRecord is one entry of an sfnt table directory.
type tableRecord struct {
	tag    string
	offset uint32 // from the start of the file (of the collection, for a TTC face)
	length uint32
}

// faceOffsets returns where each face's table directory starts: every entry of a TTC
// header, or just 0 for a single font.
func faceOffsets(data []byte) ([]uint32, error) {
	if len(data) < 12 {
		return nil, errors.New("file too short for a font")
	}
	if binary.BigEndian.Uint32(data) != ttcTag {
		return []uint32{0}, nil
	}
	if major := binary.BigEndian.Uint16(data[4:]); major != 1 && major != 2 {
		return nil, fmt.Errorf("unsupported TTC version %d", major)
	}
	n := binary.BigEndian.Uint32(data[8:])
	if n == 0 || n > maxFaces {
		return nil, fmt.Errorf("TTC claims %d faces", n)
	}
	if uint64(len(data)) < 12+4*uint64(n) {
		return nil, errors.New("TTC header runs past the end of the file")
	}
	offs := make([]uint32, n)
	for i := range offs {
		offs[i] = binary.BigEndian.Uint32(data[12+4*i:])
	}
	return offs, nil
}

// readTableDirectory reads the table directory at off, checking that it and every table
// it lists lie inside data and that no tag repeats.
func readTableDirectory(data []byte, off uint32) (version uint32, tables []tableRecord, err error) {
	if uint64(off)+12 > uint64(len(data)) {
		return 0, nil, errors.New("table directory lies past the end of the file")
	}
	d := data[off:]
	version = binary.BigEndian.Uint32(d)
	switch version {
	case sfntTrueType, sfntApple, sfntCFF:
	default:
		return 0, nil, fmt.Errorf("unknown sfnt version %#08x", version)
	}
	n := int(binary.BigEndian.Uint16(d[4:]))
	if n == 0 || n > maxTables {
		return 0, nil, fmt.Errorf("font claims %d tables", n)
	}
	if 12+16*n > len(d) {
		return 0, nil, errors.New("table directory runs past the end of the file")
	}
	tables = make([]tableRecord, n)
	for i := range tables {
		r := d[12+16*i:]
		t := tableRecord{
			tag:    string(r[:4]),
			offset: binary.BigEndian.Uint32(r[8:]),
			length: binary.BigEndian.Uint32(r[12:]),
		}
		if uint64(t.offset)+uint64(t.length) > uint64(len(data)) {
			return 0, nil, fmt.Errorf("table %q runs past the end of the file", t.tag)
		}
		for _, u := range tables[:i] {
			if u.tag == t.tag {
				return 0, nil, fmt.Errorf("table %q appears twice", t.tag)
			}
		}
		tables[i] = t
	}
	return version, tables, nil
}

// hasTable reports whether the directory lists tag.
func hasTable(tables []tableRecord, tag string) bool {
	return slices.ContainsFunc(tables, func(t tableRecord) bool { return t.tag == tag })
}

// ExtractFace returns face index of a font file as a standalone TrueType/OpenType file: for
// a TTC collection it copies that face's tables out and writes a fresh table directory
// (tags sorted, offsets rewritten, tables 4-byte aligned, checksums and head's
// checkSumAdjustment recomputed); for a single font it does the same to face 0, which
// any other index is an error for. Every offset and length is checked against the input,
// and the output is never much larger than it. The alignment matters beyond tidiness:
// Debian's wqy-microhei.ttc has unaligned tables, which golang.org/x/image/font/sfnt
// refuses to read in place.
func ExtractFace(data []byte, index int) ([]byte, error) {
	offs, err := faceOffsets(data)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(offs) {
		return nil, fmt.Errorf("font has %d face(s), no face %d", len(offs), index)
	}
	version, tables, err := readTableDirectory(data, offs[index])
	if err != nil {
		return nil, fmt.Errorf("face %d: %w", index, err)
	}
	var total uint64
	for _, t := range tables {
		total += (uint64(t.length) + 3) &^ 3
	}
	// A face's tables are distinct ranges of the file; more than the file's size means
	// tables overlap on purpose, which only a file built to exhaust memory would do.
	if total > uint64(len(data))+4*uint64(len(tables)) {
		return nil, fmt.Errorf("face %d: its tables add up to more than the file", index)
	}
	slices.SortFunc(tables, func(a, b tableRecord) int { return strings.Compare(a.tag, b.tag) })

	n := len(tables)
	head := 12 + 16*n
	out := make([]byte, head, head+int(total))
	binary.BigEndian.PutUint32(out, version)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	entrySelector := bits.Len(uint(n)) - 1
	searchRange := (1 << entrySelector) * 16
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(n*16-searchRange))

	headAt := -1
	for i, t := range tables {
		at := len(out)
		out = append(out, data[t.offset:t.offset+t.length]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		if t.tag == "head" && t.length >= 12 {
			headAt = at
			clear(out[at+8 : at+12]) // checkSumAdjustment is computed with itself zeroed
		}
		r := out[12+16*i:]
		copy(r, t.tag)
		binary.BigEndian.PutUint32(r[4:], checksum(out[at:at+int(t.length)]))
		binary.BigEndian.PutUint32(r[8:], uint32(at))
		binary.BigEndian.PutUint32(r[12:], t.length)
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out, nil
}

// checksum is the OpenType table checksum: the sum of big-endian uint32s, the last one
// padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}
