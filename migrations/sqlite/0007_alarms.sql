-- One-click alarms (一键报警): every press, real, test or drill, with its lifecycle. RULES.md "Four
-- 100%": every press logged with press, acknowledge, dispatch and arrival times.
CREATE TABLE alarm_events (
  id                 INTEGER PRIMARY KEY,
  school_code        TEXT NOT NULL REFERENCES org_units(code),
  path               TEXT NOT NULL,
  source             TEXT NOT NULL CHECK (source IN ('button', 'ingest', 'gb28181')),
  source_ref         TEXT,                 -- the alarm source (ingest key) or device that sent it
  dedup_key          TEXT,                 -- the sender's event id: the same event is stored once
  device_id          TEXT,                 -- 20-digit national id, when a device sent it
  kind               TEXT NOT NULL CHECK (kind IN ('real', 'test', 'drill')),
  priority           INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
  pressed_at         TEXT NOT NULL,        -- as the sender says (device clocks drift)
  received_at        TEXT NOT NULL,
  location           TEXT NOT NULL DEFAULT '',
  description        TEXT NOT NULL DEFAULT '',
  status             TEXT NOT NULL CHECK (status IN ('raised', 'acknowledged', 'dispatched', 'on_scene', 'closed')),
  level              TEXT NOT NULL CHECK (level IN ('county', 'city', 'province')),
  escalate_at        TEXT,                 -- when it climbs a level if still not acknowledged
  acknowledged_at    TEXT,
  acknowledged_by    TEXT,
  dispatched_at      TEXT,
  on_scene_at        TEXT,
  closed_at          TEXT,
  outcome            TEXT CHECK (outcome IN ('handled', 'false_alarm', 'test_passed', 'test_failed', 'drill_done')),
  raised_by          TEXT NOT NULL
);
CREATE UNIQUE INDEX alarm_events_dedup ON alarm_events(school_code, source, dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX alarm_events_path ON alarm_events(path, id);
CREATE INDEX alarm_events_escalate ON alarm_events(escalate_at) WHERE escalate_at IS NOT NULL;
CREATE INDEX alarm_events_open ON alarm_events(path) WHERE status <> 'closed';

-- The timeline of an alarm: one row per step, with who and a note.
CREATE TABLE alarm_steps (
  id        INTEGER PRIMARY KEY,
  alarm_id  INTEGER NOT NULL REFERENCES alarm_events(id),
  step      TEXT NOT NULL,  -- raised | acknowledged | dispatched | on_scene | closed | escalated
  at        TEXT NOT NULL,
  by        TEXT NOT NULL,
  note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alarm_steps_alarm ON alarm_steps(alarm_id, id);

-- Credentials of alarm hosts and regional interfaces that post alarms over HTTP (not user
-- sessions). Only the SHA-256 of the secret is kept.
CREATE TABLE alarm_sources (
  id           INTEGER PRIMARY KEY,
  school_code  TEXT NOT NULL REFERENCES org_units(code),
  path         TEXT NOT NULL,
  name         TEXT NOT NULL,
  secret_hash  TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  revoked_at   TEXT,
  last_used_at TEXT
);
CREATE INDEX alarm_sources_school ON alarm_sources(school_code);
