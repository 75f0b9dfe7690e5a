-- Morning/noon/evening health checks (晨午检), cases, outbreak warnings and their report tasks.

CREATE TABLE health_classes (
  id           INTEGER PRIMARY KEY,
  school_code  TEXT NOT NULL REFERENCES org_units(code),
  grade        INTEGER NOT NULL,
  name         TEXT NOT NULL,
  enrolment    INTEGER NOT NULL,
  boarding     INTEGER NOT NULL DEFAULT 0,
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (school_code, name)
);

CREATE TABLE health_dormitories (
  id           INTEGER PRIMARY KEY,
  school_code  TEXT NOT NULL REFERENCES org_units(code),
  name         TEXT NOT NULL,
  beds         INTEGER NOT NULL DEFAULT 0,
  UNIQUE (school_code, name)
);

-- One row per submitted version; `current` marks the version in force for (class, day, session).
CREATE TABLE health_reports (
  id               INTEGER PRIMARY KEY,
  school_code      TEXT NOT NULL REFERENCES org_units(code),
  path             TEXT NOT NULL,
  class_id         INTEGER NOT NULL REFERENCES health_classes(id),
  day              TEXT NOT NULL,
  session          TEXT NOT NULL CHECK (session IN ('morning', 'noon', 'evening')),
  version          INTEGER NOT NULL,
  current          INTEGER NOT NULL,
  enrolled         INTEGER NOT NULL,
  present          INTEGER NOT NULL,
  absent_ill       INTEGER NOT NULL,
  absent_other     INTEGER NOT NULL,
  cases            INTEGER NOT NULL,
  late             INTEGER NOT NULL,
  submitted_by     TEXT NOT NULL,
  submitted_at     TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  result           TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX health_reports_version ON health_reports(class_id, day, session, version);
CREATE UNIQUE INDEX health_reports_idempotency ON health_reports(school_code, idempotency_key);
CREATE INDEX health_reports_current ON health_reports(day, session, path) WHERE current = 1;

-- One ill or symptomatic student of one report version. `name_enc` is AES-256-GCM ciphertext.
CREATE TABLE health_cases (
  id                    INTEGER PRIMARY KEY,
  report_id             INTEGER NOT NULL REFERENCES health_reports(id),
  school_code           TEXT NOT NULL,
  class_id              INTEGER NOT NULL,
  day                   TEXT NOT NULL,
  current               INTEGER NOT NULL,
  student_no            TEXT NOT NULL,
  name_enc              BLOB,
  sex                   TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  age                   INTEGER NOT NULL,
  dormitory_id          INTEGER REFERENCES health_dormitories(id),
  symptoms              TEXT NOT NULL,
  onset_at              TEXT,
  absent                INTEGER NOT NULL,
  doctor_visit          INTEGER NOT NULL,
  diagnosis             TEXT,
  suspected_notifiable  INTEGER NOT NULL
);
CREATE INDEX health_cases_report ON health_cases(report_id);
CREATE INDEX health_cases_school_day ON health_cases(school_code, day) WHERE current = 1;

-- One open warning per (school, rule, group, unit) while its window lasts; further cases join it.
CREATE TABLE health_warnings (
  id            INTEGER PRIMARY KEY,
  school_code   TEXT NOT NULL REFERENCES org_units(code),
  path          TEXT NOT NULL,
  rule          TEXT NOT NULL,
  grp           TEXT NOT NULL,
  unit_kind     TEXT NOT NULL,
  unit_key      TEXT NOT NULL,
  window_start  TEXT NOT NULL,
  window_end    TEXT NOT NULL,
  case_ids      TEXT NOT NULL,
  cases         INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at     TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  closed_at     TEXT,
  close_note    TEXT
);
CREATE INDEX health_warnings_open ON health_warnings(school_code, rule, grp, unit_kind, unit_key) WHERE status = 'open';
CREATE INDEX health_warnings_path ON health_warnings(path, id);

-- The report a warning requires: to the local CDC and the county bureau, due in 24 h or at once.
CREATE TABLE health_report_tasks (
  id            INTEGER PRIMARY KEY,
  warning_id    INTEGER NOT NULL UNIQUE REFERENCES health_warnings(id),
  due_at        TEXT NOT NULL,
  immediate     INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'submitted')),
  escalated_at  TEXT,
  draft         TEXT NOT NULL,
  summary       TEXT,
  measures      TEXT,
  submitted_at  TEXT,
  submitted_by  TEXT
);
CREATE INDEX health_report_tasks_due ON health_report_tasks(status, due_at);

-- Illness absences followed day by day by the school doctor until the outcome.
CREATE TABLE health_absences (
  id            INTEGER PRIMARY KEY,
  school_code   TEXT NOT NULL REFERENCES org_units(code),
  path          TEXT NOT NULL,
  class_id      INTEGER NOT NULL REFERENCES health_classes(id),
  student_no    TEXT NOT NULL,
  started_on    TEXT NOT NULL,
  last_seen_on  TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open', 'returned')),
  outcome       TEXT NOT NULL CHECK (outcome IN ('absent', 'diagnosed', 'hospitalised', 'returned')),
  diagnosis     TEXT,
  updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX health_absences_open ON health_absences(school_code, student_no) WHERE status = 'open';
CREATE INDEX health_absences_school ON health_absences(school_code, status, started_on);

CREATE TABLE health_absence_entries (
  id           INTEGER PRIMARY KEY,
  absence_id   INTEGER NOT NULL REFERENCES health_absences(id),
  day          TEXT NOT NULL,
  outcome      TEXT NOT NULL,
  diagnosis    TEXT,
  clearance    INTEGER NOT NULL DEFAULT 0,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL
);
CREATE INDEX health_absence_entries_absence ON health_absence_entries(absence_id, id);
