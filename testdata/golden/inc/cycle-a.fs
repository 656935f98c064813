\ inc/cycle-a.fs -- includes cycle-b.fs, which includes this file again
include cycle-b.fs
: from-a ( -- n )  1 ;
