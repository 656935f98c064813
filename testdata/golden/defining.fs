\ defining.fs -- defining words and the words they make.

variable counter
2variable extent
fvariable ratio
create buf 64 allot
32 buffer: pad2
10 constant ten
1. 2constant one.
2.5e fconstant two.5
0 value level
1. 2value dlevel
1e fvalue flevel

: bump ( -- )  1 counter +! ;
: extent@ ( -- d )  extent 2@ ;
: set-level ( n -- )  to level ;
: set-dlevel ( d -- )  to dlevel ;
: set-flevel ( F: r -- )  to flevel ;
: scaled ( n -- n' )  ten * level + ;

\ DEFER and IS; a deferred word with a stack comment can be checked
defer transform ( n -- n' )
: double-it ( n -- n' )  2* ;
' double-it is transform
: apply ( n -- n' )  transform ;
: install ( xt -- )  is transform ;
: current-xt ( -- xt )  action-of transform ;

\ CREATE ... DOES>
: counter: ( n "name" -- )  create , does> ( -- n )  @ ;
5 counter: five
: five+ ( n -- m )  five + ;

: array ( n "name" -- )  create cells allot does> ( i -- addr )  swap cells + ;
8 array slots
: slot@ ( i -- x )  slots @ ;

: 2const ( x1 x2 "name" -- )  create , , does> ( -- x1 x2 )  2@ ;

\ gforth: DOES> at top level gives the latest CREATEd word its behaviour
create tally 0 ,  does> ( -- n )  @ ;
: tally+1 ( -- n )  tally 1+ ;

\ :noname and execute of a known xt
:noname ( a b -- a+b )  + ; constant adder
: add ( a b -- c )  ['] + execute ;
: bump-via-quotation ( n -- n' )  [: 1+ ;] execute ;

\ SYNONYM and ALIAS
synonym plus +
' - alias minus
: diff ( a b -- c )  minus ;
: total ( a b -- c )  plus ;

\ MARKER
marker forget-me
: scratch ( -- )  ;
