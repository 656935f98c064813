\ inc/base.fs -- shared words
: inc-square ( n -- n2 )  dup * ;
: inc-cube ( n -- n3 )  dup inc-square * ;
