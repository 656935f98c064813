\ ESP32forth idioms: raw strings across lines, for aft then next.
: page ( -- a n ) r| <html>
<body>hello</body>
</html>| ;
: spaces' ( n -- ) 0 max for aft space then next ;
: sum-to ( n -- m ) 0 swap for i + next ;
: pin-high ( pin -- ) HIGH digitalWrite ;
: broken ( a -- ) drop drop ;
