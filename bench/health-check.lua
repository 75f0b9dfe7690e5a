-- wrk script for bench/health-http-bench: POST /api/v1/health-checks, one class report per request.
--
-- Environment:
--   HEALTH_BENCH_TARGETS  a file of "token class_id enrolment" lines (one per class; the token is
--                         the Bearer token of an account that reports for the class's school)
--   HEALTH_BENCH_DATES    "today,yesterday" (YYYY-MM-DD, Asia/Shanghai): the dates a report may have
--   HEALTH_BENCH_RUN      a tag that makes this run's Idempotency-Keys unique
-- Each thread walks the classes from its own offset, over both dates and the morning and noon
-- sessions; every request has a fresh Idempotency-Key, so each is a real write (a first report, or
-- after a full round a correction: a new version). About 1 in 100 reports carries an ill student.
-- Non-2xx answers are counted per status and the first one's body kept; `done` prints the counts
-- (the bench script reads the "health-check:" lines).

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local targets, dates, run = {}, {}, "run"
local sessions = { "morning", "noon" }
local seq, pos = 0, 0
sent, ok, bad, first_bad = 0, 0, 0, ""
statuses = {}

function init(args)
  for line in io.lines(os.getenv("HEALTH_BENCH_TARGETS")) do
    local token, class_id, enrolment = line:match("^(%S+)%s+(%d+)%s+(%d+)$")
    if token then
      table.insert(targets, { auth = "Bearer " .. token, class_id = tonumber(class_id), enrolment = tonumber(enrolment) })
    end
  end
  for d in string.gmatch(os.getenv("HEALTH_BENCH_DATES"), "[^,]+") do table.insert(dates, d) end
  run = os.getenv("HEALTH_BENCH_RUN") or run
  if #targets == 0 or #dates == 0 then error("health-check.lua: no targets or dates") end
  -- Threads start at different places in the round.
  pos = math.floor((id - 1) * #targets / 2)
  math.randomseed(id * 7919)
end

function request()
  seq = seq + 1
  sent = sent + 1
  pos = pos + 1
  local round = #targets * #dates * #sessions
  local i = (pos - 1) % round
  local t = targets[i % #targets + 1]
  local date = dates[math.floor(i / #targets) % #dates + 1]
  local session = sessions[math.floor(i / (#targets * #dates)) % #sessions + 1]
  local cases, ill, other = "[]", 0, 0
  if math.random(100) == 1 then
    -- One ill student, absent with fever.
    cases = string.format('[{"student_no":"%d-%d","sex":"female","age":9,"symptoms":["fever","cough"],"absent":true}]',
      t.class_id, seq % 50)
    ill = 1
  end
  if t.enrolment > 40 then other = 1 end
  local body = string.format(
    '{"class_id":%d,"date":"%s","session":"%s","enrolled":%d,"present":%d,"absent_ill":%d,"absent_other":%d,"cases":%s}',
    t.class_id, date, session, t.enrolment, t.enrolment - ill - other, ill, other, cases)
  return wrk.format("POST", nil, {
    ["Authorization"] = t.auth,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, id, seq),
  }, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

function done(summary, latency, requests)
  local s, o, b, by, first = 0, 0, 0, {}, ""
  for _, thread in ipairs(threads) do
    s = s + thread:get("sent")
    o = o + thread:get("ok")
    b = b + thread:get("bad")
    for status, n in pairs(thread:get("statuses")) do by[status] = (by[status] or 0) + n end
    if first == "" then first = thread:get("first_bad") end
  end
  local list = {}
  for status, n in pairs(by) do table.insert(list, status .. "=" .. n) end
  io.write(string.format("health-check: sent %d 2xx %d non-2xx %d statuses %s\n", s, o, b,
    #list > 0 and table.concat(list, ",") or "-"))
  if first ~= "" then io.write("health-check: first non-2xx: " .. first:gsub("\n", " ") .. "\n") end
end
