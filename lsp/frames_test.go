package lsp

import (
	"strconv"

	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"go.uber.org/zap"
)

type rwc struct {
	io.Reader
	io.Writer
}

func (rwc) Close() error { return nil }

func lspFrame(body string) string {
	return "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

// TestFrames: framing survives and bounds what a client can send.
func TestFrames(t *testing.T) {
	ctx := context.Background()
	t.Run("a header line that never ends", func(t *testing.T) {
		in := strings.NewReader("Content-Length: " + strings.Repeat("9", 1<<20))
		f := newFrames(rwc{in, io.Discard}, 0)
		if _, _, err := f.ReadFrame(ctx); !errors.Is(err, errHeader) {
			t.Fatalf("err %v, want a header error", err)
		}
		// Reading stops soon after the limit (one buffer's worth).
		if read := 1<<20 + 16 - in.Len(); read > 128<<10 {
			t.Errorf("read %d bytes of a broken header", read)
		}
	})
	t.Run("too many header lines", func(t *testing.T) {
		in := strings.NewReader(strings.Repeat("X-A: b\r\n", 100))
		if _, _, err := newFrames(rwc{in, io.Discard}, 0).ReadFrame(ctx); !errors.Is(err, errHeader) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("a message over the limit is skipped, the next is read", func(t *testing.T) {
		big := `{"jsonrpc":"2.0","id":1,"method":"x","params":"` + strings.Repeat("a", 5000) + `"}`
		small := `{"jsonrpc":"2.0","id":2,"method":"y"}`
		f := newFrames(rwc{strings.NewReader(lspFrame(big) + lspFrame(small)), io.Discard}, 1000)
		_, _, err := f.ReadFrame(ctx)
		var tl *tooLarge
		if !errors.As(err, &tl) || tl.size != int64(len(big)) {
			t.Fatalf("first: %v", err)
		}
		body, _, err := f.ReadFrame(ctx)
		if err != nil || string(body) != small {
			t.Fatalf("second: %q %v", body, err)
		}
	})
	t.Run("the stream answers a skipped message and goes on", func(t *testing.T) {
		big := `{"jsonrpc":"2.0","id":1,"method":"x","params":"` + strings.Repeat("a", 5000) + `"}`
		small := `{"jsonrpc":"2.0","id":2,"method":"y"}`
		var out bytes.Buffer
		st := newStream(newFrames(rwc{strings.NewReader(lspFrame(big) + lspFrame(small)), &out}, 1000), zap.NewNop())
		msg, _, err := st.Read(ctx)
		if err != nil || msg == nil {
			t.Fatalf("read: %v", err)
		}
		if !strings.Contains(out.String(), `"id":null`) || !strings.Contains(out.String(), "skipped") {
			t.Errorf("answer to the skipped message: %q", out.String())
		}
	})
	t.Run("no Content-Length", func(t *testing.T) {
		if _, _, err := newFrames(rwc{strings.NewReader("X: y\r\n\r\n{}"), io.Discard}, 0).ReadFrame(ctx); !errors.Is(err, errHeader) {
			t.Fatalf("err %v", err)
		}
	})
}
