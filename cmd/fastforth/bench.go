package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fastforth/fastforth/internal/agentbench"
	"github.com/fastforth/fastforth/internal/loadgen"
)

const benchUsage = `usage: fastforth bench agent [--iterations N] [--warmup N] [--via cli|lsp|mcp|http|all]
       fastforth bench load [--route verify] [--rate N] [--conns 16] [--duration 10s] URL

agent: plays an AI agent's loop against the real interface of this
binary: for a spec, generate the code (its tests run), verify it against
the effect, run its tests, then edit it (a caller with a wrong stack
comment) and check it (the check must find the error), fix it and check
again (clean). Prints per-iteration p50 and p99, the success rate, each
step's p50 and the CPU time per iteration (client and server), against
the 56.9 ms per iteration of the system this project grew from (and its
15 ms target). cli starts a process per step; lsp, mcp and http start one
server (fastforth lsp, fastforth mcp, fastforth serve on a loopback port)
and talk to it over a pipe or HTTP.

load: puts a running fastforth serve at URL (http://127.0.0.1:8080) under
load on one route, with distinct bodies (none answered from the cache),
over keep-alive connections: as fast as it answers, or at --rate requests
per second (open loop: latency counts from when each request was due).
Prints requests/s, p50, p90, p99, max and the errors.
`

func runBench(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		commandHelp(stdout, "bench", nil)
		return 0
	}
	if len(args) > 0 && args[0] == "load" {
		return runBenchLoad(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "agent" {
		fmt.Fprint(stderr, benchUsage)
		return 2
	}
	fset := flag.NewFlagSet("bench agent", flag.ContinueOnError)
	iterations := fset.Int("iterations", 200, "timed iterations per interface")
	warmup := fset.Int("warmup", 10, "untimed iterations first")
	via := fset.String("via", "all", "the interface: cli, lsp, mcp, http, or all (comma-separated for several)")
	pos, status, done := parseCommand("bench", fset, args[1:], stdout, stderr)
	if done {
		return status
	}
	if len(pos) > 0 || *iterations <= 0 || *warmup < 0 {
		commandHelp(stderr, "bench", fset)
		return 2
	}
	vias := agentbench.Vias
	if *via != "all" {
		vias = strings.Split(*via, ",")
		for _, v := range vias {
			if !slices.Contains(agentbench.Vias, v) {
				fmt.Fprintf(stderr, "fastforth bench agent: --via %s: want cli, lsp, mcp, http or all\n", v)
				return 2
			}
		}
	}
	serverGC() // the clients allocate as servers do
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "fastforth bench agent: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var reports []*agentbench.Report
	status = 0
	for _, v := range vias {
		n := *iterations
		w := *warmup
		r, err := agentbench.Run(ctx, v, func(ctx context.Context) (agentbench.Client, error) {
			return agentbench.Start(ctx, exe, v)
		}, w, n)
		if err != nil {
			fmt.Fprintf(stderr, "fastforth bench agent: %v\n", err)
			return 1
		}
		if r.OK != r.Iterations {
			status = 1
		}
		reports = append(reports, r)
	}
	agentbench.Print(stdout, reports)
	return status
}

func runBenchLoad(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("bench load", flag.ContinueOnError)
	route := fset.String("route", "verify", "the route: health, verify, infer, check, compose, generate, words, patterns")
	rate := fset.Float64("rate", 0, "requests per second in all (0: as fast as the server answers)")
	conns := fset.Int("conns", 16, "connections")
	duration := fset.Duration("duration", 10*time.Second, "how long")
	token := fset.String("token", os.Getenv("FASTFORTH_TOKEN"), "the bearer token, if the server wants one")
	pos, status, done := parseCommand("bench", fset, args, stdout, stderr)
	if done {
		return status
	}
	path, ok := loadgen.Routes[*route]
	if len(pos) != 1 || !ok {
		commandHelp(stderr, "bench", fset)
		return 2
	}
	cfg := loadgen.Config{URL: strings.TrimSuffix(pos[0], "/") + path, Bodies: loadgen.Bodies(*route, 100_000),
		Conns: *conns, Duration: *duration, Rate: *rate}
	if *token != "" {
		cfg.Header = map[string]string{"Authorization": "Bearer " + *token}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth bench load: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "%s: %v\n", *route, res)
	if res.FirstError != "" {
		fmt.Fprintf(stdout, "first error: %s\n", res.FirstError)
	}
	if res.Late > 0 {
		fmt.Fprintf(stdout, "%d requests were sent more than 1 ms late (the generator or the server could not keep up)\n", res.Late)
	}
	if res.Errors > 0 || res.Status[200] != res.Requests {
		return 1
	}
	return 0
}
