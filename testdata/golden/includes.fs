\ includes.fs -- an include tree with a cycle.
include inc/base.fs
require inc/util.fs
include inc/cycle-a.fs
s" inc/base.fs" required
include inc/no-such-file.fs

: use-all ( n -- a b c )  dup inc-cube over inc-quad rot from-a + from-b + ;
