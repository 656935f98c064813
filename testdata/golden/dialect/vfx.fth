\ VFX Forth idioms: (( block comments )), zero-terminated strings.
(( This is a block comment
   that VFX reads over several lines. ))
: greet ( -- ) z" hello" zcount type ;
: 3dup ( a b c -- a b c a b c ) 2 pick 2 pick 2 pick ;
: flip ( a b c -- c a b ) -rot drop ;
