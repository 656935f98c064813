\ demo.fs -- a small program that shows what fastforth checks.
\ Run:  fastforth check testdata/examples/demo.fs

\ Correct words: their bodies do what their stack comments say.
: square ( n -- n*n )  dup * ;
: cube   ( n -- n^3 )  dup square * ;
: sum-of-squares ( a b -- c )  square swap square + ;

\ A counted loop that leaves the stack as it found it.
: triangle ( n -- sum )  0 swap 1+ 1 ?do i + loop ;

\ ?DUP IF as one unit: both paths leave the same depth.
: .nonzero ( n -- )  ?dup if . then ;

variable counter
: bump ( -- )  1 counter +! ;

\ A create ... does> defining word and a word it made.
: array ( n "name" -- ) create cells allot does> ( i -- addr ) swap cells + ;
10 array scores
: first-score ( -- n )  0 scores @ ;

\ Mistakes fastforth reports:

\ 1. The comment says one result, the body leaves two.
: wrong ( a b -- c )  over + ;

\ 2. The branches leave different depths.
: lopsided ( n -- n )  dup 0< if negate dup then ;

\ 3. The loop body grows the stack.
: grows ( n -- )  0 do i loop ;

\ 4. A word that does not exist.
: typo ( -- )  1 2 swp drop drop ;

\ 5. Return stack left unbalanced.
: leaky ( n -- )  >r ;

\ No stack comment: fastforth infers one.
: double-it  2* ;
