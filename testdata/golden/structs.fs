\ structs.fs -- Forth 2012 structures and gforth's struct words.

begin-structure point
  field: p.x
  field: p.y
end-structure

begin-structure rect
  point +field r.origin
  point +field r.extent
  cfield: r.flags
  2field: r.tag
end-structure

: point! ( x y p -- )  tuck p.y ! p.x ! ;
: point@ ( p -- x y )  dup p.x @ swap p.y @ ;
: area ( rect -- n )  r.extent dup p.x @ swap p.y @ * ;
: new-rect ( -- rect )  here rect allot ;
: flag-on ( rect -- )  r.flags 1 swap c! ;

\ gforth's older struct words
struct
  cell% field n.next
  cell% field n.value
end-struct node%

: node-value ( node -- x )  n.value @ ;
: link ( node1 node2 -- )  n.next ! ;
