package main

import "fmt"

// exitCode is an error that asks main to exit with the given status without printing
// anything more: the command has already told the user what went wrong.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
