package lsp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// Limits of the framing: a client (or anything else writing to the
// server's input) cannot make it hold more than this per message.
const (
	// maxHeaderLine bounds one header line; a longer one (or one that
	// never ends) ends the session: the framing cannot be trusted after
	// it.
	maxHeaderLine = 8 << 10
	// maxHeaders bounds the header lines of one message.
	maxHeaders = 32
	// DefaultMaxMessage is the largest message body read by default; a
	// larger one is skipped (read and thrown away in pieces) and answered
	// with an error, and the session goes on.
	DefaultMaxMessage = 64 << 20
)

// errHeader is a broken header: the session ends.
var errHeader = errors.New("bad message header")

// tooLarge is a message skipped for its size.
type tooLarge struct{ size, max int64 }

func (e *tooLarge) Error() string {
	return fmt.Sprintf("message of %d bytes skipped: the limit is %d", e.size, e.max)
}

// keepWriteBuf bounds the write buffer frames keeps between messages:
// a larger answer (the semantic tokens or symbols of a big file) is
// composed in a buffer of its own, dropped once written. jsonrpc2's own
// stream keeps its buffer at the size of the largest message ever sent,
// tens of MB for the rest of the session.
const keepWriteBuf = 64 << 10

// frames reads LSP frames ("Content-Length: N\r\n\r\n" and N bytes) with
// bounds on every part. Each body is a new slice of exactly its size, so
// nothing of a large message is kept once it is handled. It writes them
// too, keeping no more than keepWriteBuf between writes; Close goes to
// the embedded jsonrpc2 stream.
type frames struct {
	jsonrpc2.Stream
	w       io.Writer
	r       *bufio.Reader
	maxBody int64

	wmu  sync.Mutex // one frame at a time, each in one write
	wbuf []byte     // guarded by wmu
}

func newFrames(rwc io.ReadWriteCloser, maxBody int64) *frames {
	if maxBody <= 0 {
		maxBody = DefaultMaxMessage
	}
	return &frames{Stream: jsonrpc2.NewStream(rwc), w: rwc, r: bufio.NewReaderSize(rwc, 64<<10), maxBody: maxBody}
}

// Write sends one message: its header and body in one write, so that
// concurrent writers never interleave.
func (f *frames) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	// The header goes before the body, whose length is known only once
	// it is encoded: leave room for the longest header, then move the
	// body down behind the real one.
	const reserve = len("Content-Length: \r\n\r\n") + 20
	buf := append(f.wbuf[:0], make([]byte, reserve)...)
	buf = jsonrpc2.AppendMessage(buf, msg)
	n := len(buf) - reserve
	head := strconv.AppendInt(append(buf[:0], "Content-Length: "...), int64(n), 10)
	head = append(head, "\r\n\r\n"...)
	copy(buf[len(head):], buf[reserve:])
	buf = buf[:len(head)+n]
	if cap(buf) <= keepWriteBuf {
		f.wbuf = buf
	}
	written, err := f.w.Write(buf)
	return int64(written), err
}

// ReadFrame reads one message body.
func (f *frames) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	length := int64(-1)
	var read int64
	for n := 0; ; n++ {
		if n == maxHeaders {
			return nil, read, fmt.Errorf("%w: more than %d header lines", errHeader, maxHeaders)
		}
		line, err := f.line()
		read += int64(len(line))
		if err != nil {
			return nil, read, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, read, fmt.Errorf("%w: %q", errHeader, truncate([]byte(line)))
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			v, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || v < 0 {
				return nil, read, fmt.Errorf("%w: bad Content-Length %q", errHeader, value)
			}
			length = v
		}
	}
	if length < 0 {
		return nil, read, fmt.Errorf("%w: no Content-Length", errHeader)
	}
	if length > f.maxBody {
		if _, err := io.CopyN(io.Discard, f.r, length); err != nil {
			return nil, read, err
		}
		return nil, read + length, &tooLarge{length, f.maxBody}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(f.r, body); err != nil {
		return nil, read, err
	}
	return body, read + length, nil
}

// line reads one header line of at most maxHeaderLine bytes.
func (f *frames) line() (string, error) {
	var b bytes.Buffer
	for {
		chunk, err := f.r.ReadSlice('\n')
		if b.Len()+len(chunk) > maxHeaderLine {
			return "", fmt.Errorf("%w: a header line longer than %d bytes", errHeader, maxHeaderLine)
		}
		b.Write(chunk)
		switch {
		case err == nil:
			return b.String(), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && b.Len() > 0:
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}
