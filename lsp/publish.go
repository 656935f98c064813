package lsp

import (
	"encoding/json"
	"slices"
	"strconv"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/diag"
)

// The publishDiagnostics of a keystroke (issue 14). A file of a few
// hundred diagnostics (gforth's cross.fs has about 580 with the hints)
// costs more to convert and marshal than an incremental analysis of the
// keystroke, and almost all of them are as they were. So the published
// parameters are written as JSON directly: each diagnostic's JSON is kept
// per document, by what it says and where, and only those not seen in the
// last publications are built and marshalled. The filters (the project's
// disabled codes, the settings) apply to the analysis' diagnostics first.
// Undefined words' diagnostics, which say what the workspace index knows
// of the word, and the failing tests' are built each time.

// diagKey identifies a published diagnostic by what it says and where.
type diagKey struct {
	rng     protocol.Range
	sev     diag.Severity
	code    diag.Code
	message string
}

// diagJSON is a diagnostic's JSON and the publication that last used it.
type diagJSON struct {
	json []byte
	gen  uint32
}

// pubCache holds a document's diagnostics' JSON between publications.
type pubCache struct {
	m    map[diagKey]*diagJSON
	gen  uint32
	used int // entries the last publication used
	size int // the length of the last publication's JSON
}

// publishParams writes the publishDiagnostics parameters of the snapshot:
// the same as marshalling the PublishDiagnosticsParams built from
// toDiagnostics, relateDiagnostics, projectFilter, filterDiagnostics and
// withTestResults, in that order.
func (w *worker) publishParams(c *pubCache, snap *snapshot) (jsonrpc2.RawMessage, error) {
	st := w.settings()
	if c.m == nil {
		c.m = map[diagKey]*diagJSON{}
	}
	c.gen++
	buf := make([]byte, 0, c.size+c.size/8+256)
	buf = append(buf, `{"uri":`...)
	u, err := json.Marshal(string(snap.uri))
	if err != nil {
		return nil, err
	}
	buf = append(buf, u...)
	buf = append(buf, `,"version":`...)
	buf = strconv.AppendInt(buf, int64(snap.version), 10)
	buf = append(buf, `,"diagnostics":[`...)
	first := true
	add := func(js []byte) {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, js...)
	}
	slow := func(d *protocol.Diagnostic) error {
		js, err := protocol.Marshal(d)
		if err == nil {
			add(js)
		}
		return err
	}
	disabled := projectDisabled(snap)
	shown := func(code diag.Code, sev protocol.DiagnosticSeverity) bool {
		return st.Diagnostics.Enable && (st.Diagnostics.Hints || sev != protocol.DiagnosticSeverityHint) &&
			!slices.Contains(st.Diagnostics.Disable, string(code))
	}
	keep := func(code diag.Code, sev protocol.DiagnosticSeverity) bool {
		return shown(code, sev) && !disabled(code)
	}
	used := 0
	var in map[string]bool
	for _, x := range snap.result.Diags {
		if x.Code == diag.Undefined && snap.index != nil {
			// What the index says goes with it: built each time.
			if in == nil {
				in = closureOf(snap.result.File)
			}
			ds := toDiagnostics(snap.file, []diag.Diagnostic{x}, snap.enc)
			relateOne(snap, x, &ds[0], in)
			code, _ := ds[0].Code.(protocol.String)
			if keep(diag.Code(code), ds[0].Severity) {
				if err := slow(&ds[0]); err != nil {
					return nil, err
				}
			}
			continue
		}
		sev := severity(x.Severity)
		if !keep(x.Code, sev) {
			continue
		}
		k := diagKey{rng: toRange(snap.file, x.Start, x.End, snap.enc), sev: x.Severity, code: x.Code, message: x.Message}
		e := c.m[k]
		if e == nil {
			d := protocol.Diagnostic{Range: k.rng, Severity: sev, Code: protocol.String(x.Code),
				Source: protocol.NewOptional(diagnosticSource), Message: protocol.String(x.Message)}
			js, err := protocol.Marshal(&d)
			if err != nil {
				return nil, err
			}
			e = &diagJSON{json: js}
			c.m[k] = e
		}
		if e.gen != c.gen {
			e.gen = c.gen
			used++
		}
		add(e.json)
	}
	for _, d := range w.withTestResults(snap, nil) {
		code, _ := d.Code.(protocol.String)
		if !shown(diag.Code(code), d.Severity) {
			continue
		}
		if err := slow(&d); err != nil {
			return nil, err
		}
	}
	buf = append(buf, "]}"...)
	c.used, c.size = used, len(buf)
	if len(c.m) > 2*used+64 {
		// Let go of what the last publications no longer use.
		for k, e := range c.m {
			if c.gen-e.gen > 2 {
				delete(c.m, k)
			}
		}
	}
	return buf, nil
}

// projectDisabled tells the codes the project file disables for the
// snapshot's document, each looked up once.
func projectDisabled(snap *snapshot) func(diag.Code) bool {
	if snap.proj == nil || snap.file == nil {
		return func(diag.Code) bool { return false }
	}
	// A file has diagnostics of a few codes: a short list beats a map.
	type known struct {
		code diag.Code
		off  bool
	}
	var memo []known
	return func(c diag.Code) bool {
		for _, k := range memo {
			if k.code == c {
				return k.off
			}
		}
		off := snap.proj.Disabled(snap.file.Name, c)
		memo = append(memo, known{c, off})
		return off
	}
}
