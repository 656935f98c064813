package lsp

import (
	"math/rand/v2"
	"testing"
)

// TestSpanCursor: a cursor answers as the spans do, for offsets that grow,
// jump ahead and go back.
func TestSpanCursor(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		var rs []span
		for p := rng.IntN(5); p < 2000; {
			n := 1 + rng.IntN(20)
			rs = append(rs, span{p, p + n})
			p += n + rng.IntN(30)
		}
		ss := newSpans(rs)
		c := ss.cursor()
		off := 0
		for range 500 {
			switch k := rng.IntN(10); {
			case k < 7:
				off += rng.IntN(15)
			case k < 9:
				off += rng.IntN(500)
			default:
				off = max(0, off-rng.IntN(300))
			}
			to := off + rng.IntN(40)
			wr, wok := ss.at(off)
			gr, gok := c.at(off)
			if wr != gr || wok != gok || c.inside(off) != ss.inside(off) ||
				c.spans(off, to) != ss.spans(off, to) || c.overlaps(off, to) != ss.overlaps(off, to) {
				t.Fatalf("round %d, offset %d-%d: the cursor and the spans disagree", round, off, to)
			}
		}
	}
}
