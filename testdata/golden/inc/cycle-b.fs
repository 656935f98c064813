\ inc/cycle-b.fs -- includes cycle-a.fs: a cycle
include cycle-a.fs
: from-b ( -- n )  2 ;
