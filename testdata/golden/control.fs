\ control.fs -- every control structure, each word with an exact stack comment.

\ IF ... THEN and IF ... ELSE ... THEN
: clamp0 ( n -- u )  dup 0< if drop 0 then ;
: signum ( n -- -1|0|1 )  dup 0< if drop -1 else 0> if 1 else 0 then then ;
: max3 ( a b c -- m )  max max ;

\ AHEAD ... THEN jumps over code that never runs
: skip-it ( -- n )  ahead 99 drop then 7 ;

\ BEGIN ... UNTIL, BEGIN ... AGAIN with EXIT, BEGIN ... WHILE ... REPEAT
: countdown ( n -- )  begin dup . 1- dup 0= until drop ;
: forever ( n -- n' )  begin 1+ dup 100 > if exit then again ;
: digits ( u -- n )  0 swap begin dup while 10 / swap 1+ swap repeat drop ;

\ two WHILEs: the second one is resolved by an extra THEN
: find-5 ( n -- n )  begin dup 10 < while dup 5 <> while 1+ repeat then ;

\ DO ... LOOP, ?DO ... +LOOP, I and J, LEAVE, UNLOOP EXIT
: sum-to ( n -- sum )  0 swap 1+ 0 ?do i + loop ;
: evens ( n -- )  0 ?do i . 2 +loop ;
: times-table ( -- )  4 1 do 4 1 do i j * . loop cr loop ;
: first-big ( n -- i|-1 )  0 ?do i 10 > if i unloop exit then loop -1 ;
: until-7 ( -- )  10 0 do i 7 = if leave then i . loop ;

\ CASE ... OF ... ENDOF ... ENDCASE
: weekday ( n -- c-addr u )
  case
    0 of s" sun" endof
    6 of s" sat" endof
    s" mid" rot
  endcase ;

\ RECURSE, with and without a comment
: fib ( n -- f )  dup 2 < if exit then dup 1- recurse swap 2 - recurse + ;
: count-down  dup 0= if exit then 1- recurse ;

\ EXIT from the middle
: nonneg? ( n -- f )  0< if false exit then true ;
