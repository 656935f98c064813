\ strings.fs -- string literals and the other parsing words.

: greet ( -- )  ." Hello, " s" world" type cr ;
: esc ( -- c-addr u )  s\" tab\there\n" ;
: counted ( -- c-addr )  c" counted" ;
: len ( -- u )  c" abc" count nip ;
: must ( f -- )  abort" must be true" ;
: letter ( -- c )  [char] A ;
: xt-of-dup ( -- xt )  ['] dup ;
: dup-neg? ( -- )  postpone dup postpone 0< ; immediate
: use-macro ( n -- n f )  dup-neg? ;
: old-compile ( -- )  [compile] ( ; immediate
: paren ( -- c )  [char] ) ;
: name-len ( "name" -- u )  parse-name nip ;
: rest ( "ccc<paren>" -- c-addr u )  [char] ) parse ;

.( interpreting a message) cr
char Z constant zed
' greet constant greet-xt
s" top-level string" 2drop
: show ( -- )  zed emit ;
