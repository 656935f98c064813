package lsp

import (
	"fmt"
	"slices"
	"strconv"

	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
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

// TestFramesWriteKeepsNoLargeBuffer: a large answer is written in one
// frame and its buffer is not kept for the rest of the session (jsonrpc2's
// own stream kept one as large as the largest message ever sent).
func TestFramesWriteKeepsNoLargeBuffer(t *testing.T) {
	ctx := context.Background()
	var out writes
	f := newFrames(rwc{strings.NewReader(""), &out}, 0)
	small := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(1), jsonrpc2.RawMessage(`{"a":1}`), nil)
	if _, err := f.Write(ctx, small); err != nil {
		t.Fatal(err)
	}
	const size = 16 << 20
	before := liveHeapBytes()
	big := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(2), jsonrpc2.RawMessage(`"`+strings.Repeat("x", size)+`"`), nil)
	if _, err := f.Write(ctx, big); err != nil {
		t.Fatal(err)
	}
	big = nil
	if kept := int64(liveHeapBytes()) - int64(before); kept > size/4 {
		t.Errorf("writing a 16 MB message kept %d MB", kept>>20)
	}
	// One write a frame, each whole.
	body := `{"jsonrpc":"2.0","id":1,"result":{"a":1}}`
	bigBody := len(`{"jsonrpc":"2.0","id":2,"result":""}`) + size
	want := []string{
		lspFrame(body),
		fmt.Sprintf("Content-Length: %d\r\n\r\n{\"jsonrpc\"... %d bytes ...x\"}", bigBody, bigBody+len(fmt.Sprint(bigBody))+20),
	}
	if !slices.Equal(out.got, want) {
		t.Errorf("writes\n%q\nwant\n%q", out.got, want)
	}
	runtime.KeepAlive(f)
}

// writes records each write, the long ones abridged.
type writes struct{ got []string }

func (w *writes) Write(p []byte) (int, error) {
	s := string(p)
	if len(p) > 1000 {
		head := s[:bytes.Index(p, []byte("\r\n\r\n"))+4]
		s = fmt.Sprintf("%s%s... %d bytes ...%s", head, s[len(head):len(head)+10], len(p), s[len(s)-3:])
	}
	w.got = append(w.got, s)
	return len(p), nil
}

// liveHeapBytes is the heap in use after a collection.
func liveHeapBytes() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
