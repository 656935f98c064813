package lsp

import (
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/source"
)

// toDiagnostics converts the analysis' diagnostics (byte offsets in f's
// text) to LSP diagnostics. The result is never nil: the protocol wants an
// array.
func toDiagnostics(f *source.File, ds []diag.Diagnostic, enc encoding) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(ds))
	for _, d := range ds {
		out = append(out, protocol.Diagnostic{
			Range:    toRange(f, d.Start, d.End, enc),
			Severity: severity(d.Severity),
			Code:     protocol.String(d.Code),
			Source:   protocol.NewOptional(diagnosticSource),
			Message:  protocol.String(d.Message),
		})
	}
	return out
}

func severity(s diag.Severity) protocol.DiagnosticSeverity {
	switch s {
	case diag.Error:
		return protocol.DiagnosticSeverityError
	case diag.Warning:
		return protocol.DiagnosticSeverityWarning
	case diag.Information:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}
