\ genbench harness (gforth 0.7.3): runs the examples of a spec, as rendered by
\ genbench.go, and prints one line per example on the real standard output:
\   GB|<task id>|<example index>|ok
\   GB|<task id>|<example index>|FAIL|<reasons>
\ and, from the batch driver, GB-ERR|<task id>|<throw code> when a task's file
\ stopped early (an error while loading or interpreting it).
\ Every word here starts with gb- so that it cannot clash with a task's words.

warnings off
decimal

\ ---- failure messages ----------------------------------------------------
variable gb-fails                       \ number of failed checks in this example
create gb-msg 4096 allot  variable gb-msglen
: gb-msg+ ( c-addr u -- )               \ append text to the message
  dup gb-msglen @ + 4000 > if 2drop exit then
  tuck gb-msg gb-msglen @ + swap move gb-msglen +! ;
: gb-msgc ( c -- )  gb-msglen @ 4000 < if gb-msg gb-msglen @ + c! 1 gb-msglen +! else drop then ;
: gb-msgn ( n -- )                      \ append n in decimal
  base @ >r decimal  dup abs 0 <# #s rot sign #> gb-msg+  r> base ! ;
: gb-hexdigit ( u -- c )  dup 10 < if [char] 0 + else 10 - [char] a + then ;
: gb-msg-esc ( c-addr u -- )            \ append text; \ and controls as \xx
  bounds ?do
    i c@ dup 32 < over 126 > or over [char] \ = or
    if [char] \ gb-msgc dup 4 rshift gb-hexdigit gb-msgc 15 and gb-hexdigit gb-msgc
    else gb-msgc then
  loop ;
: gb-fail ( c-addr u -- )               \ start a new reason
  gb-msglen @ if s" ; " gb-msg+ then gb-msg+ 1 gb-fails +! ;

\ ---- stacks ----------------------------------------------------------------
: gb-clear ( i*x -- ) ( F: i*r -- )
  begin depth while drop repeat  begin fdepth while fdrop repeat ;
create gb-act 256 cells allot   variable gb-adepth   \ saved data stack, bottom first
create gb-fact 64 floats allot  variable gb-fdepth   \ saved float stack, bottom first
variable gb-shape-ok
: gb-save ( i*x -- ) ( F: i*r -- )      \ move both stacks into gb-act / gb-fact
  depth 256 > fdepth 64 > or if
    gb-clear 0 gb-adepth ! 0 gb-fdepth ! gb-shape-ok off
    s" more than 256 cells or 64 floats on the stacks" gb-fail exit then
  depth gb-adepth !  gb-adepth @ 0 ?do  gb-act gb-adepth @ 1- i - cells + !  loop
  fdepth gb-fdepth ! gb-fdepth @ 0 ?do  gb-fact gb-fdepth @ 1- i - floats + f!  loop
  decimal ;
: gb-act@ ( i -- x )  cells gb-act + @ ;

\ ---- printed-text capture ---------------------------------------------------
65536 constant gb-capmax
create gb-cap gb-capmax allot  variable gb-caplen  variable gb-capover
what's type constant gb-type0
what's emit constant gb-emit0
: gb-cap-type ( c-addr u -- )
  dup gb-caplen @ + gb-capmax > if 2drop gb-capover on exit then
  tuck gb-cap gb-caplen @ + swap move gb-caplen +! ;
: gb-cap-emit ( c -- )
  gb-caplen @ gb-capmax < if gb-cap gb-caplen @ + c! 1 gb-caplen +! else drop gb-capover on then ;
: gb-cap-on ( -- )  0 gb-caplen ! gb-capover off ['] gb-cap-type is type ['] gb-cap-emit is emit ;
: gb-cap-off ( -- )  gb-type0 is type gb-emit0 is emit ;

\ ---- one example -----------------------------------------------------------
variable gb-caught
: gb-begin ( i*x -- )
  gb-cap-off gb-clear decimal 0 gb-fails ! 0 gb-msglen ! 0 gb-caught !
  0 gb-adepth ! 0 gb-fdepth ! gb-shape-ok on 0 gb-caplen ! ;
: gb-caught! ( n -- )  gb-caught ! ;
: gb-fresh ( c-addr u -- c-addr2 u )    \ a fresh allocated copy of a string
  tuck dup 1 max allocate throw dup >r swap move r> swap ;

: gb-msgf ( F: r -- )                   \ append r as F. prints it
  what's type >r what's emit >r ['] gb-msg+ is type ['] gb-msgc is emit
  f. r> is emit r> is type ;
: gb-fact@ ( i -- ) ( F: -- r )  floats gb-fact + f@ ;
: gb-stack-msg ( -- )                   \ append the saved stacks
  s"  (stack:" gb-msg+
  gb-adepth @ 0 ?do  bl gb-msgc i gb-act@ gb-msgn  loop
  gb-fdepth @ if s"  F: " gb-msg+ gb-fdepth @ 0 ?do i gb-fact@ gb-msgf loop then
  s" )" gb-msg+ ;

: gb-expect-throw ( n -- )              \ the word must have thrown n (0: not thrown)
  gb-caught @ over = if drop exit then
  dup 0= if drop s" unexpected THROW " gb-fail gb-caught @ gb-msgn gb-shape-ok off exit then
  s" expected THROW " gb-fail gb-msgn
  gb-caught @ if s"  but got THROW " gb-msg+ gb-caught @ gb-msgn
  else s"  but the word returned normally" gb-msg+ then ;
: gb-shape ( ncells nfloats -- )        \ expected stack depths
  gb-shape-ok @ 0= if 2drop exit then
  2dup gb-fdepth @ = swap gb-adepth @ = and if 2drop exit then
  gb-shape-ok off
  s" stack: expected " gb-fail swap gb-msgn s"  cells" gb-msg+
  ?dup if s"  and " gb-msg+ gb-msgn s"  floats" gb-msg+ then
  s"  but got" gb-msg+ gb-stack-msg ;
: gb-cell ( i x -- )                    \ saved cell i must equal x
  gb-shape-ok @ 0= if 2drop exit then
  over gb-act@ over = if 2drop exit then
  s" cell " gb-fail swap dup gb-msgn s" : expected " gb-msg+ swap gb-msgn
  s"  got " gb-msg+ gb-act@ gb-msgn ;
: gb-str ( i c-addr u -- )              \ saved cells i, i+1 must be a string with this text
  gb-shape-ok @ 0= if drop 2drop exit then
  2>r dup gb-act@ over 1+ gb-act@ ( i a u )
  dup 0 1000000 within 0= if
    s" cells " gb-fail rot gb-msgn s"  and +1: not a string (length " gb-msg+ gb-msgn
    s" )" gb-msg+ drop 2r> 2drop exit then
  2dup 2r@ compare 0= if 2drop drop 2r> 2drop exit then
  rot s" string at cell " gb-fail gb-msgn s" : expected " gb-msg+
  [char] " gb-msgc 2r> gb-msg-esc [char] " gb-msgc
  s"  got " gb-msg+ [char] " gb-msgc gb-msg-esc [char] " gb-msgc ;
: gb-fclose? ( F: r1 r2 -- ) ( -- flag ) \ equal within relative 1e-9
  fover fover f= if fdrop fdrop true exit then
  fover fover f- fabs frot fabs frot fabs fmax 1e-9 f* f<= ;
: gb-float ( i -- ) ( F: r -- )         \ saved float i must be close to r
  gb-shape-ok @ 0= if drop fdrop exit then
  dup gb-fact@ fover gb-fclose? if drop fdrop exit then
  s" float " gb-fail dup gb-msgn s" : expected " gb-msg+ gb-msgf
  s" got " gb-msg+ gb-fact@ gb-msgf ;
: gb-printed ( c-addr u -- )            \ the captured text must equal this
  gb-capover @ if 2drop s" printed more than 64 KiB" gb-fail exit then
  2dup gb-cap gb-caplen @ compare 0= if 2drop exit then
  s" printed: expected " gb-fail [char] " gb-msgc gb-msg-esc [char] " gb-msgc
  s"  got " gb-msg+ [char] " gb-msgc gb-cap gb-caplen @ gb-msg-esc [char] " gb-msgc ;
: gb-report ( c-addr u i -- )           \ print the example's result line
  gb-cap-off decimal >r
  ." GB|" type ." |" r> 0 .r ." |"
  gb-fails @ if ." FAIL|" gb-msg gb-msglen @ type else ." ok" then cr gb-clear ;

\ ---- markers ----------------------------------------------------------------
\ gforth 0.7.3's MARKER, run from a file, leaves the file being loaded out of
\ its count of included files, so every mark set and run in a file shrinks
\ that count by one; after about 45 the list is corrupt and INCLUDED fails
\ (ENOMEM). A MARKER made inside EVALUATE counts every file.
: gb-ex-mark ( -- )  s" marker gb-ex" evaluate ;      \ around one example (or task)
: gb-task-mark ( -- )  s" marker gb-task" evaluate ;  \ around one task file

\ ---- batch driver -----------------------------------------------------------
create gb-id 256 allot  variable gb-idlen
: gb-id! ( c-addr u -- )  255 min dup gb-idlen ! gb-id swap move ;
: gb-include ( c-addr u -- code )  ['] included catch dup if nip nip then ;
: gb-done ( code -- )                   \ immediate: works even if a task left STATE on
  postpone [ gb-cap-off decimal
  ?dup if ." GB-ERR|" gb-id gb-idlen @ type ." |" 0 .r cr then gb-clear ; immediate
