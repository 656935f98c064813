package lsp

import (
	"fmt"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger builds the server's logger from the options: a file at debug
// level, else the given writer (standard error) at info level, else
// nothing. The returned function flushes and closes what it opened.
func newLogger(opts Options) (*zap.Logger, func(), error) {
	if opts.Logger != nil {
		return opts.Logger, func() {}, nil
	}
	enc := zap.NewDevelopmentEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	switch {
	case opts.LogFile != "":
		f, err := os.OpenFile(opts.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("opening the log file: %w", err)
		}
		core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.Lock(f), zap.DebugLevel)
		log := zap.New(core, zap.ErrorOutput(zapcore.Lock(f)))
		return log, func() { _ = log.Sync(); _ = f.Close() }, nil
	case opts.LogWriter != nil:
		w := zapcore.Lock(zapcore.AddSync(opts.LogWriter))
		core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), w, zap.InfoLevel)
		log := zap.New(core, zap.ErrorOutput(w))
		return log, func() { _ = log.Sync() }, nil
	}
	return zap.NewNop(), func() {}, nil
}
