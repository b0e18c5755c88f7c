package content

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
)

// ReadZip reads a zipped pack. The pack may sit at the archive's root or inside one
// top-level folder (as "compress folder" tools make it). Sizes are checked against the
// declared and the actual uncompressed bytes, so a zip bomb is refused.
func ReadZip(b []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: "(upload)", Msg: "not a zip archive: " + err.Error()}}}
	}
	files := map[string][]byte{}
	total := 0
	for _, f := range zr.File {
		name := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(f.Name, "\\", "/")), "/")
		if f.FileInfo().IsDir() || strings.HasPrefix(path.Base(name), ".") || strings.HasPrefix(name, "__MACOSX/") || !isPackFile(name) {
			continue
		}
		if len(files) >= MaxFiles {
			return nil, zipProblem("more than %d files", MaxFiles)
		}
		if f.UncompressedSize64 > MaxFileSize {
			return nil, zipProblem("%s is larger than %d bytes", name, MaxFileSize)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, zipProblem("%s: %v", name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, MaxFileSize+1))
		rc.Close()
		if err != nil {
			return nil, zipProblem("%s: %v", name, err)
		}
		if len(data) > MaxFileSize {
			return nil, zipProblem("%s is larger than %d bytes", name, MaxFileSize)
		}
		total += len(data)
		if total > MaxTotalSize {
			return nil, zipProblem("the pack is larger than %d bytes", MaxTotalSize)
		}
		files[name] = data
	}
	return stripTopFolder(files), nil
}

// stripTopFolder moves files up when every one sits under the same folder and pack.yaml is
// directly inside it.
func stripTopFolder(files map[string][]byte) map[string][]byte {
	if _, ok := files["pack.yaml"]; ok {
		return files
	}
	top := ""
	for name := range files {
		i := strings.IndexByte(name, '/')
		if i < 0 {
			return files
		}
		if top == "" {
			top = name[:i+1]
		} else if !strings.HasPrefix(name, top) {
			return files
		}
	}
	if _, ok := files[top+"pack.yaml"]; !ok {
		return files
	}
	out := make(map[string][]byte, len(files))
	for name, b := range files {
		out[strings.TrimPrefix(name, top)] = b
	}
	return out
}

func zipProblem(format string, args ...any) error {
	return &Error{Problems: []Problem{{File: "(upload)", Msg: fmt.Sprintf(format, args...)}}}
}
