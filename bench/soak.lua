-- wrk script of `python -m bench.soak`: cycle through a mix of requests, count the
-- answers by status, stop after a quota, and report one JSON line.
--
-- bench/soak.py prepends the global `mix`, a list of {method, path, headers, body},
-- and passes the arguments: wrk -s ... URL -- <quota per thread> <marks file>.
--
-- wrk runs for its -d duration even when every thread has stopped, so each thread
-- that reaches its quota appends a byte to the marks file; bench/soak.py watches
-- it and, once every thread is done, sends wrk the SIGINT that ends the run at
-- once (the summary then holds the time the requests really took).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  quota = tonumber(args[1])
  marks_file = args[2]
  answered = 0
  counts = {}
  prepared = {}
  for i, r in ipairs(mix) do
    prepared[i] = wrk.format(r.method, r.path, r.headers, r.body)
  end
  -- Each thread starts elsewhere in the cycle, so that together they keep the mix even.
  next_request = id % #prepared
end

function request()
  next_request = next_request % #prepared + 1
  return prepared[next_request]
end

local function mark_finished()
  local marks = io.open(marks_file, "a")
  marks:write("x")
  marks:close()
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  answered = answered + 1
  if answered == quota then
    wrk.thread:stop()
    mark_finished()
  end
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(statuses) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    '\nSOAK {"statuses": {%s}, "requests": %d, "duration_us": %d, "p50_us": %.1f, '
    .. '"p99_us": %.1f, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    table.concat(parts, ", "), summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout))
end
