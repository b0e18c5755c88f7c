package main

import (
	"context"
	"errors"
	"io"
)

var errTODO = errors.New("not available yet")

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errTODO
}
func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errTODO
}
func runUsers(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errTODO
}
func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errTODO
}
func runConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errTODO
}
func runContentInstall(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errTODO
}
