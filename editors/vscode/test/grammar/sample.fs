\ A comment line: words in it are not code ( nor is this )
\G A documentation comment.
( a paren comment
  over two lines -- with dup inside )
: square ( n -- n*n ) dup * ;
:noname ( -- ) ." anonymous" ; drop
: greet  s" hello" type  s\" tab\there \"quoted\"" type  c" counted" count type ;
: shout  ." Hi!" cr .( at compile time) abort" failed" ;
: letters  char A emit [char] z emit 'x' emit ;
: nums  42 -7 $ff $-1F 0x1A #10 &99 %1011 1. -12. 1e 3.5e-2 2drop 2drop ;
variable counter  2variable pair  create table 10 cells allot
10 constant ten  0 value level  defer hook  ' square is hook
: loops ( n -- )  0 ?do i 2 mod if i . else leave then loop  begin dup while 1- repeat drop ;
: choose ( n -- ) case 1 of ." one" endof 2 of ." two" endof endcase ;
[defined] square [if] include lib/extra.fs [else] require tester.fs [then]
: tick  ['] square execute postpone dup ;
1 to level  s" unterminated
not-a-comment\ (not-a-comment x\y
