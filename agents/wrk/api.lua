-- wrk script for the fastforth HTTP API:
--   wrk -t2 -c16 -d10s -s api.lua http://127.0.0.1:8080 -- ROUTE [unique]
-- ROUTE is health, verify, infer, check, compose, generate, patterns or
-- words. With "unique" every request's body names a new word, so no
-- answer comes from the server's answer cache (each is analysed).
local bodies = {
  verify   = '{"code": ": max%d ( a b -- m ) 2dup < if swap then drop ;", "effect": "( a b -- max )"}',
  infer    = '{"text": ": sq%d ( n -- n*n ) dup * ;\\n: cube ( n -- n^3 ) dup sq%d * ;"}',
  check    = '{"text": ": sq%d ( n -- n*n ) dup * ;\\n: bad ( a b -- c ) swap ;"}',
  compose  = '{"words": "over over + rot drop%d", "stack": "a b", "definitions": ": drop%d drop ;"}',
  generate = '{"name": "order%d", "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001", "params": {"cmp": "<"}, "examples": [{"inputs": [1, 3], "outputs": [3, 1]}]}',
}
local route, unique, counter, fixed, head, parts

function init(args)
  route = args[1] or "health"
  unique = args[2] == "unique"
  counter = 0
  local tid = tonumber(tostring({}):match("0x(%x+)"), 16) or 0
  counter = (tid % 100000) * 1000000 -- a range of names per thread
  if route == "health" then
    fixed = wrk.format("GET", "/health")
  elseif route == "patterns" then
    fixed = wrk.format("GET", "/v1/patterns?query=sum+range&limit=3&brief=true")
  elseif route == "words" then
    fixed = wrk.format("GET", "/v1/words/swap")
  elseif not unique then
    fixed = wrk.format("POST", "/v1/" .. route, {["Content-Type"] = "application/json"}, bodies[route]:gsub("%%d", "1"))
  else
    -- A new body each time, made by concatenation: the request line and
    -- headers wrk.format would write, once, and the body's text around
    -- the number. (gsub and wrk.format for every request cost wrk as
    -- much CPU as the server spent answering a cached request: on a
    -- 2-core machine the load generator's CPU is the server's loss.)
    head = "POST /v1/" .. route .. " HTTP/1.1\r\nHost: " .. wrk.headers["Host"] ..
      "\r\nContent-Type: application/json\r\nContent-Length: "
    parts = {}
    for piece in (bodies[route] .. "%d"):gmatch("(.-)%%d") do parts[#parts + 1] = piece end
  end
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  local n = tostring(counter)
  local b = parts[1]
  for i = 2, #parts do b = b .. n .. parts[i] end
  return head .. #b .. "\r\n\r\n" .. b
end

function done(summary, latency, requests)
  -- done runs apart from the threads (no args here): run.sh labels the line.
  local s = summary.requests / (summary.duration / 1e6)
  io.write(string.format("%9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d (non-2xx %d)  requests %d\n",
    s, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    summary.errors.status, summary.requests))
end
