-- POST /api/v1/identities/ with traits, as the SDKs send it on identify (cf. Flagsmith's edge-proxy load-test/post.lua,
-- which posts two traits). Identifiers rotate over the seeded identities user-0 .. user-9999 (bench/seed.ts); the two
-- traits are the values each identity was seeded with (plan, age), as an SDK resends them, so the server reads the
-- identity and its 10 stored traits, finds nothing to write and evaluates every flag.
--   wrk -t2 -c64 -d3s --latency -s bench/wrk/identify.lua -H "X-Environment-Key: <key>" http://127.0.0.1:PORT/api/v1/identities/
local plans = { "free", "starter", "pro", "enterprise" }
local identities = tonumber(os.getenv("BENCH_IDENTITIES") or "10000")
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  -- Each wrk thread starts at a different point of the rotation.
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

local n = 0
function request()
  n = n + 1
  local i = (n + (offset or 0)) % identities
  local body = string.format(
    '{"identifier":"user-%d","traits":[{"trait_key":"plan","trait_value":"%s"},{"trait_key":"age","trait_value":%d}]}',
    i, plans[(i % 4) + 1], 18 + (i % 60))
  return wrk.format(nil, nil, nil, body)
end
