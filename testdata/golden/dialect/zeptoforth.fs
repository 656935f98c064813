\ zeptoforth idioms: modules, module paths, fixed-point literals, [immediate].
begin-module geometry

  begin-module geometry-internal
    : sq ( n -- n*n ) dup * ;
  end-module> import

  : area ( w h -- a ) * ;
  : half ( -- d ) 0,5 ;
  : diag2 ( a b -- c ) sq swap sq + ;

end-module

: use-area ( -- a ) 3 4 geometry::area ;
: big ( -- n ) $8000_0000 62_500_000 + ;
: wrong ( a -- b c ) geometry::area ;
: x-bad ( -- ) ;
: kind ( c-addr u -- n )
  case s" TCP" ofstr 1 endof s" UDP" ofstr 2 endof ['] x-bad ?raise endcasestr ;
: quarter ( -- n ) 0;25 ;
3 0 ?do i { c } c drop loop
begin 2 { x } x 3 end + drop
