{ SwiftForth idioms: brace comments over
  several lines, z-strings and cell words }
: greet ( -- ) z" hello" zcount type ;
: bump ( addr -- ) 1 swap +! ;
: ticks-per ( -- n ) counter 1000 / ;
: wrong ( a b -- ) + ;
