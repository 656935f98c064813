package httpapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"

	"github.com/google/jsonschema-go/jsonschema"
)

// openAPI is the API's OpenAPI 3.1 document, made once from the route
// table: the request and answer schemas come from the Go types the
// handlers decode and encode (as the MCP tools' schemas do), so the
// document cannot drift from the handlers; TestOpenAPI calls every
// documented operation with its example and checks the answer against
// the documented schema.
func (s *Server) openAPI() []byte {
	s.openOnce.Do(func() {
		doc, err := s.openAPIDoc()
		if err != nil {
			doc = map[string]any{"error": err.Error()}
		}
		s.openDoc, _ = marshal(doc)
	})
	return s.openDoc
}

// openAPIState is the document, made once.
type openAPIState struct {
	openOnce sync.Once
	openDoc  []byte
}

func (s *Server) openAPIDoc() (map[string]any, error) {
	schemas := map[string]any{}
	ref := func(v any) (map[string]any, error) {
		t := reflect.TypeOf(v)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		name := t.Name()
		if _, done := schemas[name]; !done {
			sc, err := jsonschema.ForType(t, &jsonschema.ForOptions{})
			if err != nil {
				return nil, err
			}
			schemas[name] = sc
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}, nil
	}
	errRef, err := ref(errorAnswer{})
	if err != nil {
		return nil, err
	}
	errResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
	}
	paths := map[string]any{}
	for _, rt := range s.routes {
		if rt.name == "mcp" {
			continue // the MCP protocol, not this API
		}
		ops := map[string]any{}
		for _, m := range rt.methods {
			if m == "HEAD" {
				continue
			}
			op := map[string]any{"operationId": rt.name, "summary": rt.summary}
			responses := map[string]any{
				"400":     errResp("bad-json, unknown-field, missing-field or invalid-argument"),
				"405":     errResp("method-not-allowed"),
				"413":     errResp("too-large: the body is over --max-body"),
				"429":     errResp("rate-limited: over --rate; Retry-After says when to retry"),
				"503":     errResp("timeout: the request took longer than --timeout"),
				"default": errResp("an error: {error: {code, message, field?, details?}}"),
			}
			if !rt.public {
				responses["401"] = errResp("unauthorized: the bearer token is missing or wrong (--token)")
				op["security"] = []any{map[string]any{"bearer": []any{}}}
			}
			ok := map[string]any{"description": "OK"}
			switch {
			case rt.response != nil:
				r, err := ref(rt.response)
				if err != nil {
					return nil, err
				}
				ok["content"] = map[string]any{"application/json": map[string]any{"schema": r}}
			case rt.name == "metrics":
				ok["content"] = map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}
			default:
				ok["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}
			}
			responses["200"] = ok
			op["responses"] = responses
			if rt.request != nil {
				r, err := ref(rt.request)
				if err != nil {
					return nil, err
				}
				media := map[string]any{"schema": r}
				if rt.example != "" {
					var ex any
					if json.Unmarshal([]byte(rt.example), &ex) == nil {
						media["example"] = ex
					}
				}
				op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": media}}
			}
			var params []any
			for _, p := range rt.params {
				params = append(params, map[string]any{"name": p.name, "in": p.in, "required": p.required,
					"description": p.description, "schema": map[string]any{"type": "string"}})
			}
			if params != nil {
				op["parameters"] = params
			}
			if rt.request == nil && rt.example != "" {
				op["x-example"] = exampleURL(rt)
			}
			ops[strings.ToLower(m)] = op
		}
		paths[rt.pattern] = ops
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Fast Forth HTTP API", "version": s.cfg.Version,
			"description": "Static stack-effect analysis, verification, code generation and tests for Forth: the same JSON shapes as the fastforth CLI's --json and its MCP tools."},
		"paths": paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}, nil
}

// exampleURL is a GET route's example request.
func exampleURL(rt *route) string {
	if strings.Contains(rt.pattern, "{") {
		i := strings.Index(rt.pattern, "{")
		return rt.pattern[:i] + rt.example
	}
	return rt.pattern + "?" + rt.example
}
