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

// frames reads LSP frames ("Content-Length: N\r\n\r\n" and N bytes) with
// bounds on every part. Each body is a new slice of exactly its size, so
// nothing of a large message is kept once it is handled. Writes go to
// the embedded jsonrpc2 stream.
type frames struct {
	jsonrpc2.Stream
	r       *bufio.Reader
	maxBody int64
}

func newFrames(rwc io.ReadWriteCloser, maxBody int64) *frames {
	if maxBody <= 0 {
		maxBody = DefaultMaxMessage
	}
	return &frames{Stream: jsonrpc2.NewStream(rwc), r: bufio.NewReaderSize(rwc, 64<<10), maxBody: maxBody}
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
