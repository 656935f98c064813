package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"go.uber.org/zap"
)

// ShutdownGrace bounds how long a shutdown waits for requests in flight.
const ShutdownGrace = 30 * time.Second

// Listen opens the server's address. A server bound beyond the loopback
// needs a token.
func (s *Server) Listen() (net.Listener, error) {
	if !IsLoopback(s.cfg.Addr) && s.cfg.Token == "" {
		return nil, fmt.Errorf("%s is not a loopback address: a token is required (--token or FASTFORTH_TOKEN)", s.cfg.Addr)
	}
	return net.Listen("tcp", s.cfg.Addr)
}

// Serve answers on ln until ctx is done, then shuts down gracefully:
// it stops accepting, lets the requests in flight finish (up to
// ShutdownGrace), and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		s.loopback.Store(true)
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.Timeout + 10*time.Second,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          zap.NewStdLog(s.cfg.Logger.Named("http")),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(newLimitListener(ln, s.cfg.MaxConns)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.cfg.Logger.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
