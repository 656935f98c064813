package lsp

import (
	"os"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/analysis/source"
)

// BenchmarkApplyChange applies a one-character edit to a 300 KB, 10,000-line
// document, as every keystroke does.
func BenchmarkApplyChange(b *testing.B) {
	line := ": word ( n -- n' ) dup 1+ swap drop ;   \\ a comment of some length\n"
	text := strings.Repeat(line, 300_000/len(line))
	f := source.NewFile("/bench.fs", []byte(text))
	at := protocol.Position{Line: uint32(f.LineCount() / 2), Character: 10}
	ins := &protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: at, End: at}, Text: "x"}
	end := at
	end.Character++
	del := &protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: at, End: end}, Text: ""}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := protocol.TextDocumentContentChangeEvent(ins)
		if i%2 == 1 {
			c = del
		}
		i++
		g, err := applyChange(f, c, encUTF16)
		if err != nil {
			b.Fatal(err)
		}
		f = g
	}
}

// BenchmarkPublishCross writes the publishDiagnostics of cross.fs's
// diagnostics (about 580 with the hints), as every keystroke in the file
// does after its analysis: built one by one and marshalled, and through
// publishParams' cache, with two versions alternating (a line added and
// taken away again).
func BenchmarkPublishCross(b *testing.B) {
	src, err := os.ReadFile("/usr/share/gforth/0.7.3/cross.fs")
	if err != nil {
		b.Skip(err)
	}
	ws := analysis.New(analysis.Options{})
	rs := []*analysis.Result{ws.Analyze("/work/cross.fs", src), ws.Analyze("/work/cross.fs", append([]byte("\\ a line\n"), src...))}
	w := newServer(Options{}, zap.NewNop()).work
	snaps := make([]*snapshot, 2)
	for i, r := range rs {
		snaps[i] = &snapshot{uri: "file:///work/cross.fs", version: 2, file: r.File.Source, result: r, enc: encUTF16, index: w.ix, proj: project.Empty(project.Overrides{})}
	}
	st := w.settings()
	b.Run("built", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			snap := snaps[i%2]
			i++
			p := &protocol.PublishDiagnosticsParams{URI: snap.uri, Version: protocol.NewOptional(snap.version),
				Diagnostics: filterDiagnostics(st, w.withTestResults(snap, projectFilter(snap, relateDiagnostics(snap, toDiagnostics(snap.file, snap.result.Diags, snap.enc)))))}
			if _, err := (codec{}).Marshal(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		var c pubCache
		i := 0
		for b.Loop() {
			if _, err := w.publishParams(&c, snaps[i%2]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
