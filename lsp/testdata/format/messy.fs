\ A messy file: formatting re-indents the definitions only.
   variable   counter   
: classify ( n -- )   
dup 0< if
drop ." negative"
  else
      dup 0= if drop ." zero" else
    10 0 do
   i .
       loop drop
    then
      then ;

: count-down ( n -- )
        begin
    dup
        while
  dup . 1-
      repeat drop ;

: pick-one ( n -- )
  case
  1 of ." one" endof
     2 of
  ." two"
        endof
   ." many"
  endcase ;

: safe ( xt -- )
try
execute 0
iferror
drop
then
endtry drop ;

: maker ( n "name" -- )
create ,
    does> ( addr -- n )
@ ;

: with-quotation ( -- xt )
[: ( n -- n' )
1+
;] ;

:noname ( -- )
  [ 1 ] [if]
 ." one"
      [else]
 ." other"
    [then] ;
drop

: strings ( -- )
  s" if then else" type   \ a comment with then
   ." ( not a comment"
      ( a
      multi-line comment
      then )
        cr ;
: a 1 ; : b ( -- )
2 drop ;
