-- wrk script for bench/run.sh. Configured by environment variables:
--   KAM_WRK_MODE  health | get | search | filtered | list (the first page of all accounts, no q)
--   KAM_TOKEN     bearer token (sent on every request)
--   KAM_MAX_ID    get: ids are drawn uniformly from 1..KAM_MAX_ID
--   KAM_TERMS     search: comma-separated terms, cycled through in order
--                 (each thread starts at a different term)
--   KAM_LIMIT     search: page size (default 50)
--   KAM_QUERIES   filtered: ';'-separated query strings of GET /api/v1/accounts
--                 (e.g. province=广东省&city=广州市), cycled through like KAM_TERMS
--   KAM_LABEL     name printed on the result line
-- At the end it prints one machine-readable line:
--   KAMRESULT label requests seconds req_per_s p50_ms p75_ms p90_ms p99_ms max_ms non2xx socket_errors
local mode = os.getenv("KAM_WRK_MODE") or "health"
local token = os.getenv("KAM_TOKEN") or ""
local max_id = tonumber(os.getenv("KAM_MAX_ID") or "1000000")
local limit = os.getenv("KAM_LIMIT") or "50"
local label = os.getenv("KAM_LABEL") or mode

local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end

local function urlencode(s)
  return (string.gsub(s, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local searches = {}
for term in string.gmatch(os.getenv("KAM_TERMS") or "", "([^,]+)") do
  searches[#searches + 1] = wrk.format("GET", "/api/v1/accounts?q=" .. urlencode(term) .. "&limit=" .. limit, headers)
end
local filtered = {}
for query in string.gmatch(os.getenv("KAM_QUERIES") or "", "([^;]+)") do
  local encoded = string.gsub(query, "[\128-\255]", function(c) return string.format("%%%02X", string.byte(c)) end)
  filtered[#filtered + 1] = wrk.format("GET", "/api/v1/accounts?" .. encoded .. "&limit=" .. limit, headers)
end
local health = wrk.format("GET", "/api/v1/health", headers)
local list = wrk.format("GET", "/api/v1/accounts?limit=" .. limit, headers)

local counter = 1
local next_thread_id = 0
function setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("thread_id", next_thread_id)
end

function init(args)
  local id = thread_id or 1
  math.randomseed(os.time() * 1000 + id * 7919)
  counter = id
end

function request()
  if mode == "get" then
    return wrk.format("GET", "/api/v1/accounts/" .. math.random(1, max_id), headers)
  elseif mode == "search" then
    counter = counter % #searches + 1
    return searches[counter]
  elseif mode == "filtered" then
    counter = counter % #filtered + 1
    return filtered[counter]
  elseif mode == "list" then
    return list
  end
  return health
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local function ms(us) return us / 1000 end
  io.write(string.format("KAMRESULT %s %d %.2f %.1f %.2f %.2f %.2f %.2f %.2f %d %d\n", label, summary.requests,
    seconds, summary.requests / seconds, ms(latency:percentile(50)), ms(latency:percentile(75)),
    ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max), e.status,
    e.connect + e.read + e.write + e.timeout))
end
