\ pForth idioms: comma comments, include?, control structures at top level.
anew task-golden

: square ( n -- n*n , multiply n by itself ) dup * ;
: cube ( n -- n^3 , use square ) dup square * ;
: bad-sum ( a b -- c , a comment that is wrong ) + dup ;

10 0 do i square drop loop

: show-list ( addr n -- , print n cells )
    0 ?do dup i cells + @ . loop drop ;

: typo ( -- ) squar ;
