-- The benchmark's workload for wrk (bench/run.py runs it):
--   wrk -c16 -d15s -s bench/mixed.lua URL -- SESSIONS_FILE MIX
-- SESSIONS_FILE has one signed-in user a line: cookie, CSRF token and the
-- user's saved case numbers (comma-separated), tab-separated; a last line
-- "cases<TAB>..." lists open case numbers to ask the status of.
-- MIX is "mixed" (70% GET /api/cases/data, 20% PUT of ~2 KB, 10% POST
-- /api/cases/status of 20 numbers) or one of "get", "put", "status".
-- Each request goes as a random user. done() prints one JSON line.

local users, open_cases = {}, {}
local mix = "mixed"
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local function split(text, sep)
  local parts = {}
  for part in string.gmatch(text, "([^" .. sep .. "]+)") do
    parts[#parts + 1] = part
  end
  return parts
end

function init(args)
  mix = args[2] or "mixed"
  for line in io.lines(args[1]) do
    local fields = split(line, "\t")
    if fields[1] == "cases" then
      open_cases = split(fields[2], ",")
    else
      users[#users + 1] = {cookie = fields[1], token = fields[2], cases = split(fields[3], ",")}
    end
  end
  math.randomseed(os.time() * 100 + id)
end

-- ~2 KB of text, different at every save so that each one writes.
local PROBLEM = string.rep("Pump trips on start; bearing noise reported. ", 13)
local NOTES = string.rep("Replaced relay K3, ran under load, no trip. ", 32)

local function get(user)
  return wrk.format("GET", "/api/cases/data", {Cookie = user.cookie})
end

local function put(user)
  counter = counter + 1
  local case = user.cases[math.random(#user.cases)]
  local body = string.format('{"problemStatement": "%s", "fsrNotes": "%s %d"}',
                             PROBLEM, NOTES, counter)
  return wrk.format("PUT", "/api/cases/data/" .. case,
                    {Cookie = user.cookie, ["X-CSRF-Token"] = user.token,
                     ["Content-Type"] = "application/json"}, body)
end

local function status(user)
  local numbers = {}
  for i = 1, 20 do
    numbers[i] = '"' .. open_cases[math.random(#open_cases)] .. '"'
  end
  local body = '{"case_numbers": [' .. table.concat(numbers, ", ") .. ']}'
  return wrk.format("POST", "/api/cases/status",
                    {Cookie = user.cookie, ["X-CSRF-Token"] = user.token,
                     ["Content-Type"] = "application/json"}, body)
end

function request()
  local user = users[math.random(#users)]
  if mix == "get" then return get(user) end
  if mix == "put" then return put(user) end
  if mix == "status" then return status(user) end
  local roll = math.random(100)
  if roll <= 70 then return get(user) end
  if roll <= 90 then return put(user) end
  return status(user)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d,'
    .. ' "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
