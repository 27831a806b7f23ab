-- wrk script of bench/load.py: counts responses outside 2xx and, at the end, prints one
-- line the benchmark parses (latencies in microseconds).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "RKPK-LOAD requests=%d duration_us=%d bytes=%d non2xx=%d socket_errors=%d "
      .. "p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.bytes, bad,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
