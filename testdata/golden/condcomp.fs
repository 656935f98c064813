\ condcomp.fs -- conditional compilation and number bases.

[undefined] cell- [if]
  : cell- ( addr -- addr' )  1 cells - ;
[then]

[defined] dup [if]
  : have-dup ( -- f )  true ;
[else]
  : have-dup ( -- f )  this would not compile ;
[then]

0 [if]
  : dead ( -- )  frobnicate ;
[else]
  : alive ( -- n )  1 ;
[then]

1 2 = [if] : never ( -- ) ; [else] : always ( -- n ) 2 ; [then]

[ifdef] alive
  : alive2 ( -- n )  alive 1+ ;
[endif]

[ifundef] frobnicate
  : frobnicate ( -- )  ;
[then]

\ nested conditionals in a dead branch are skipped as a whole
false [if]
  [if] [else] [then]
  : also-dead ( -- ) nonsense ;
[then]

\ number bases
hex
: ff-mask ( n -- n' )  ff and ;
decimal
: hundred ( -- n )  100 ;
: prefixed ( -- n1 n2 n3 n4 )  $10 #10 %10 &10 ;
: char-lit ( -- c )  'x' ;
2 base !
: binary-five ( -- n )  101 ;
decimal
: negative ( -- n )  -42 ;
