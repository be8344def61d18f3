-- wrk script of bench/routing.sh: chat.lua's requests (same settings: BENCH_BODY, BENCH_KEY, BENCH_MODEL, BENCH_UNIQUE,
-- BENCH_NONCE, BENCH_HEADERS), and what the Gateway's answers say about routing, from their headers:
--   aig-target    the target that served the answer: requests per target
--   aig-attempts  how many attempts the answer took: answers that needed a retry, and attempts in all
-- done() prints chat.lua's BENCH_RESULT line, then one ROUTING_RESULT line:
--   ROUTING_RESULT answers=N retried=N attempts=N targets=name:count,name:count,...
-- Reading headers costs wrk some CPU per response (a response() function makes it parse them), which the throughput
-- of a few hundred requests a second this benchmark runs at does not notice.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "chat.lua")

local chat_setup, chat_done = setup, done
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  chat_setup(thread)
end

-- Per thread (each has its own Lua state); done() adds them up.
answers, retried, attempts, targets = 0, 0, 0, {}

function response(status, headers, body)
  answers = answers + 1
  local n = tonumber(headers["aig-attempts"] or "")
  if n then
    attempts = attempts + n
    if n > 1 then
      retried = retried + 1
    end
  end
  local target = headers["aig-target"]
  if target and status < 400 then
    targets[target] = (targets[target] or 0) + 1
  end
end

function done(summary, latency, requests)
  chat_done(summary, latency, requests)
  local total = { answers = 0, retried = 0, attempts = 0 }
  local by_target = {}
  for _, thread in ipairs(threads) do
    for key in pairs(total) do
      total[key] = total[key] + (thread:get(key) or 0)
    end
    for name, count in pairs(thread:get("targets") or {}) do
      by_target[name] = (by_target[name] or 0) + count
    end
  end
  local parts = {}
  for name, count in pairs(by_target) do
    table.insert(parts, name .. ":" .. count)
  end
  table.sort(parts)
  io.write(string.format("ROUTING_RESULT answers=%d retried=%d attempts=%d targets=%s\n",
    total.answers, total.retried, total.attempts, table.concat(parts, ",")))
end
