//go:build !unix

package analysis

// openNoBlock: there are no FIFOs to open here.
const openNoBlock = 0
