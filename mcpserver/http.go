package mcpserver

import (
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// HTTPHandler serves the server over streamable HTTP (one session per
// client, answers as JSON or server-sent events as the client asks),
// with the SDK's protection against DNS rebinding for loopback
// addresses and a limit on request bodies.
func HTTPHandler(s *mcp.Server, maxBody int64) http.Handler {
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s },
		&mcp.StreamableHTTPOptions{MaxRequestBodyBytes: maxBody, SessionTimeout: 30 * time.Minute})
}
