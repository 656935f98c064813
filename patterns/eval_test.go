package patterns

import (
	"errors"
	"math"
	"math/rand"
	"testing"

	"github.com/fastforth/fastforth/forth/machine"
)

// TestEvalAgreesWithMachine runs random short programs of the synthesis'
// words in the Go evaluator and in the in-process machine (itself checked
// against gforth) and compares the stacks and THROW codes.
func TestEvalAgreesWithMachine(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	vals := []int64{0, 1, -1, 2, 3, -3, 7, 10, 63, 64, 65, -64, 255, 1 << 40, math.MaxInt64, math.MinInt64}
	words := append(append(append([]string{}, synthWords...), doubleWords...), "throw")
	base := exampleFresh()
	checked := 0
	for n := 0; n < 20000; n++ {
		var st evalState
		depth := r.Intn(5)
		ins := make([]int64, depth)
		for i := range ins {
			ins[i] = vals[r.Intn(len(vals))]
			st.ds[i] = ins[i]
		}
		st.sp = int8(depth)
		var prog []*op
		for k := 1 + r.Intn(4); k > 0; k-- {
			if r.Intn(5) == 0 {
				prog = append(prog, litOp(vals[r.Intn(len(vals))]))
			} else {
				prog = append(prog, evalWords[words[r.Intn(len(words))]])
			}
		}
		if !runOps(prog, &st) {
			continue // under- or overflow: never considered
		}
		m := base.Clone()
		if err := m.Push(ins...); err != nil {
			t.Fatal(err)
		}
		err := m.Eval(render(prog))
		var me *machine.Error
		switch {
		case st.err != 0:
			if !errors.As(err, &me) || me.Code != int(st.err) && !(st.err == -4095 && (me.Code < -4094 || me.Code > math.MaxInt16)) {
				t.Errorf("%v %s: evaluator threw %d, machine %v", ins, render(prog), st.err, err)
			}
		case err != nil:
			t.Errorf("%v %s: machine %v, evaluator %v", ins, render(prog), err, st.ds[:st.sp])
		default:
			got := m.Stack()
			want := st.ds[:st.sp]
			if len(got) != len(want) {
				t.Errorf("%v %s: machine %v, evaluator %v", ins, render(prog), got, want)
				continue
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%v %s: machine %v, evaluator %v", ins, render(prog), got, want)
					break
				}
			}
		}
		checked++
	}
	if checked < 1000 {
		t.Errorf("only %d programs checked", checked)
	}
}
