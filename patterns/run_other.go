//go:build !unix

package patterns

import "os/exec"

// setProcessGroup does nothing where there are no process groups: the
// context kills gforth itself.
func setProcessGroup(cmd *exec.Cmd) {}
