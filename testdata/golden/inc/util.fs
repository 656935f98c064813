\ inc/util.fs -- requires base.fs (already loaded: skipped)
require base.fs
: inc-quad ( n -- n4 )  inc-square inc-square ;
