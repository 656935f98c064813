\ gforth as its development sources stand: ]] [[ macros, $strings.
: dup-if ( C: -- orig ) ]] dup if [[ ; immediate
: pos? ( n -- n ) dup-if 1+ then ;
variable msg
: set-msg ( addr u -- ) msg $! ;
: msg@ ( -- addr u ) msg $@ ;
: bad ( n -- n n n ) dup ;
