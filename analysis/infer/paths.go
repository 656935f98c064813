package infer

import "github.com/fastforth/fastforth/analysis/effect"

// PathEffects names the effect of each way out of the definition, one
// effect per inferred alternative, after its stack comment where the
// counts allow (as Inferred names them). It gives them also when Inferred
// is nil because the paths leave different depths, which is when a
// reader wants to see them. Nil when nothing was inferred.
func (r *Result) PathEffects() []effect.Effect {
	if len(r.Alts) == 0 {
		return nil
	}
	var decl *effect.Effect
	if r.Declared != nil {
		decl = r.Declared
	}
	out := make([]effect.Effect, len(r.Alts))
	for i := range r.Alts {
		out[i] = nameAlt(&r.Alts[i], decl)
	}
	return out
}
