package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/fastforth/fastforth/mcpserver"
)

const mcpUsage = `usage: fastforth mcp [--http ADDR [--token TOKEN] [--rate N] [--max-body BYTES]] [--root DIR] [analysis options]

Runs the Model Context Protocol server for AI agents: tools forth_check,
forth_infer, forth_verify, forth_compose, forth_stack_at, forth_word,
forth_generate, forth_patterns and forth_test. Over standard input and
output by default (nothing but protocol messages goes to stdout; a line
that is not a message gets a JSON-RPC error and the session goes on);
with --http ADDR over streamable HTTP at http://ADDR/mcp (loopback only
unless a token is given).
`

func runMCP(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("mcp", flag.ContinueOnError)
	httpAddr := fset.String("http", "", "serve over streamable HTTP on this address (host:port) instead of stdio")
	var sf serviceFlags
	sf.register(fset, "", true)
	var hf httpFlags
	hf.register(fset)
	pos, status, done := parseCommand("mcp", fset, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "fastforth mcp: unexpected argument %q\n", pos[0])
		return 2
	}
	gforthSet := false
	fset.Visit(func(f *flag.Flag) { gforthSet = gforthSet || f.Name == "allow-gforth" })
	if *httpAddr != "" && !gforthSet {
		sf.allowGforth = false // a network service runs the machine only, unless told
	}
	svc, err := sf.service(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth mcp: %v\n", err)
		return 2
	}
	server := mcpserver.New(svc, version)
	if *httpAddr != "" {
		if hf.accessLog == "-" {
			hf.accessLog = "off"
		}
		logger, closeLog, err := newLogger(hf.accessLog, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "fastforth mcp: %v\n", err)
			return 2
		}
		defer closeLog()
		cfg := hf.config(*httpAddr, version, logger)
		cfg.MCP = mcpserver.HTTPHandler(server, cfg.MaxBody)
		cfg.NoAPI = true
		return serveHTTP("mcp", svc, cfg, stderr)
	}
	defer cpuProfile()()
	serverGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := server.Run(ctx, &mcpserver.GuardedTransport{In: stdin, Out: stdout}); err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "fastforth mcp: %v\n", err)
		return 1
	}
	return 0
}
