package machine

// The external tests (package machine_test) import the pattern library,
// which imports this package: these give them the internal helpers.
var (
	DiffPrologue        = diffPrologue
	RunGforthText       = runGforthText
	RunMachineText      = runMachineText
	SplitRuns           = splitRuns
	SameModuloAddresses = sameModuloAddresses
)
