{ SwiftForth idioms: brace comments over
  several lines, z-strings and cell words }
: greet ( -- ) z" hello" zcount type ;
: bump ( addr -- ) 1 swap +! ;
: ticks-per ( -- n ) counter 1000 / ;
: wrong ( a b -- ) + ;
: sizes ( n -- ) dup constant create 1000 * , does> ( x1 -- x2 ) @ swap 7 and or ;
0 sizes s8 byte
: sized ( x -- x ) byte ;
: end-macro ( -- ) \\ ;
: shout ( c -- C ) upper ;
