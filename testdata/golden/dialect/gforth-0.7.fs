\ gforth 0.7.3: its own words are known; later gforth's are not.
: third ( a b c -- a b c a ) 2 pick ;
: under ( a b c -- c a b ) -rot ;
: inc ( n -- n+1 ) 1+ ;
: newer ( addr u -- ) $tmp 2drop ;
