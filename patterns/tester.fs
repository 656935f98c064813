\ tester.fs -- the test harness of Fast Forth's generated tests.
\
\ Tests are written in the Forth 2012 style:
\     T{ inputs words -> expected results }T
\ T{ notes the stack depths, -> takes what the words left above that
\ depth, and }T compares it, cell by cell (and float by float where the
\ floating-point word set exists), with the expected results. A test that
\ fails prints INCORRECT RESULT: or WRONG NUMBER OF RESULTS: followed by
\ its source line, and counts in #ERRORS. With TESTS-VERBOSE set, a test
\ that passes prints PASS: and its line.
\
\ Written for Fast Forth; it does not copy any other tester.

base @ decimal

variable #errors        0 #errors !
variable #tests         0 #tests !
variable tests-verbose  0 tests-verbose !

64 constant tests-max           \ results one test may compare
create tests-got  tests-max cells allot
variable tests-start            \ data-stack depth at T{
variable tests-n                \ cells the words left (-1: too many or too few)
variable tests-ok

\ Each outcome is flushed at once, so that a run killed later (a test
\ that loops) still shows it.
[defined] stdout [defined] flush-file and [if]
: tests-flush ( -- )  stdout flush-file drop ;
[else]
: tests-flush ( -- ) ;
[then]

: tests-line ( c-addr u -- )  type source type cr tests-flush ;
: tests-fail ( c-addr u -- )  tests-line  1 #errors +!  0 tests-ok ! ;

\ Drop down to the depth noted by T{ (or leave the stack as it is when
\ the words took more than there was).
: tests-clear ( i*x -- )
  begin depth tests-start @ > while drop repeat ;

[defined] fdepth [if]
align here tests-max 1+ floats allot constant tests-fraw
: tests-f ( i -- f-addr )  floats tests-fraw faligned + ;
variable tests-fstart
variable tests-fn
: tests-fclear ( F: i*r -- )
  begin fdepth tests-fstart @ > while fdrop repeat ;
\ Equal floats: the same value, or within a relative 1e-12.
: tests-f= ( F: r1 r2 -- ) ( -- flag )
  fover fover f- fabs fover fabs 1e-12 f* f<
  >r 0e f~ r> or ;
: tests-fbegin ( -- )  fdepth tests-fstart ! ;
: tests-fsave ( -- )
  fdepth tests-fstart @ - dup tests-fn !
  dup 0< over tests-max > or if drop -1 tests-fn ! tests-fclear exit then
  0 ?do i tests-f f! loop ;
: tests-fcheck ( -- )
  fdepth tests-fstart @ - tests-fn @ <> if
    tests-fclear s" WRONG NUMBER OF RESULTS: " tests-fail exit then
  tests-fn @ 0 ?do
    i tests-f f@ tests-f= 0= if
      tests-fclear s" INCORRECT RESULT: " tests-fail unloop exit then
  loop ;
[else]
: tests-fbegin ;  : tests-fsave ;  : tests-fcheck ;
[then]

\ Output: tests-out{ starts capturing what TYPE and EMIT print (every
\ output word of gforth goes through them), }tests-out ends it and
\ leaves the text captured ( -- c-addr u ); at most tests-omax
\ characters are kept. T{ ends a capture a failed test left open.
65536 constant tests-omax
create tests-obuf  tests-omax chars allot
variable tests-olen     0 tests-olen !
variable tests-otype    0 tests-otype !   \ the saved actions; 0: none
variable tests-oemit
: tests-o+ ( c-addr u -- )
  tests-omax tests-olen @ - min 0 max
  tuck tests-obuf tests-olen @ chars + swap chars move  tests-olen +! ;
: tests-oc ( c -- )  tests-olen @ tests-omax < if
    tests-obuf tests-olen @ chars + c!  1 tests-olen +!  else drop then ;
: tests-oend ( -- )
  tests-otype @ if  tests-otype @ is type  tests-oemit @ is emit  0 tests-otype !  then ;
: tests-out{ ( -- )
  tests-oend  what's type tests-otype !  what's emit tests-oemit !
  0 tests-olen !  ['] tests-o+ is type  ['] tests-oc is emit ;
: }tests-out ( -- c-addr u )  tests-oend  tests-obuf tests-olen @ ;

\ Floats equal within a relative 1e-9 (the examples' rule).
[defined] fdepth [if]
: tests-f~ ( F: r1 r2 -- ) ( -- flag )
  fswap fover f- fabs fswap fabs 1e-9 f* fswap f< 0= ;
[then]

\ T{ forgets the previous test's results (tests-n -1): a test without
\ -> then fails instead of comparing against the previous test's.
: T{ ( -- )
  tests-oend  depth tests-start !  tests-fbegin  -1 tests-n !  1 tests-ok !  1 #tests +! ;

: -> ( i*x -- )
  depth tests-start @ - dup tests-n !
  dup 0< over tests-max > or if drop -1 tests-n ! tests-clear tests-fsave exit then
  0 ?do i cells tests-got + ! loop
  tests-fsave ;

: }T ( i*x -- )
  depth tests-start @ -  tests-n @ <>  tests-n @ 0< or if
    tests-clear s" WRONG NUMBER OF RESULTS: " tests-fail
  else
    tests-n @ 0 ?do
      i cells tests-got + @ <> if
        tests-clear s" INCORRECT RESULT: " tests-fail leave then
    loop
  then
  tests-ok @ if tests-fcheck then
  tests-ok @ tests-verbose @ and if s" PASS: " tests-line then ;

\ Print how many tests ran and how many failed.
: tests-summary ( -- )
  ." TESTS: " #tests @ 0 .r ."  ERRORS: " #errors @ 0 .r cr ;

base !
