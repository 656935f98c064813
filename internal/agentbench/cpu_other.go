//go:build !unix

package agentbench

import "time"

func cpuSelf() time.Duration     { return 0 }
func cpuChildren() time.Duration { return 0 }
func cpuOf(int) time.Duration    { return 0 }
