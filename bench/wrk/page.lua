-- wrk script of the web benchmark (bench/web.py writes the request file; see there).
-- Request file: line 1 "expect_status<TAB>expect_location<TAB>once"; then one request a line:
-- "method<TAB>path<TAB>cookie<TAB>csrf token<TAB>body". Every thread cycles through all lines; with once=1
-- the threads split the lines and each is sent at most once (each checkout needs a fresh cart); running out
-- is counted, and such a thread then repeats its lines (the harness sizes the pool so it does not happen).
-- Usage: wrk -t T -c C -d 10s -s page.lua http://127.0.0.1:PORT -- REQUEST_FILE T

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  local file = assert(io.open(path, "r"))
  local header = split(file:read("*l"))
  expect_status = tonumber(header[1])
  expect_location = header[2]
  once = header[3] == "1"
  local lines = {}
  for line in file:lines() do
    table.insert(lines, line)
  end
  file:close()
  requests = {}
  for index, line in ipairs(lines) do
    -- once: the threads split the lines; else every thread cycles through all of them, from its own offset
    local mine = (index - 1) % nthreads == tid
    if not once then
      line = lines[(index - 1 + tid) % #lines + 1]
      mine = true
    end
    if mine then
      local f = split(line)
      local headers = {}
      if f[3] ~= "" then headers["Cookie"] = f[3] end
      if f[4] ~= "" then headers["X-CSRFToken"] = f[4] end
      if f[1] == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      local body = nil
      if f[5] ~= "" then body = f[5] end
      table.insert(requests, wrk.format(f[1], f[2], headers, body))
    end
  end
  position = 0
  ok, bad, exhausted, bad_status, bad_location = 0, 0, 0, 0, ""
end

function request()
  if #requests == 0 then
    exhausted = exhausted + 1
    return wrk.format("GET", "/healthz")
  end
  position = position + 1
  if position > #requests then
    if once then exhausted = exhausted + 1 end
    position = 1
  end
  return requests[position]
end

function response(status, headers, body)
  local good = status == expect_status
  if good and expect_location ~= "" then
    local location = headers["Location"] or headers["location"] or ""
    good = string.find(location, expect_location, 1, true) ~= nil
  end
  if good then
    ok = ok + 1
  else
    bad = bad + 1
    bad_status = status
    bad_location = headers["Location"] or headers["location"] or ""
  end
end

function done(summary, latency, requests)
  local total_ok, total_bad, total_exhausted, last_status, last_location = 0, 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    total_ok = total_ok + (thread:get("ok") or 0)
    total_bad = total_bad + (thread:get("bad") or 0)
    total_exhausted = total_exhausted + (thread:get("exhausted") or 0)
    if (thread:get("bad_status") or 0) ~= 0 then
      last_status = thread:get("bad_status")
      last_location = thread:get("bad_location") or ""
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "ok": %d, "bad": %d, "exhausted": %d, ' ..
    '"bad_status": %d, "bad_location": "%s", "socket_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, total_ok, total_bad, total_exhausted, last_status,
    last_location:gsub('"', ''), errors.connect + errors.read + errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
