package lsp

import (
	"context"
	"github.com/fastforth/fastforth/analysis/stackview"
	"sort"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

func init() {
	register(protocol.MethodTextDocumentInlayHint, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.InlayHintParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.inlayHints(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.InlayHintProvider = protocol.Boolean(true)
		},
	})
}

// inlayHints shows the inferred effect after the name of each colon
// definition that has no stack comment (setting inlayHints.effects) and,
// with inlayHints.stackAtLineEnd, the stack at the end of each line of a
// definition's body.
func (w *worker) inlayHints(p *protocol.InlayHintParams) (compute, error) {
	st := w.settings()
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) { return []protocol.InlayHint{}, nil }, nil
	}
	rng := p.Range
	from := toOffset(snap.file, rng.Start, snap.enc)
	to := toOffset(snap.file, rng.End, snap.enc)
	var stacks []protocol.InlayHint
	if st.InlayHints.StackAtLineEnd {
		// The Checker traces the bodies: on the worker.
		stacks = lineEndStacks(snap, from, to)
	}
	return func(ctx context.Context) (any, error) {
		r := snap.result
		f := r.File
		out := []protocol.InlayHint{}
		pad := true
		for _, d := range f.Defs {
			if !st.InlayHints.Effects {
				break
			}
			if d.Kind != syntax.Colon || d.DoesOf != nil || d.Name == "" || d.Comment != nil || d.NameEnd <= d.NameStart {
				continue
			}
			at := f.Abs(d.Epoch, d.NameEnd)
			if at < from || at > to {
				continue
			}
			res := resultOf(r, d)
			if res == nil || res.Inferred == nil {
				continue
			}
			out = append(out, protocol.InlayHint{
				Position:    toPosition(snap.file, at, snap.enc),
				Label:       protocol.String(res.Inferred.Short()),
				Kind:        protocol.InlayHintKindType,
				PaddingLeft: &pad,
			})
		}
		out = append(out, stacks...)
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i].Position, out[j].Position
			return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
		})
		return out, nil
	}, nil
}

// lineEndStacks gives, for each line of a definition's body in [from,
// to] (byte offsets), the stacks after its last word, one picture per
// path, at the end of the line. Definitions on one line get none (their
// stack comment says it all), nor do lines after which no path goes on.
func lineEndStacks(snap *snapshot, from, to int) []protocol.InlayHint {
	r := snap.result
	f := r.File
	src := snap.file
	type last struct {
		d   *syntax.Def
		op  int
		end int
	}
	lines := map[int]last{}
	for _, d := range f.Defs {
		switch d.Kind {
		case syntax.Colon, syntax.Noname, syntax.Quotation:
		default:
			continue
		}
		ds, de := f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
		if de < from || ds > to || src.Position(ds).Line == src.Position(max(de-1, ds)).Line {
			continue
		}
		for i := range d.Body {
			op := &d.Body[i]
			if op.Kind == syntax.OpDoes || op.Kind == syntax.OpCall && op.Ref.B != nil && (op.Ref.B.Name == ";" || op.Ref.B.Name == ";]") {
				continue
			}
			e := f.Abs(d.Epoch, op.End)
			l := src.Position(e).Line
			if cur, ok := lines[l]; !ok || e > cur.end {
				lines[l] = last{d, i, e}
			}
		}
	}
	want := map[*syntax.Def]map[int]bool{}
	for _, x := range lines {
		if want[x.d] == nil {
			want[x.d] = map[int]bool{}
		}
		want[x.d][x.op] = true
	}
	after := map[*syntax.Def]map[int][]string{}
	for d, ops := range want {
		after[d] = stacksAfter(r.Checker, d, ops)
	}
	var out []protocol.InlayHint
	pad := true
	for l, x := range lines {
		at := src.LineEnd(l)
		pics := after[x.d][x.op]
		if at < from || at > to || len(pics) == 0 {
			continue
		}
		out = append(out, protocol.InlayHint{
			Position:    toPosition(src, at, snap.enc),
			Label:       protocol.String(strings.Join(pics, " | ")),
			PaddingLeft: &pad,
		})
	}
	return out
}

// stacksAfter returns the stacks after each op of d's body in ops, one
// picture per path, named after d's stack comment: the "after" half of
// stackAround, for many ops with one trace.
func stacksAfter(c *infer.Checker, d *syntax.Def, ops map[int]bool) map[int][]string {
	var decl stackview.Pic
	if d.Comment != nil && d.Comment.Err == nil && len(d.Comment.Effect.In) > 0 {
		decl = stackview.Split(d.Comment.Effect.In[0])
	}
	if d.DoesOf != nil {
		// The comment names the child's data address last; the trace
		// has it as an item pushed on entry.
		if n := len(decl[effect.Data]); n > 0 {
			decl[effect.Data] = decl[effect.Data][:n-1]
		}
	}
	out := map[int][]string{}
	c.Trace(d, func(j int, _ *syntax.Op, pics []effect.Effect) {
		if !ops[j] {
			return
		}
		var after []string
		for _, p := range pics {
			in, o := stackview.Sides(p)
			var st stackview.Pic
			for k := range st {
				st[k] = stackview.Concat(stackview.Bottom(decl[k], stackview.Cells(decl[k])-stackview.Cells(in[k])), o[k])
			}
			after = stackview.AppendNew(after, st.String())
		}
		out[j] = after
	})
	return out
}
