package main

import (
	"context"
	"errors"
	"io"
)

// runScan is replaced by the risk engine's command.
func runScan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errors.New("scan: not built yet")
}
