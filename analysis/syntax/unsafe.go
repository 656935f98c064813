package syntax

import "unsafe"

// unsafeString views b as a string without copying. Callers use the result
// only for map look-ups and comparisons and never keep it.
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
