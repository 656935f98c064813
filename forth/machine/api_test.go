package machine

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func TestLimits(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		src   string
		limit error
		code  int
	}{
		{"begin again", Config{MaxSteps: 10000}, ": f begin again ; f", ErrSteps, 0},
		{"interpreted loop", Config{MaxSteps: 10000}, "variable n : r 1 n +! 0 >in ! ; r", ErrSteps, 0},
		{"deferred loop", Config{MaxSteps: 10000}, "defer d ' d is d d", ErrSteps, 0},
		{"catch cannot stop a limit", Config{MaxSteps: 10000}, ": f begin again ; : g begin ['] f catch drop again ; g", ErrSteps, 0},
		{"output", Config{MaxOutput: 100}, ": f begin 65 emit again ; f", ErrOutput, 0},
		{"spaces", Config{MaxOutput: 100}, "1000 spaces", ErrOutput, 0},
		{"tests", Config{MaxTests: 10}, ": f 20 0 do t{ -> }t loop ; f", ErrTests, 0},
		{"evaluate nesting", Config{}, ": e s\" e\" evaluate ; e", nil, -5},
		{"include nesting", Config{Include: FSFiles(fstest.MapFS{"i.fs": {Data: []byte("include i.fs")}})}, "include i.fs", ErrNesting, 0},
		{"data stack", Config{DataDepth: 100}, ": f begin 1 again ; f", nil, -3},
		{"return stack", Config{ReturnDepth: 100}, ": f recurse ; f", nil, -5},
		{"float stack", Config{FloatDepth: 10}, ": f begin 1e again ; f", nil, -44},
		{"catch nesting", Config{MaxNesting: 50}, "defer d : f ['] d catch throw ; ' f is d f", nil, -5},
		{"data space", Config{MemorySize: 1000}, "2000 allot", nil, -8},
		{"data space by comma", Config{MemorySize: 1000}, ": f begin 0 , again ; f", nil, -8},
		{"code space", Config{MemorySize: 1 << 12}, ": f " + strings.Repeat("1 drop ", 2000) + ";", nil, -8},
		{"heap", Config{HeapSize: 1000}, "2000 allocate throw", nil, iorNoMem},
		{"input", Config{MaxInput: 100}, strings.Repeat("1 drop ", 100), ErrInput, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New(tc.cfg)
			err := m.Eval(tc.src)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("no error: %v", err)
			}
			if tc.limit != nil && !errors.Is(err, tc.limit) || e.Code != tc.code {
				t.Fatalf("%v (code %d, limit %v)", err, e.Code, e.Limit)
			}
			// The machine is usable afterwards.
			if err := m.Eval("1 2 +"); err != nil || m.Depth() != 1 {
				t.Errorf("after the limit: %v %v", err, m.Stack())
			}
		})
	}
}

func TestErrorPosition(t *testing.T) {
	m := New(Config{})
	err := m.Load("f.fs", ": ok 1 ;\n  ok  frob 2\n")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	if e.File != "f.fs" || e.Line != 2 || e.Column != 7 || e.Word != "frob" || e.Code != -13 ||
		e.Message != "Undefined word" || e.Source != "  ok  frob 2" {
		t.Errorf("%+v", e)
	}
	if s := e.Error(); s != "f.fs:2:7: Undefined word (THROW -13): frob" {
		t.Errorf("Error() = %q", s)
	}
	if m.Depth() != 0 {
		t.Errorf("stack not cleared: %v", m.Stack())
	}
	// A THROW from a word: the position of the word interpreted.
	err = m.Load("g.fs", ": f 1 0 / ;\n\n3 f\n")
	if !errors.As(err, &e) || e.Line != 3 || e.Column != 3 || e.Word != "f" || e.Code != -10 {
		t.Errorf("%+v", err)
	}
	// ABORT" gives its message.
	err = m.Eval(": a abort\" it failed\" ; 1 a")
	if !errors.As(err, &e) || e.Code != -2 || e.Message != "it failed" || e.Error() != "1:27: it failed: a" {
		t.Errorf("%+v %q", err, err)
	}
	// Inside an included file.
	files := fstest.MapFS{"lib.fs": {Data: []byte("1 2\n3 nothere\n")}}
	m = New(Config{Include: FSFiles(files)})
	err = m.Load("main.fs", "include lib.fs\n")
	if !errors.As(err, &e) || e.File != "lib.fs" || e.Line != 2 || e.Word != "nothere" {
		t.Errorf("%+v", err)
	}
	// A definition goes on in the next call, as in gforth from one
	// line to the next.
	m = New(Config{})
	m.Eval(": half 1 2")
	if err := m.Eval("; half"); err != nil || stackString(m) != "1 2" {
		t.Errorf("after an open definition: %v %v", err, m.Stack())
	}
	// One abandoned by an error is forgotten.
	m = New(Config{})
	m.Eval(": half 1 frob")
	if err := m.Eval("3 4 + half"); err == nil || stackString(m) != "" {
		t.Errorf("after a failed definition: %v %v", err, m.Stack())
	}
}

func TestCloneIndependent(t *testing.T) {
	base := New(Config{})
	if err := base.Eval("variable v 5 v ! : get v @ ; 1 2"); err != nil {
		t.Fatal(err)
	}
	a, b := base.Clone(), base.Clone()
	if err := a.Eval("7 v ! : get 99 ; : extra 3 ;"); err != nil {
		t.Fatal(err)
	}
	if err := b.Eval("get"); err != nil || stackString(b) != "1 2 5" {
		t.Errorf("b: %v %v", err, b.Stack())
	}
	if err := a.Eval("get v @ extra"); err != nil || stackString(a) != "1 2 99 7 3" {
		t.Errorf("a: %v %v", err, a.Stack())
	}
	if err := base.Eval("get"); err != nil || stackString(base) != "1 2 5" {
		t.Errorf("base: %v %v", err, base.Stack())
	}
	if err := b.Eval("extra"); err == nil {
		t.Error("b sees a's word")
	}
	// The original's later words are not the clones'.
	if err := base.Eval(": later 1 ; : get 2 ;"); err != nil {
		t.Fatal(err)
	}
	b.ClearStacks()
	if err := b.Eval("get"); err != nil || stackString(b) != "5" {
		t.Errorf("b after base redefined get: %v %v", err, b.Stack())
	}
	if err := b.Eval("later"); err == nil {
		t.Error("b sees base's later word")
	}
	// IMMEDIATE and DOES> on a clone do not change the original.
	base = New(Config{})
	base.Eval("create c 1 , : w ;")
	c := base.Clone()
	c.Eval("immediate")
	base.Eval(": u w ;")
	if base.Depth() != 0 {
		t.Error("clone's IMMEDIATE leaked")
	}
	// A clone made while compiling goes on compiling on its own.
	base = New(Config{})
	base.Eval(": sq dup")
	c = base.Clone()
	c.Eval("* ; 3 sq")
	base.Eval("drop ; 3 sq")
	if stackString(c) != "9" || stackString(base) != "3" {
		t.Errorf("clone %v, base %v", c.Stack(), base.Stack())
	}
}

func TestConcurrentClones(t *testing.T) {
	base := New(Config{})
	if err := base.Load("code.fs", ": sq dup * ;"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				m := base.Clone()
				r := m.RunTests("ex", fmt.Sprintf("T{ %d sq -> %d }T\n: own%d ;", i+j, (i+j)*(i+j), j))
				if !r.OK() || r.Passed != 1 {
					errs <- fmt.Errorf("%d/%d: %+v", i, j, r)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestAPI(t *testing.T) {
	m := New(Config{})
	if err := m.Eval(": add + ; 1e"); err != nil {
		t.Fatal(err)
	}
	xt, ok := m.Find("ADD")
	if !ok {
		t.Fatal("Find")
	}
	if _, ok := m.Find("nothere"); ok {
		t.Error("Find nothere")
	}
	m.Push(2, 3)
	if err := m.Execute(xt); err != nil || stackString(m) != "5 F: 1" {
		t.Errorf("%v %s", err, stackString(m))
	}
	if err := m.Execute(xt); err == nil || err.(*Error).Code != -4 {
		t.Errorf("underflow: %v", err)
	}
	m.FPush(2.5)
	if fs := m.FStack(); len(fs) != 1 || fs[0] != 2.5 {
		t.Errorf("FStack %v (stacks are cleared after an error)", fs)
	}
	m.Eval(".\" hi\"")
	if m.Output() != "hi" {
		t.Errorf("Output %q", m.Output())
	}
	m.ClearOutput()
	m.Eval("T{ 1 -> 1 }T")
	if len(m.Tests()) != 1 {
		t.Error("Tests")
	}
	m.Reset()
	if m.Output() != "" || len(m.Tests()) != 0 || m.Depth() != 0 {
		t.Error("Reset")
	}
	if _, ok := m.Find("add"); !ok {
		t.Error("Reset forgot the dictionary")
	}
	if err := m.Push(make([]Cell, 5000)...); err == nil {
		t.Error("Push overflow")
	}
	if got := m.Config().MaxSteps; got != DefaultMaxSteps {
		t.Errorf("default MaxSteps %d", got)
	}
	if ThrowMessage(-13) != "Undefined word" || ThrowMessage(-4000) != "error -4000" {
		t.Error("ThrowMessage")
	}
}

func TestRunTestsReport(t *testing.T) {
	m := New(Config{})
	r := m.RunTests("r.fs", "T{ 1 -> 1 }T\nT{ 1 -> 2 }T\nfrob\nT{ 1 -> 1 }T\n")
	if r.File != "r.fs" || r.Passed != 1 || r.Failed != 1 || r.Err == nil || r.Err.Line != 3 || r.OK() {
		t.Errorf("%+v", r)
	}
	r = m.RunTests("s.fs", "T{ 2 -> 2 }T")
	if !r.OK() || len(r.Tests) != 1 {
		t.Errorf("second run: %+v", r)
	}
}

func TestInclude(t *testing.T) {
	files := fstest.MapFS{
		"lib/a.fs":  {Data: []byte(": a 1 ; include b.fs")},
		"lib/b.fs":  {Data: []byte(": b 2 ; require ./c.fs require c.fs")},
		"lib/c.fs":  {Data: []byte("variable loads 1 loads +!")},
		"cycle.fs":  {Data: []byte("include cycle.fs")},
		"other.fs":  {Data: []byte("s\" lib/a.fs\" included")},
		"nested.fs": {Data: []byte("1 2 +")},
	}
	m := New(Config{Include: FSFiles(files)})
	if err := m.Eval("include lib/a.fs a b loads @"); err != nil || stackString(m) != "1 2 1" {
		t.Errorf("%v %v", err, m.Stack())
	}
	m = New(Config{Include: FSFiles(files)})
	if err := m.Eval("include cycle.fs"); !errors.Is(err, ErrNesting) && (err == nil || err.(*Error).Code != -5) {
		t.Errorf("cycle: %v", err)
	}
	m = New(Config{})
	if err := m.Eval("include x.fs"); err == nil || err.(*Error).Code != -38 {
		t.Errorf("no Include: %v", err)
	}
	m = New(Config{Include: FSFiles(files)})
	if err := m.Eval("s\" nested.fs\" ' included catch"); err != nil || stackString(m) != "3 0" {
		t.Errorf("included under catch: %v %v", err, m.Stack())
	}
	var _ fs.FS = files
}

func TestFileWords(t *testing.T) {
	files := fstest.MapFS{"data.txt": {Data: []byte("line one\nline two\r\nlast")}}
	m := New(Config{Include: FSFiles(files)})
	src := `create buf 80 allot
0 value f
s" data.txt" r/o open-file throw to f
: rl ( -- u flag ) buf 80 f read-line throw ;
rl buf rot type cr
rl buf rot type cr
rl buf rot type cr
rl
f file-size throw d>s
f close-file throw
s" out.txt" w/o create-file throw to f
s" written" f write-line throw
s" more" f write-file throw
f file-position throw d>s
f close-file throw
s" out.txt" r/o open-file throw to f
buf 80 f read-file throw buf swap type
f close-file throw
s" to stdout" stdout write-file throw
s" nope.txt" r/o open-file nip
s" out.txt" delete-file s" out.txt" delete-file
`
	if err := m.Eval(src); err != nil {
		t.Fatalf("%v\n%s", err, m.Output())
	}
	if out := m.Output(); out != "line one\nline two\nlast\nwritten\nmoreto stdout" {
		t.Errorf("output %q", out)
	}
	if got := stackString(m); got != "-1 -1 -1 0 0 23 12 -514 0 -514" {
		t.Errorf("stack %s", got)
	}
}

func TestFileHandlesReused(t *testing.T) {
	m := New(Config{})
	src := `: t 3000 0 do s" f.txt" w/o create-file throw close-file throw loop ; t s" f.txt" r/o open-file throw close-file`
	if err := m.Eval(src); err != nil || stackString(m) != "0" {
		t.Errorf("%v %v", err, m.Stack())
	}
}
