package content

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var defaultFS embed.FS

// Default returns the files of the default course pack embedded in the binary.
func Default() fs.FS {
	sub, err := fs.Sub(defaultFS, "default")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}
