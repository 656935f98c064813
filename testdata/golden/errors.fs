\ errors.fs -- one deliberate mistake for each diagnostic code.

\ undefined-word
: typo ( a b -- c )  swp drop ;

\ effect-mismatch
: wrong ( a b -- c )  over + ;

\ unbalanced-branches
: lopsided ( n -- n )  dup 0< if negate dup then ;

\ loop-not-neutral
: grows ( n -- )  0 do i loop ;
: grows2 ( -- )  begin 1 again ;

\ unbalanced-control
: stray-then ( -- )  then ;
: no-then ( f -- )  if ;
: no-repeat ( -- )  begin ;
: stray-loop ( -- )  loop ;
;
[then]

\ return-stack
: leaky ( n -- )  >r ;
: grabby ( -- n )  r> ;
: overdraw ( -- n n )  1 >r r> r> ;
: exit-in-loop ( n -- )  0 do exit loop ;

\ stack-underflow (top level)
1 + drop drop

\ bad-escape
: bad ( -- c-addr u )  s\" bad \c escape" ;

\ redefined: a warning for our own words, information for builtins
: twice ( -- )  ;
: twice ( -- )  ;
: dup ( x -- x x )  dup ;

\ compile-only
1 if

\ include-not-found
include no/such/file.fs

\ missing-stack-comment (a hint)
: no-comment  1+ ;

\ unterminated: a definition, a string in it and a comment to the end
: open-def ( -- )  1 2
  s" never closed
( never closed either
