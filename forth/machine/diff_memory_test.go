package machine

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// The defining-word and memory differential: programs that define words
// (CREATE DOES>, VARIABLE, CONSTANT, VALUE, 2VARIABLE, DEFER, structures,
// MARKER) and lay out and read memory (, C, ALLOT ALIGN HERE, counted
// strings), run in the machine and in gforth 0.7.3. Addresses differ
// between the two systems, so the programs leave only differences of
// addresses (HERE arithmetic, >BODY minus the created address) and the
// contents of memory. Generated code that defines words is judged by
// these semantics, so a difference here is a wrong answer reported ok.

// memoryPrograms are hand-written programs, one line each; every name
// starts with the program's prefix (replaced by a unique one).
var memoryPrograms = []string{
	// CREATE , C, ALLOT and HERE arithmetic.
	`create Xa 1 , 2 , 3 , Xa @ Xa cell+ @ Xa 2 cells + @ here Xa -`,
	`create Xa 10 allot here Xa -`,
	`here 1 c, 2 c, 3 c, here swap -`,
	`create Xa 1 c, 2 c, Xa c@ Xa char+ c@ Xa 1 chars + c@`,
	`here 3 allot align here swap -`,
	`here 1 c, align here swap -`,
	`create Xa 1 c, create Xb Xb Xa -`,
	`create Xa 1 c, align create Xb Xb Xa -`,
	`3 aligned 8 aligned 0 aligned 9 aligned 17 aligned -1 aligned`,
	`1 cells 3 cells 1 chars 5 chars 1 floats 2 floats 7 cell+ 7 char+`,
	`create Xa 5 cells allot Xa 5 cells 0 fill Xa 4 cells + @ here Xa -`,
	`create Xa 16 allot Xa 16 erase 42 Xa 3 + c! Xa 3 + c@ Xa 2 + c@`,
	`here 0 allot here -`,
	`create Xa here Xa -`,
	`create Xa -1 , Xa @ Xa c@`,
	`create Xa 258 , Xa c@ Xa 1+ c@`,
	`here 5 , here swap - 1 cells =`,
	`create Xa 3 , does> @ ; Xa`,
	// >BODY and DOES>.
	`create Xa 7 , ' Xa >body Xa - ' Xa >body @`,
	`: Xd create , does> @ ; 5 Xd Xe Xe ' Xe >body @`,
	`: Xd create 0 , does> 1 over +! @ ; Xd Xe Xe Xe Xe drop Xe`,
	`: Xd create , does> @ * ; 3 Xd Xe 7 Xe -2 Xe`,
	`: Xd create cells allot does> swap cells + ; 4 Xd Xe 9 2 Xe ! 2 Xe @ 3 Xe 0 Xe - 1 Xe 0 Xe -`,
	`: Xd create dup , 0 do i , loop does> dup @ swap cell+ swap ; 3 Xd Xe nip Xe drop 2 cells + @`,
	`: Xd create here 0 , does> ; Xd Xe ' Xe >body - Xe ' Xe >body -`,
	`: Xd create does> ; Xd Xe Xe here -`,
	`: Xd create 2 , 3 , does> 2@ ; Xd Xe Xe`,
	`: Xd create , does> dup @ 1+ swap ! ; 5 Xd Xe Xe Xe ' Xe >body @`,
	`: Xd create , , does> 2@ + ; 1 2 Xd Xe Xe`,
	`: Xd create c, does> c@ ; 200 Xd Xe Xe`,
	`: Xd : postpone literal postpone ; ; 42 Xd Xe Xe`,
	`: Xd create , does> @ execute ; ' dup Xd Xe 3 Xe`,
	`: Xd create immediate does> drop 7 ; Xd Xe Xe`,
	`: Xd create , does> @ ; 5 Xd Xe : Xf Xe 1+ ; Xf`,
	`: Xd create , does> ( addr ) @ ; 9 Xd Xe ' Xe execute`,
	`: Xd create 0 , does> ; Xd Xe 5 Xe ! Xe @ 7 Xe +! Xe @`,
	`: Xd create , does> @ ; : Xg 3 Xd ; Xg Xe Xe`,
	`: Xd >r create r> , does> @ ; 11 Xd Xe Xe`,
	`: Xd create latestxt , does> @ ; Xd Xe Xe ' Xe =`,
	// VARIABLE CONSTANT VALUE TO 2VARIABLE 2CONSTANT.
	`variable Xa Xa @ drop 5 Xa ! Xa @ 3 Xa +! Xa @`,
	`variable Xa here Xa - 1 cells =`,
	`5 constant Xa Xa Xa 1+`,
	`-1 constant Xa : Xb Xa 2* ; Xb`,
	`7 value Xa Xa 9 to Xa Xa`,
	`7 value Xa : Xb to Xa ; 3 Xb Xa`,
	`7 value Xa : Xb Xa 1+ to Xa ; Xb Xb Xa`,
	`2variable Xa 1 2 Xa 2! Xa 2@ Xa @ Xa cell+ @`,
	`1 2 2constant Xa Xa`,
	`2variable Xa here Xa - 2 cells =`,
	`variable Xa 0 Xa ! : Xb 1 Xa +! ; Xb Xb Xb Xa @`,
	`variable Xa Xa on Xa @ Xa off Xa @`,
	// DEFER IS ACTION-OF DEFER@ DEFER!.
	`defer Xa ' dup is Xa 3 Xa`,
	`defer Xa : Xb ['] 1+ is Xa ; Xb 3 Xa`,
	`defer Xa ' 1+ is Xa : Xb Xa ; ' 2* is Xa 5 Xb`,
	`defer Xa ' negate is Xa action-of Xa ' negate =`,
	`defer Xa ' abs ' Xa defer! 5 negate Xa ' Xa defer@ ' abs =`,
	`defer Xa : Xb action-of Xa ; ' 1- is Xa Xb ' 1- =`,
	// Structures: BEGIN-STRUCTURE FIELD: CFIELD: +FIELD, gforth's struct.
	`begin-structure Xs field: Xx field: Xy end-structure Xs 0 Xx 0 Xy`,
	`begin-structure Xs cfield: Xx field: Xy cfield: Xz end-structure Xs 0 Xx 0 Xy 0 Xz`,
	`begin-structure Xs 3 +field Xx field: Xy end-structure Xs 0 Xy`,
	`begin-structure Xs field: Xx 2 cells +field Xy field: Xz end-structure Xs 0 Xz 100 Xy`,
	`0 field: Xx field: Xy constant Xs Xs 0 Xy`,
	`0 1 +field Xx 2 +field Xy constant Xs Xs 0 Xx 0 Xy 10 Xy`,
	`begin-structure Xs field: Xx field: Xy end-structure create Xp Xs allot 3 Xp Xx ! 4 Xp Xy ! Xp Xx @ Xp Xy @ Xp Xy Xp -`,
	`begin-structure Xs field: Xx field: Xy end-structure : Xf ( p -- n ) dup Xx @ swap Xy @ + ; create Xp 5 , 6 , Xp Xf`,
	`begin-structure Xs cfield: Xx cfield: Xy end-structure Xs`,
	`begin-structure Xs ffield: Xx end-structure Xs`,
	`begin-structure Xs field: Xx ffield: Xy end-structure Xs 0 Xy`,
	`begin-structure Xs cfield: Xx ffield: Xy end-structure Xs 0 Xy`,
	`begin-structure Xs cfield: Xx field: Xy cfield: Xz end-structure create Xp Xs allot here Xp -`,
	`struct cell% field Xx cell% field Xy end-struct Xs Xs 0 Xy`,
	`struct char% field Xx cell% field Xy end-struct Xs Xs 0 Xx 0 Xy`,
	`struct cell% 2* field Xx char% field Xy end-struct Xs Xs 0 Xy`,
	// MARKER.
	`marker Xm : Xa 1 ; Xm s" Xa" find nip`,
	`here marker Xm 100 allot Xm here -`,
	`variable Xa 5 Xa ! marker Xm 6 Xa ! Xm Xa @`,
	// Counted strings, S" C" in interpret mode, COUNT, PLACE.
	`c" hello" count nip`,
	`c" hello" c@ c" hello" 1+ c@`,
	`create Xa 10 allot s" abc" Xa place Xa count s" abc" compare Xa c@`,
	`s" abc" nip s" " nip`,
	`s" abc" drop c@ s" abc" drop 2 + c@`,
	`: Xa s" hello" ; Xa nip Xa drop c@`,
	`: Xa c" xy" ; Xa count nip Xa c@`,
	`create Xa ," hello" Xa count nip`,
	`create Xa 3 c, char a c, char b c, char c c, Xa count type`,
	`s" abc" s" abd" compare s" abc" s" abc" compare s" ab" s" abc" compare`,
	`s" hello" 2dup + 1- c@ -rot drop c@`,
	`here s" xyz" 2drop here swap -`,
	// The colon-sys is on gforth's data stack: a definition that takes
	// a cell from below it, or leaves one, is "unstructured".
	`5 : Xa literal ; Xa`,
	`: Xa [ 5 ] ; Xa`,
	`: Xa [ 5 ] literal ; Xa`,
	`: Xd : postpone literal postpone ; ; 42 Xd Xe Xe`,
	`: Xd create , does> @ * ; 4 Xd Xe 5 Xe`,
	`:noname 7 ; execute`,
	`1 2 :noname + ; execute`,
	`: Xa [ 1 2 + ] literal ; Xa`,
	`: Xd create , does> @ ; : Xf 3 Xd ; Xf Xe Xe`,
	`: Xd >r : r> postpone literal postpone + postpone ; ; 10 Xd Xe 5 Xe`,
	`: Xd create , does> @ + ; 10 Xd Xe 5 Xe`,
	`: Xd create 0 , does> dup @ swap 1 swap +! ; Xd Xe Xe Xe Xe`,
	`create Xa s" hi" dup c, here over allot swap move Xa count type`,
	`create Xa 20 allot s" hello" Xa swap move Xa 5 type`,
	`pad here - 0<`,
	`s" 123" 0 0 2swap >number nip nip drop`,
	// Printing with . U. .R D. and spacing.
	`1 . -1 . 0 . 123 u. -1 u.`,
	`5 3 .r 5 0 .r -5 4 .r 123 2 .r`,
	`5 3 u.r 123 1 u.r 0 0 u.r`,
	`1. d. -1. d. 123456789012. d. 0. d.`,
	`1. 5 d.r -1. 5 d.r 12345. 2 d.r`,
	`-1 0 ud. 5. ud.`,
	`hex 255 . -1 . 255 u. decimal 10 .`,
	`hex ff 4 .r decimal`,
	`3 spaces 0 spaces -2 spaces 42 emit`,
	`." a" space ." b" cr ." c"`,
	`.( hi) 1 .`,
	`char A emit [char] B emit bl emit`,
	`5 ? 0 .`,
	`variable Xa 42 Xa ! Xa ?`,
	`12 <# # # #> type 12 0 <# #s #> type`,
	`-12 dup abs 0 <# #s rot sign #> type`,
	`1234 0 <# # [char] . hold #s #> type`,
	`3 0 <# # # [char] : hold #> type`,
	`123. <# #s #> type -123. tuck dabs <# #s rot sign #> type`,
	`base @ 2 base ! 5 . base ! 5 .`,
	`1 2 3 .s drop drop drop`,
	`9223372036854775807 . -9223372036854775808 . -9223372036854775808 u.`,
	`0 0 d. 0 . 0 u.`,
	// Pictured output the generator composes: zero padding, a decimal
	// point, signs of doubles, widths.
	`0 0 <# # #s #> type 5 0 <# # #s #> type 123 0 <# # #s #> type`,
	`5 0 <# # # [char] . hold #s #> type 99999 0 <# # # [char] . hold #s #> type`,
	`-1234 dup abs 0 <# # # [char] . hold #s rot sign #> type`,
	`-5. 2dup dabs <# #s 2swap nip sign #> type 0. <# #s #> type`,
	`-1 0 <# #s #> type 0 1 <# #s #> type`,
	`42 5 .r -7 4 .r 1 1 .r 123 6 .r 1234567 2 .r`,
	`-1. 8 d.r 0 1 3 d.r 5. 0 d.r`,
	// Mixed and double arithmetic: division of doubles by cells, with
	// signs and the THROW codes of division by zero and overflow.
	`7 0 2 fm/mod -7 -1 2 fm/mod 7 0 -2 fm/mod -7 -1 -2 fm/mod`,
	`7 0 2 sm/rem -7 -1 2 sm/rem 7 0 -2 sm/rem -7 -1 -2 sm/rem`,
	`7 0 2 um/mod 0 1 2 um/mod -1 0 3 um/mod 10 0 3 um/mod`,
	`: Xa 1 0 0 fm/mod ; ' Xa catch nip nip`,
	`: Xa 1 0 0 um/mod ; ' Xa catch nip nip`,
	`: Xa 0 5 2 um/mod ; ' Xa catch nip nip`,
	`1 0 2 0 d< 2 0 1 0 d< -1 -1 0 0 d< 0 1 5 0 d< 0 -1 0 0 d< 5 0 5 0 d<`,
	`1 0 2 0 du< -1 -1 0 0 du< 0 1 5 0 du< 5 0 5 0 d= 5 0 5 1 d=`,
	`-3 4 m* 3 -4 m* -3 -4 m* 9223372036854775807 2 m* -1 -1 um*`,
	`1000000000000 1000000000 1000000000 */ -10 3 4 */ 10 3 4 */ 6 7 2 */`,
	`1 0 2 0 3 0 d+ d+ -1 -1 -1 -1 d+ -1 0 1 0 d+ 5. dnegate 5. dabs -5. dabs`,
	`5. 7. dmax -3. 2. dmin 5. d2* -5. d2/ 5. d0= 0. d0= -1. d0<`,
	// THROW codes and ABORT".
	`: Xa 5 throw ; ' Xa catch`,
	`: Xa -3 throw ; ' Xa catch`,
	`: Xa 1 abort" boom" ; ' Xa catch`,
	`: Xa 0 abort" boom" 7 ; ' Xa catch`,
	`: Xa abort ; ' Xa catch`,
	`: Xa 0 throw 7 ; ' Xa catch`,
	`: Xa 1 0 / ; ' Xa catch`,
	`: Xa 10 0 mod ; ' Xa catch`,
	`: Xa 3 >r 99 throw ; ' Xa catch`,
	`: Xa 1 2 3 99 throw ; 4 5 ' Xa catch nip nip`,
	`: Xa s" x" evaluate ; : Xb ['] Xa catch ; Xb nip`,
	`: Xa 0 @ ; ' Xa catch nip`,
	`: Xa -1 throw ; : Xb ['] Xa catch ; Xb`,
	`: Xa dup 0= if -10 throw then 100 swap / ; 0 ' Xa catch nip 5 ' Xa catch`,
	`: Xa 2 throw ; : Xb ['] Xa catch dup if ." caught " . then ; Xb`,
	`: Xa -4 throw ; ' Xa catch`,
	`: Xa -24 throw ; ' Xa catch`,
	`: Xa s" 12x" 0 0 2swap >number nip if -24 throw then drop ; ' Xa catch`,
	// Mixed: arrays, bounds, move and fill on created memory.
	`create Xa 1 , 2 , 3 , 0 Xa 3 cells bounds do i @ + cell +loop`,
	`create Xa 1 , 2 , 3 , create Xb 3 cells allot Xa Xb 3 cells move Xb 2 cells + @`,
	`create Xa 5 c, 6 c, 7 c, Xa 1+ Xa 2 cmove Xa c@ Xa 1+ c@ Xa 2 + c@`,
	`create Xa 5 c, 6 c, 7 c, Xa Xa 1+ 2 cmove> Xa c@ Xa 1+ c@ Xa 2 + c@`,
	`create Xa 8 allot Xa 8 char z fill Xa 8 type`,
	`create Xa 4 cells allot Xa 4 cells erase 5 Xa 2 cells + ! Xa 4 cells + Xa - Xa 2 cells + @`,
	`1 2 3 4 5 here 5 0 do , loop here swap - 5 cells =`,
	`: Xa create does> @ ; here Xa Xb here swap - 0=`,
	`create Xa 0 , : Xb Xa @ 1+ dup Xa ! ; Xb Xb Xb`,
	`unused 0> here 0 <>`,
}

// TestDifferentialMemory runs the hand-written programs and random
// defining-word and memory programs in the machine and in gforth and
// requires the same stacks and output.
func TestDifferentialMemory(t *testing.T) {
	progs := make([]string, 0, len(memoryPrograms)+600)
	for i, p := range memoryPrograms {
		progs = append(progs, strings.ReplaceAll(p, "X", fmt.Sprintf("m%d", i)))
	}
	g := &memGen{r: rand.New(rand.NewSource(7))}
	for i := range 600 {
		progs = append(progs, g.program(fmt.Sprintf("r%d", i)))
	}
	var text strings.Builder
	text.WriteString(diffPrologue)
	for id, p := range progs {
		fmt.Fprintf(&text, ".( @@P %d) cr ff-line %s\ndecimal cr ff-stack cr\n", id, p)
	}
	want := splitRuns(runGforthText(t, text.String()))
	got := splitRuns(runMachineText(t, text.String()))
	if len(want) != len(progs) {
		t.Fatalf("gforth ran %d of %d programs", len(want), len(progs))
	}
	bad := 0
	for id, p := range progs {
		if got[id] != want[id] {
			bad++
			if bad <= 20 {
				t.Errorf("program %d differs:\n  %s\ngforth:  %q\nmachine: %q", id, p, want[id], got[id])
			}
		}
	}
	t.Logf("%d of %d defining-word and memory programs agree with gforth", len(progs)-bad, len(progs))
}

// memGen makes random programs that lay out memory with a defining word
// and read it back: a CREATE'd area filled with , and C, (aligned or
// not), words made by CREATE DOES> with a random DOES> part, and
// structures, each checked by reading every cell and the HERE
// differences.
type memGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *memGen) w(s string) {
	g.b.WriteByte(' ')
	g.b.WriteString(s)
}

func (g *memGen) small() string { return strconv.Itoa(g.r.Intn(200) - 50) }

func (g *memGen) program(p string) string {
	g.b.Reset()
	switch g.r.Intn(4) {
	case 0: // a laid-out area
		g.w("here create " + p + "a")
		n := 0
		for range 1 + g.r.Intn(6) {
			switch g.r.Intn(5) {
			case 0:
				g.w(g.small() + " c,")
				n++
			case 1:
				g.w(strconv.Itoa(g.r.Intn(5)) + " allot")
			case 2:
				g.w("align")
			default:
				g.w(g.small() + " ,")
			}
		}
		g.w("here " + p + "a - swap " + p + "a swap - 0<= " + p + "a c@ drop")
	case 1: // a defining word
		fields := 1 + g.r.Intn(3)
		g.w(": " + p + "d create")
		for range fields {
			g.w(",")
		}
		does := [][2]string{
			{"@", "1"}, {"@ +", "2"}, {"dup @ swap cell+ @", "1"}, {"cell+ @", "1"},
			{"@ *", "2"}, {"1 over +! @", "1"}, {"dup @ 1+ over ! @", "1"}, {"swap cells + @", "2"},
		}
		d := does[g.r.Intn(len(does))]
		if fields < 2 && (d[0] == "dup @ swap cell+ @" || d[0] == "cell+ @" || d[0] == "swap cells + @") {
			d = does[0]
		}
		g.w("does> " + d[0] + " ;")
		for range fields {
			g.w(g.small())
		}
		g.w(p + "d " + p + "e")
		for range 1 + g.r.Intn(3) {
			if d[1] == "2" {
				g.w(strconv.Itoa(g.r.Intn(2)))
			}
			g.w(p + "e")
		}
		g.w("' " + p + "e >body @")
	case 2: // a structure
		g.w("begin-structure " + p + "s")
		var names []string
		for i := range 1 + g.r.Intn(4) {
			f := fmt.Sprintf("%sf%d", p, i)
			names = append(names, f)
			switch g.r.Intn(4) {
			case 0:
				g.w("cfield: " + f)
			case 1:
				g.w(strconv.Itoa(1+g.r.Intn(9)) + " +field " + f)
			case 2:
				g.w("ffield: " + f)
			default:
				g.w("field: " + f)
			}
		}
		g.w("end-structure " + p + "s")
		for _, f := range names {
			g.w("0 " + f)
		}
	case 3: // variables, values and constants used by a word
		g.w("variable " + p + "v " + g.small() + " value " + p + "u " + g.small() + " constant " + p + "c")
		g.w(": " + p + "w " + p + "v @ " + p + "u + " + p + "c * dup " + p + "v ! ;")
		g.w(g.small() + " " + p + "v ! " + p + "w " + p + "w drop " + g.small() + " to " + p + "u " + p + "w " + p + "v @")
	}
	return strings.TrimSpace(g.b.String())
}

// TestGarbage checks Config.Garbage: memory never written reads as the
// pattern (so code that relies on zeros fails), what is written or
// cleared reads back, and VARIABLE still starts at zero.
func TestGarbage(t *testing.T) {
	const g = -0x5a5a5a5a5a5a5a5b // eight 0xA5 bytes as a cell
	cases := []struct {
		src  string
		want []Cell
	}{
		{"create a 16 allot a @ a 8 + c@", []Cell{g, 0xa5}},
		{"create a 2 cells allot a 2 cells erase a cell+ @", []Cell{0}},
		{"create a 5 , 6 , a @ a cell+ @", []Cell{5, 6}},
		{"variable v v @ 2variable w w 2@", []Cell{0, 0, 0}},
		{"16 allocate drop @", []Cell{g}},
		{"16 allocate drop dup 0 swap ! @", []Cell{0}},
		{"here 8 allot @", []Cell{g}},
	}
	for _, c := range cases {
		m := New(Config{Garbage: true})
		if err := m.Eval(c.src); err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got := m.Stack(); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %v, want %v", c.src, got, c.want)
		}
		m2 := New(Config{})
		if err := m2.Eval(c.src); err != nil {
			t.Errorf("%s without Garbage: %v", c.src, err)
		}
	}
}
