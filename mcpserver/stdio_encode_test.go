package mcpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/fastforth/fastforth/query"
)

// sdkJSON encodes v as the SDK encodes a result (jsonrpc2.NewResponse):
// encoding/json without HTML escaping, no trailing newline.
func sdkJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// TestAppendResponseMatchesSDK compares the guarded transport's own
// encoding of responses with the SDK's, byte for byte, on tool results
// with every kind of text (escapes, HTML characters, Unicode, control
// characters) and IDs, and checks that it leaves every other message to
// the SDK.
func TestAppendResponseMatchesSDK(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("ab <>&\"\\\n\t\r\x00\x1f\u2028\u2029é€😀/{}[]:,")
	text := func() string {
		n := r.IntN(40)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(rs)
	}
	ids := []int64{0, 1, -1, 42, 1 << 53, -(1 << 53), 1<<63 - 1, -1 << 63}
	for i := range 2000 {
		var id int64
		if i < len(ids) {
			id = ids[i]
		} else {
			id = r.Int64() >> r.IntN(64)
		}
		code := text()
		answer := &query.VerifyResult{Word: text(), Effect: text(), Paths: []string{text(), text()}, Why: []string{text()}, Status: "mismatch",
			Diagnostics: []query.Diagnostic{{File: "input.fs", Line: r.IntN(100), Message: text(), Code: "effect-mismatch"}}}
		res := &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: code + answer.String()}}, StructuredContent: answer}
		m := &jsonrpc.Response{ID: mustID(t, float64(id)), Result: sdkJSON(t, res)}
		want, err := jsonrpc.EncodeMessage(m)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		if got := appendResponse(nil, m); !bytes.Equal(got, want) {
			t.Fatalf("id %d:\n got %s\nwant %s", id, got, want)
		}
	}
	for _, m := range []jsonrpc.Message{
		&jsonrpc.Response{ID: mustID(t, "a"), Result: json.RawMessage(`{}`)},
		&jsonrpc.Response{ID: mustID(t, 1.0), Error: errors.New("no")},
		&jsonrpc.Response{ID: mustID(t, 1.0)},
		&jsonrpc.Response{ID: mustID(t, 1.0), Result: json.RawMessage("{\n}")},
		&jsonrpc.Request{ID: mustID(t, 1.0), Method: "ping"},
	} {
		if b := appendResponse(nil, m); b != nil {
			t.Errorf("%#v: encoded as %s, want it left to the SDK", m, b)
		}
	}
}

func mustID(t *testing.T, v any) jsonrpc.ID {
	t.Helper()
	id, err := jsonrpc.MakeID(v)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestStructuredContentEncoding checks that a result whose structured
// content is the answer itself encodes to the same bytes as the answer
// encoded first (json.Marshal) and given as a json.RawMessage, as the
// server did before, on the answers of many requests of every tool that
// analyses.
func TestStructuredContentEncoding(t *testing.T) {
	svc := query.New()
	ctx := t.Context()
	texts := []string{
		": sq ( n -- n*n ) dup * ;\n: bad ( a b -- c ) swap ;",
		": max2 ( a b -- m ) 2dup < if swap then drop ;",
		": f ( n -- n ) dup 0< if drop then ;",
		": g ( a b -- a<b&c ) < ; \\ comment with <html> & \"quotes\"",
		": h ( -- ) s\" <a href=\"x\">&amp;</a>\" type ; : k h swp ;",
		": l ( x -- ) 0 do i . loop ; : m ( -- ) 1 2 3 ;",
		"variable v 3 v ! : w ( -- n ) v @ 1+ ; \u00e9\u20ac",
	}
	same := func(name string, answer fmt.Stringer, sc any) {
		t.Helper()
		raw, err := json.Marshal(answer)
		if err != nil {
			t.Fatal(err)
		}
		content := []mcp.Content{&mcp.TextContent{Text: answer.String()}}
		old := sdkJSON(t, &mcp.CallToolResult{Content: content, StructuredContent: json.RawMessage(raw)})
		now := sdkJSON(t, &mcp.CallToolResult{Content: content, StructuredContent: sc})
		if !bytes.Equal(old, now) {
			t.Errorf("%s:\n got %s\nwant %s", name, now, old)
		}
	}
	for _, text := range texts {
		if a, err := svc.Check(ctx, &query.CheckRequest{Source: query.Source{Text: text}, Hints: true}); err == nil {
			same("check "+text, a, a)
		}
		if a, err := svc.Infer(ctx, &query.InferRequest{Source: query.Source{Text: text}}); err == nil {
			same("infer "+text, a, a)
		}
		for _, eff := range []string{"", "( a b -- max )", "( x -- x x )"} {
			if a, err := svc.Verify(ctx, &query.VerifyRequest{Code: text, Effect: eff}); err == nil {
				same("verify "+text, a, a)
			}
		}
		if a, err := svc.Test(ctx, &query.TestRequest{Text: text + "\nT{ 3 sq -> 9 }T\nT{ 2 sq -> 5 }T"}); err == nil {
			same("test "+text, a, a)
		}
	}
	for _, spec := range []string{"<", ">"} {
		g, err := svc.Generate(ctx, &query.GenerateRequest{Name: "order<&>", Effect: "( a b -- hi lo )", Pattern: "stack-sort2-001",
			Params: map[string]any{"cmp": spec}})
		if err != nil {
			t.Fatal(err)
		}
		w := genResult{g}
		same("generate", w, w.unwrap())
	}
}

// TestDecodeRequestMatchesSDK checks the guarded transport's decoding
// of requests against jsonrpc.DecodeMessage on well-formed messages and
// on random mutations of them (keys in other cases, duplicate keys,
// other types, cut lines, trailing bytes, deep nesting): where it
// decodes a message, DecodeMessage decodes the same one; where
// DecodeMessage rejects a line or reads it as a response, it leaves
// the line to the SDK.
func TestDecodeRequestMatchesSDK(t *testing.T) {
	base := []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"forth_verify","arguments":{"code":": f ( a -- a ) ;"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized","params":{}}`,
		`{"jsonrpc":"2.0","id":"abc","method":"ping"}`,
		`{"jsonrpc":"2.0","id":-7.5e3,"method":"tools/list","params":null}`,
		`{"jsonrpc":"2.0","id":null,"method":"x"}`,
		`{"jsonrpc":"2.0","id":3,"result":{}}`,
		`{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"no"}}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"arguments":{"text":"a\"b\\c\u00e9\ud83d\ude00 <&>"}}}`,
		` {"method":"m\u0041","jsonrpc":"2.0","id":9007199254740993}  `,
	}
	pieces := []string{`"JSONRPC"`, `"Method"`, `"ID"`, `"id"`, `"method"`, `"params"`, `"error"`, `"result"`, `"jsonrpc"`,
		`1`, `-1`, `1.5`, `1e400`, `"s"`, `null`, `true`, `[]`, `{}`, `[[[[`, `]]`, `"2.0"`, `"1.0"`, `,`, `:`, `}`, `{`, `"\u00zz"`, "\xff", ` `}
	r := rand.New(rand.NewPCG(3, 4))
	n, agreed := 0, 0
	try := func(line string) {
		n++
		want, err := jsonrpc.DecodeMessage([]byte(line))
		got := decodeRequest([]byte(line))
		if got == nil {
			return
		}
		agreed++
		if err != nil {
			t.Fatalf("%s: decoded as %#v; DecodeMessage: %v", line, got, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %#v\nwant %#v", line, got, want)
		}
	}
	for _, b := range base {
		try(b)
		if m, err := jsonrpc.DecodeMessage([]byte(b)); err == nil {
			if _, req := m.(*jsonrpc.Request); req && decodeRequest([]byte(b)) == nil {
				t.Errorf("%s: a request left to the SDK", b)
			}
		}
	}
	try(`{"jsonrpc":"2.0","id":1,"method":"m","params":` + strings.Repeat("[", 1001) + strings.Repeat("]", 1001) + `}`)
	try(`{"jsonrpc":"2.0","id":1,"method":"m","params":` + strings.Repeat("[", 999) + strings.Repeat("]", 999) + `}`)
	for range 20000 {
		line := base[r.IntN(len(base))]
		for range 1 + r.IntN(3) {
			i := r.IntN(len(line) + 1)
			switch r.IntN(4) {
			case 0: // insert
				line = line[:i] + pieces[r.IntN(len(pieces))] + line[i:]
			case 1: // delete
				j := min(len(line), i+r.IntN(8))
				line = line[:i] + line[j:]
			case 2: // replace a key or value
				line = strings.Replace(line, pieces[r.IntN(len(pieces))], pieces[r.IntN(len(pieces))], 1)
			case 3: // cut
				line = line[:i]
			}
		}
		try(line)
	}
	if agreed < n/10 {
		t.Errorf("only %d of %d lines decoded: the mutations are too harsh to test much", agreed, n)
	}
	t.Logf("%d lines, %d decoded by decodeRequest", n, agreed)
}
