// The TypeScript MCP SDK as an independent client of `fastforth mcp`:
// over stdio (the binary as a child process) and over streamable HTTP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const bin = process.env.FASTFORTH_BIN;
if (!bin) throw new Error("FASTFORTH_BIN is not set (run run-tests.sh)");

const TOOLS = ["forth_check", "forth_compose", "forth_generate", "forth_infer", "forth_patterns",
  "forth_stack_at", "forth_test", "forth_verify", "forth_word"];

function text(res) {
  return res.content.filter((c) => c.type === "text").map((c) => c.text).join("");
}

// The same checks, whatever the transport.
async function exercise(client, dir) {
  const instructions = client.getInstructions();
  assert.match(instructions, /forth_verify/);
  assert.equal(client.getServerVersion().name, "fastforth");

  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
  for (const t of tools) {
    assert.equal(t.annotations?.readOnlyHint, true, t.name);
    assert.equal(t.inputSchema.type, "object", t.name);
    assert.equal(t.outputSchema?.type, "object", t.name);
  }

  let res = await client.callTool({ name: "forth_verify", arguments: {
    code: ": max2 ( a b -- m ) 2dup < if swap then drop ;", effect: "( a b -- max )" } });
  assert.equal(res.isError, undefined);
  assert.equal(res.structuredContent.verified, true);
  assert.deepEqual(res.structuredContent.paths, ["( a b -- max )"]);
  assert.match(text(res), /^verified: max2/);

  res = await client.callTool({ name: "forth_verify", arguments: { code: ": f ( n -- n ) dup 0< if drop then ;" } });
  assert.equal(res.structuredContent.verified, false);
  assert.equal(res.structuredContent.paths.length, 2);

  res = await client.callTool({ name: "forth_compose", arguments: { words: "over over + rot", stack: "a b" } });
  assert.equal(res.structuredContent.effect, "( a b -- b x1 a )");
  assert.deepEqual(res.structuredContent.steps.map((s) => s.word), ["over", "over", "+", "rot"]);

  res = await client.callTool({ name: "forth_compose", arguments: { words: "dup * swap", stack: "n" } });
  assert.equal(res.structuredContent.underflow.word, "swap");

  res = await client.callTool({ name: "forth_stack_at", arguments: {
    text: ": sum3 ( a b c -- s ) + + ;", definition: "sum3", word: "+", occurrence: 2 } });
  assert.deepEqual(res.structuredContent.before, ["( a s )"]);
  assert.deepEqual(res.structuredContent.after, ["( s )"]);

  res = await client.callTool({ name: "forth_word", arguments: { name: "swap" } });
  assert.equal(res.structuredContent.effect, "( x1 x2 -- x2 x1 )");

  res = await client.callTool({ name: "forth_check", arguments: { path: join(dir, "lib.fs") } });
  assert.equal(res.structuredContent.errors, 1);
  assert.equal(res.structuredContent.diagnostics[0].code, "undefined-word");

  res = await client.callTool({ name: "forth_infer", arguments: { text: ": sq ( n -- n*n ) dup * ;" } });
  assert.equal(res.structuredContent.definitions[0].status, "verified");

  res = await client.callTool({ name: "forth_generate", arguments: {
    name: "order-desc", effect: "( a b -- hi lo )", pattern: "stack-sort2-001", params: { cmp: "<" },
    examples: [{ inputs: [1, 3], outputs: "3 1" }] } });
  assert.equal(res.structuredContent.ok, true);
  assert.equal(res.structuredContent.testResults.runner, "machine");

  res = await client.callTool({ name: "forth_patterns", arguments: { query: "sum range", limit: 2, brief: true } });
  assert.equal(res.structuredContent.patterns[0].id, "loop-sum-range-001");

  res = await client.callTool({ name: "forth_test", arguments: { text: ": sq dup * ;\nT{ 3 sq -> 9 }T\nT{ 3 sq -> 8 }T\n" } });
  assert.equal(res.structuredContent.summary.passed, 1);
  assert.equal(res.structuredContent.summary.failed, 1);
  assert.match(text(res), /expected 8, got 9/);

  res = await client.callTool({ name: "forth_word", arguments: { name: "no-such-word" } });
  assert.equal(res.isError, true);
  assert.match(text(res), /not-found/);
}

let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "fastforth-mcp-ts-"));
  writeFileSync(join(dir, "fastforth.toml"), 'dialect = "standard"\n');
  writeFileSync(join(dir, "lib.fs"), ": sq ( n -- n*n ) dup * ;\n: f ( a -- b ) -rot ;\n");
});

test("stdio: the TypeScript SDK client drives fastforth mcp", async () => {
  const client = new Client({ name: "fastforth-ts-test", version: "1.0.0" });
  const transport = new StdioClientTransport({ command: bin, args: ["mcp"], cwd: dir, stderr: "inherit" });
  await client.connect(transport);
  try {
    await exercise(client, dir);
  } finally {
    await client.close();
  }
});

test("streamable HTTP: the TypeScript SDK client drives fastforth mcp --http", async () => {
  const proc = spawn(bin, ["mcp", "--http", "127.0.0.1:0", "--root", dir], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  try {
    // The server says where it listens on stderr.
    const url = await new Promise((resolve, reject) => {
      let buf = "";
      proc.stderr.on("data", (d) => {
        buf += d;
        const m = buf.match(/(http:\/\/[^ \n]+\/mcp)/);
        if (m) resolve(m[1]);
      });
      proc.on("exit", (code) => reject(new Error(`fastforth mcp --http exited ${code}: ${buf}`)));
    });
    const client = new Client({ name: "fastforth-ts-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      await exercise(client, dir);
    } finally {
      await client.close();
    }
  } finally {
    proc.kill("SIGTERM");
    await new Promise((resolve) => proc.once("exit", resolve));
  }
});
