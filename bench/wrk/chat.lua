-- wrk script: POSTs the ~1 KB chat request of bench/fixtures/chat-request.json with a Bearer key.
--
-- Settings come from the environment (wrk passes no named arguments):
--   BENCH_BODY     path of the request template (required); its "[req:0]" marker is replaced per request
--   BENCH_KEY      the Bearer key (required)
--   BENCH_MODEL    replaces the template's "model" value (optional)
--   BENCH_UNIQUE   "1": every request gets a distinct body (the cache-MISS path), otherwise one fixed body
--   BENCH_NONCE    makes bodies of this run distinct from those of every other run (repeats, warm-ups)
--   BENCH_HEADERS  extra headers, "Name: value" separated by "|" (e.g. Portkey's routing headers)
--
-- The same script drives every target, so the load generator does the same work whatever is measured.
-- done() prints one machine-readable line that bench/run.sh parses; latencies are in microseconds.

local marker = "[req:0]"
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

local function read_file(path)
  local file = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local content = file:read("*a")
  file:close()
  return content
end

local prefix, suffix, headers, fixed, nonce
local counter = 0

function init(args)
  local template = read_file(assert(os.getenv("BENCH_BODY"), "BENCH_BODY is not set")):gsub("%s+$", "")
  local model = os.getenv("BENCH_MODEL")
  if model and model ~= "" then
    template = template:gsub('"model":"[^"]*"', '"model":"' .. model .. '"', 1)
  end

  local at = assert(template:find(marker, 1, true), "the request template has no " .. marker .. " marker")
  prefix = template:sub(1, at - 1)
  suffix = template:sub(at + #marker)
  nonce = os.getenv("BENCH_NONCE") or "0"

  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_KEY"), "BENCH_KEY is not set"),
  }
  for name, value in (os.getenv("BENCH_HEADERS") or ""):gmatch("([^:|]+):%s*([^|]*)") do
    headers[name] = value
  end

  if os.getenv("BENCH_UNIQUE") ~= "1" then
    fixed = wrk.format("POST", nil, headers, prefix .. "[req:" .. nonce .. "]" .. suffix)
  end
end

function request()
  if fixed then
    return fixed
  end

  counter = counter + 1
  return wrk.format("POST", nil, headers,
    prefix .. "[req:" .. nonce .. "-" .. tostring(thread_id) .. "-" .. counter .. "]" .. suffix)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d p50_us=%.0f p90_us=%.0f p99_us=%.0f\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
