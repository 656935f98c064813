\ floats.fs -- the float stack and double-cell numbers.

: fsquare ( F: r -- r*r )  fdup f* ;
: hypot ( F: a b -- c )  fsquare fswap fsquare f+ fsqrt ;
: circle-area ( F: r -- area )  fsquare pi f* ;
: f>n ( -- n ) ( F: r -- )  f>s ;
: n>f ( n -- ) ( F: -- r )  s>f ;
: half ( r1 -- r2 )  2e f/ ;
: fmax3 ( F: a b c -- m )  fmax fmax ;
: fsign ( -- n ) ( F: r -- )  f0< if -1 else 1 then ;
: favg ( F: a b -- avg )  f+ 0.5e f* ;
: float-lit ( -- ) ( F: -- r )  1.5e-3 ;

\ doubles
: d-lit ( -- d )  123. ;
: dsum ( d1 d2 -- d3 )  d+ ;
: dsq ( n -- d )  dup m* ;
: d>u ( d -- u )  d>s ;
: dabs2 ( d -- ud )  2dup d0< if dnegate then ;
: um-test ( u1 u2 -- ud )  um* ;
: mixed ( d n -- d' )  s>d d+ ;
: d-max ( d1 d2 -- d3 )  dmax ;
: 2swap-test ( d1 d2 -- d2 d1 )  2swap ;
: dlit-hex ( -- d )  $ff. ;
