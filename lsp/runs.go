package lsp

import "slices"

// sortRuns sorts xs by before, stably, by merging its sorted runs two by
// two: linear when they are few. The lists of a file's tokens and
// occurrences are made definition by definition, each sorted on its own,
// then the top-level ones: a handful of runs that a general stable sort
// went over at length (a second for the 160,000-line file). It returns
// the sorted slice, xs itself or one of its length.
func sortRuns[T any](xs []T, before func(a, b T) bool) []T {
	bounds := []int{0}
	for i := 1; i < len(xs); i++ {
		if before(xs[i], xs[i-1]) {
			bounds = append(bounds, i)
		}
	}
	bounds = append(bounds, len(xs))
	src, dst := xs, []T(nil)
	for len(bounds) > 2 {
		if dst == nil {
			dst = make([]T, len(xs))
		}
		next := bounds[:1]
		for i := 0; i+1 < len(bounds); i += 2 {
			lo, mid, hi := bounds[i], bounds[i+1], bounds[i+1]
			if i+2 < len(bounds) {
				hi = bounds[i+2]
			}
			mergeRuns(dst[lo:hi], src[lo:mid], src[mid:hi], before)
			next = append(next, hi)
		}
		bounds = next
		src, dst = dst, src
	}
	return src
}

// mergeRuns merges the sorted a and b into out, a's first on ties.
func mergeRuns[T any](out, a, b []T, before func(a, b T) bool) {
	k := 0
	for len(a) > 0 && len(b) > 0 {
		if before(b[0], a[0]) {
			out[k], b = b[0], b[1:]
		} else {
			out[k], a = a[0], a[1:]
		}
		k++
	}
	k += copy(out[k:], a)
	copy(out[k:], b)
}

// sortStable sorts the few items of one definition by before, stably.
func sortStable[T any](xs []T, before func(a, b T) bool) {
	slices.SortStableFunc(xs, func(a, b T) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
}
