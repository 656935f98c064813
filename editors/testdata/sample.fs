\ sample.fs -- the editor tests open this file; it has two deliberate mistakes.
: square ( n -- n*n )  dup * ;
: cube ( n -- n^3 )  dup square * ;
: typo ( -- )  1 2 swp drop drop ;
: wrong ( a b -- c )  over + ;
