//go:build !unix

package lsp

import "io"

// pollable returns in unchanged: only Unix pipes are made pollable
// (stdin_unix.go).
func pollable(in io.Reader) io.Reader { return in }
