package analysis

import (
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// DefReport is what the analysis says about one definition, in the shape
// of `fastforth infer --json` (a documented, stable contract that the
// language server's fastforth/infer request answers with too).
type DefReport struct {
	File     string  `json:"file"`
	Line     int     `json:"line"`   // 1-based, of the name
	Column   int     `json:"column"` // 1-based byte column of the name
	Name     string  `json:"name"`
	Declared *string `json:"declared"`
	Inferred *string `json:"inferred"`
	In       *int    `json:"in"`
	Out      *int    `json:"out"`
	FloatIn  *int    `json:"floatIn"`
	FloatOut *int    `json:"floatOut"`
	Status   string  `json:"status"`
	Reason   string  `json:"reason,omitempty"`
}

// Reports lists the colon definitions, :noname definitions and does> parts
// of an analysed file, as file name names them.
func (r *Result) Reports(name string) []DefReport { return reports(name, r.File, r.Defs) }

// Reports is Result.Reports for a file read in a load.
func (r *FileResult) Reports(name string) []DefReport { return reports(name, r.File, r.Defs) }

func reports(name string, f *syntax.File, defs []*infer.Result) []DefReport {
	out := []DefReport{}
	for _, dr := range defs {
		d := dr.Def
		if d.Kind != syntax.Colon && d.Kind != syntax.Noname {
			continue
		}
		pos := f.Source.Position(f.Abs(d.Epoch, d.NameStart))
		rep := DefReport{File: name, Line: pos.Line + 1, Column: pos.Col + 1, Name: ReportName(d), Status: string(dr.Status), Reason: dr.Reason}
		if dr.Declared != nil {
			s := dr.Declared.String()
			rep.Declared = &s
		}
		if dr.Inferred != nil {
			s := dr.Inferred.String()
			rep.Inferred = &s
		}
		// Counts whenever the effect was inferred, also when the stack
		// comment could not be checked against it.
		if in, o, ok := dr.Counts(0); ok {
			rep.In, rep.Out = &in, &o
		}
		if in, o, ok := dr.Counts(2); ok {
			rep.FloatIn, rep.FloatOut = &in, &o
		}
		out = append(out, rep)
	}
	return out
}

// ReportName names a definition in reports: ":noname" and "maker does>"
// for the nameless ones.
func ReportName(d *syntax.Def) string {
	switch {
	case d.DoesOf != nil:
		return d.DoesOf.Display + " does>"
	case d.Kind == syntax.Noname:
		return ":noname"
	}
	return d.Display
}
