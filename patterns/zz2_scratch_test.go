package patterns

import (
	"os"
	"testing"
	"time"
)

func TestScratchOne(t *testing.T) {
	data, err := os.ReadFile(os.Getenv("SPEC"))
	if err != nil {
		t.Skip(err)
	}
	s, err := ParseSpec(data)
	if err != nil {
		t.Fatal(err)
	}
	lim, _ := time.ParseDuration(os.Getenv("LIMIT"))
	st := time.Now()
	r := Builtin().GenerateWith(s, GenOptions{SynthLimit: lim})
	t.Logf("%v ok=%v route=%s %v\n%s\n%+v %+v", time.Since(st), r.OK, r.Route, r.Verification.Problems, r.Code, r.Search, r.Timings)
}
