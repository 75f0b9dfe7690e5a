-- Security provisions ledger (安全台账) kept by each school, and the "four 100%" computed from it.

-- 专职保安: one row per person; people who leave are made inactive, never deleted.
CREATE TABLE ledger_guards (
  id              INTEGER PRIMARY KEY,
  school_code     TEXT NOT NULL REFERENCES org_units(code),
  name            TEXT NOT NULL,
  certificate_no  TEXT,
  birth_year      INTEGER,
  employment      TEXT NOT NULL CHECK (employment IN ('full_time', 'part_time')),
  employed_since  TEXT,
  active          INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX ledger_guards_school ON ledger_guards(school_code, id);

-- 门卫室值守: the weekly schedule; minutes from midnight, end exclusive (1440 = 24:00).
CREATE TABLE ledger_gatehouse_shifts (
  school_code  TEXT NOT NULL REFERENCES org_units(code),
  weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_min    INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
  end_min      INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
  staff        TEXT NOT NULL DEFAULT '',
  CHECK (end_min > start_min)
);
CREATE INDEX ledger_gatehouse_shifts_school ON ledger_gatehouse_shifts(school_code, weekday, start_min);

-- 巡查记录.
CREATE TABLE ledger_patrols (
  id            INTEGER PRIMARY KEY,
  school_code   TEXT NOT NULL REFERENCES org_units(code),
  patrolled_at  TEXT NOT NULL,
  day           TEXT NOT NULL,
  area          TEXT NOT NULL,
  by_name       TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  recorded_by   TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  idempotency_key TEXT
);
CREATE INDEX ledger_patrols_school_day ON ledger_patrols(school_code, day, patrolled_at);
-- A phone that retries a POST with the same Idempotency-Key gets the first record back.
CREATE UNIQUE INDEX ledger_patrols_idempotency ON ledger_patrols(school_code, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- 封闭化管理: append-only checks; per measure, the one checked last (checked_on, then id) is the current state.
CREATE TABLE ledger_closed_checks (
  id           INTEGER PRIMARY KEY,
  school_code  TEXT NOT NULL REFERENCES org_units(code),
  measure      TEXT NOT NULL CHECK (measure IN ('enclosure_anti_climb', 'separate_gates', 'anti_ram_barriers',
                                                 'visitor_registration')),
  status       TEXT NOT NULL CHECK (status IN ('in_place', 'not_in_place', 'not_possible')),
  checked_on   TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  photos       TEXT NOT NULL DEFAULT '[]',
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  idempotency_key TEXT
);
CREATE INDEX ledger_closed_checks_school ON ledger_closed_checks(school_code, measure, checked_on, id);
CREATE UNIQUE INDEX ledger_closed_checks_idempotency ON ledger_closed_checks(school_code, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- 护学岗: one record per school, day and session (arrival / dismissal).
CREATE TABLE ledger_posts (
  school_code  TEXT NOT NULL REFERENCES org_units(code),
  day          TEXT NOT NULL,
  session      TEXT NOT NULL CHECK (session IN ('arrival', 'dismissal')),
  police       INTEGER NOT NULL,
  staff        INTEGER NOT NULL,
  guards       INTEGER NOT NULL,
  start_time   TEXT,
  end_time     TEXT,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  PRIMARY KEY (school_code, day, session)
);

-- 一键报警与视频监控: devices as entered (the device-networking work feeds live status later).
CREATE TABLE ledger_devices (
  id                INTEGER PRIMARY KEY,
  school_code       TEXT NOT NULL REFERENCES org_units(code),
  kind              TEXT NOT NULL CHECK (kind IN ('alarm', 'camera', 'nvr')),
  name              TEXT NOT NULL,
  location          TEXT NOT NULL DEFAULT '',
  national_id       TEXT,
  police_networked  INTEGER NOT NULL,
  installed_on      TEXT,
  active            INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX ledger_devices_school ON ledger_devices(school_code, id);

CREATE TABLE ledger_alarm_tests (
  id           INTEGER PRIMARY KEY,
  school_code  TEXT NOT NULL REFERENCES org_units(code),
  tested_at    TEXT NOT NULL,
  day          TEXT NOT NULL,
  device_id    INTEGER REFERENCES ledger_devices(id),
  result       TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
  ack_seconds  INTEGER,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  idempotency_key TEXT
);
CREATE INDEX ledger_alarm_tests_school ON ledger_alarm_tests(school_code, day);
CREATE UNIQUE INDEX ledger_alarm_tests_idempotency ON ledger_alarm_tests(school_code, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- Uploaded evidence: content stored by SHA-256 on disk; a row per school that may see it.
CREATE TABLE files (
  id            TEXT NOT NULL,
  school_code   TEXT NOT NULL REFERENCES org_units(code),
  content_type  TEXT NOT NULL,
  size          INTEGER NOT NULL,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (id, school_code)
);

-- The evaluation of each school (0 not met, 1 met, 2 not applicable), kept current in the
-- transaction of every ledger change, and the reasons as JSON.
CREATE TABLE compliance_school (
  school_code        TEXT PRIMARY KEY REFERENCES org_units(code),
  path               TEXT NOT NULL,
  guards             INTEGER NOT NULL,
  closed_management  INTEGER NOT NULL,
  protection_posts   INTEGER NOT NULL,
  alarm_video        INTEGER NOT NULL,
  all_four           INTEGER NOT NULL,
  reasons            TEXT NOT NULL,
  evaluated_at       TEXT NOT NULL
);
CREATE INDEX compliance_school_path ON compliance_school(path);

-- Counters per province, city and county: the sum of their active schools' evaluations, changed
-- by the difference a school's new evaluation makes (no batch recomputation).
CREATE TABLE compliance_unit (
  unit_code          TEXT PRIMARY KEY REFERENCES org_units(code),
  schools            INTEGER NOT NULL DEFAULT 0,
  guards_met         INTEGER NOT NULL DEFAULT 0,
  guards_applicable  INTEGER NOT NULL DEFAULT 0,
  closed_met         INTEGER NOT NULL DEFAULT 0,
  closed_applicable  INTEGER NOT NULL DEFAULT 0,
  posts_met          INTEGER NOT NULL DEFAULT 0,
  posts_applicable   INTEGER NOT NULL DEFAULT 0,
  alarm_met          INTEGER NOT NULL DEFAULT 0,
  alarm_applicable   INTEGER NOT NULL DEFAULT 0,
  all_met            INTEGER NOT NULL DEFAULT 0,
  all_applicable     INTEGER NOT NULL DEFAULT 0
);

-- One row per unit and Shanghai day, for trend lines.
CREATE TABLE compliance_snapshot (
  unit_code          TEXT NOT NULL,
  day                TEXT NOT NULL,
  schools            INTEGER NOT NULL,
  guards_met         INTEGER NOT NULL,
  guards_applicable  INTEGER NOT NULL,
  closed_met         INTEGER NOT NULL,
  closed_applicable  INTEGER NOT NULL,
  posts_met          INTEGER NOT NULL,
  posts_applicable   INTEGER NOT NULL,
  alarm_met          INTEGER NOT NULL,
  alarm_applicable   INTEGER NOT NULL,
  all_met            INTEGER NOT NULL,
  all_applicable     INTEGER NOT NULL,
  PRIMARY KEY (unit_code, day)
);

-- The last Shanghai day whose time-dependent re-evaluation and snapshot ran.
CREATE TABLE compliance_meta (
  singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_roll_day  TEXT NOT NULL
);

-- The ledger's history page reads the audit log by target ("ledger/<school code>/...").
CREATE INDEX audit_log_target ON audit_log(target, id);
