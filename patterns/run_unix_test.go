//go:build unix

package patterns

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// A test that starts a process of its own: the timeout must end it too
// (it would otherwise outlive the run, holding gforth's output open).
func TestRunTimeoutKillsProcessGroup(t *testing.T) {
	bin := gforthtest.Path(t)
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	res, err := RunGforth(ctx, bin, []Unit{{ID: "sh", Tests: `T{ s" sleep 60 & echo $! > ` + pidFile + `; wait" system -> }T`}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Tests[0].Message != TimedOut {
		t.Errorf("%+v", res[0])
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// Killed, it is gone or (when nothing reaps orphans) a zombie.
	if syscall.Kill(pid, 0) == nil {
		stat, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if f := strings.Fields(string(stat)); len(f) < 3 || f[2] != "Z" {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("the test's child process %d survived the timeout (%s)", pid, stat)
		}
	}
}
