\ program.fs -- a small, realistic program: a ring buffer of cells and a
\ word-frequency style tokenizer over a counted buffer.

16 constant #slots
create ring  #slots cells allot
variable head   variable tail   variable used

: ring-reset ( -- )  0 head !  0 tail !  0 used ! ;
: wrap ( i -- i' )  1+ #slots mod ;
: ring-full? ( -- f )  used @ #slots = ;
: ring-empty? ( -- f )  used @ 0= ;
: slot ( i -- addr )  cells ring + ;

: ring-put ( x -- )
  ring-full? abort" ring full"
  tail @ slot !  tail @ wrap tail !  1 used +! ;

: ring-get ( -- x )
  ring-empty? abort" ring empty"
  head @ slot @  head @ wrap head !  -1 used +! ;

: ring-sum ( -- n )
  0  used @ 0 ?do  head @ i + #slots mod slot @ +  loop ;

\ skip blanks, then measure the next word of a string
: skip-blanks ( c-addr u -- c-addr' u' )
  dup 0 ?do  over c@ bl <> if leave then  1 /string  loop ;
: word-length ( c-addr u -- n )
  0 -rot  bounds ?do  i c@ bl = if leave then 1+  loop ;
: count-words ( c-addr u -- n )
  0 >r
  begin skip-blanks dup while
    r> 1+ >r
    2dup word-length /string
  repeat 2drop r> ;

: demo ( -- )
  ring-reset  10 0 do i ring-put loop
  ring-sum .  ring-get drop  ring-sum . cr
  s"  two  words" count-words . cr ;
