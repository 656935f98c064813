\ locals.fs -- the three locals syntaxes.

: hyp2 {: a b -- c :}  a a * b b * + ;
: swap-sum {: a b | t -- s :}  a to t  b a + t drop ;
: gf-avg { a b -- avg }  a b + 2/ ;
: old-style ( a b -- b a )  locals| x y |  x y ;
: with-comment ( n -- n*3 ) {: n :}  n n + n + ;
: count-up ( n -- ) {: n | i :}  0 to i  begin i n < while i . i 1+ to i repeat ;
: flocal {: f: r -- :}  r fdrop ;
