-- wrk script for bench/collector: every request is the seed's room sensor POST,
-- {"room_no":1,"status":{"humidity":10,"temperature":30}}, rooms 1..4 in turn.
local n = 0

request = function()
  n = n + 1
  local room = (n % 4) + 1
  local body = string.format(
    '{"room_no":%d,"status":{"humidity":%d,"temperature":%d}}',
    room, 40 + (n % 20), 20 + (n % 10)
  )
  return wrk.format("POST", "/office_status", { ["Content-Type"] = "application/json" }, body)
end

-- after the run, one machine-readable line for bench/collector.ts
done = function(summary, latency, requests)
  local non2xx = (summary.errors.status or 0)
  io.write(string.format(
    "WRKJSON {\"requests\":%d,\"duration_us\":%d,\"non2xx\":%d,\"connect_errors\":%d,\"read_errors\":%d,\"write_errors\":%d,\"timeouts\":%d,\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"max_us\":%d}\n",
    summary.requests, summary.duration, non2xx, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max
  ))
end
