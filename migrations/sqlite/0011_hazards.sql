-- Hazards (安全隐患) and their history (issue #6; decision 0012). RULES.md "Hazards": two grades; a
-- major hazard needs the five in place before work starts; closure needs an acceptance by someone
-- other than the reporter; overdue items escalate one level with a written explanation; a D-grade
-- building leaves use at once; nothing is deleted.
CREATE TABLE hazards (
  id                   INTEGER PRIMARY KEY,
  school_code          TEXT NOT NULL REFERENCES org_units(code),
  path                 TEXT NOT NULL,        -- the school's path: jurisdiction is a prefix of it
  category             TEXT NOT NULL CHECK (category IN ('fire', 'building', 'food', 'school_bus', 'electricity',
                         'heating', 'snow_ice', 'lab', 'surroundings', 'drowning', 'security', 'other')),
  location             TEXT NOT NULL,
  description          TEXT NOT NULL,
  grade                TEXT NOT NULL CHECK (grade IN ('ordinary', 'major')),
  source               TEXT NOT NULL CHECK (source IN ('inspection', 'direct', 'spot_check', 'unannounced')),
  inspection_id        INTEGER,              -- the inspections module's row (no foreign key across modules)
  item_code            TEXT,
  building_grade       TEXT CHECK (building_grade IN ('A', 'B', 'C', 'D')),
  out_of_use           INTEGER NOT NULL DEFAULT 0,  -- a D-grade building: out of use at once
  fixed_at_once        INTEGER NOT NULL DEFAULT 0,  -- an ordinary hazard to be fixed on the day it is found
  found_by             TEXT NOT NULL,        -- username of the reporter (never the acceptor)
  found_at             TEXT NOT NULL,        -- RFC 3339
  found_on             TEXT NOT NULL,        -- its Shanghai day
  photos               TEXT NOT NULL DEFAULT '[]',
  state                TEXT NOT NULL CHECK (state IN ('registered', 'rectifying', 'awaiting_acceptance', 'closed')),
  responsible          TEXT NOT NULL DEFAULT '',
  measures             TEXT NOT NULL DEFAULT '',
  funds                TEXT NOT NULL DEFAULT '',
  deadline             TEXT,                 -- Shanghai day
  contingency_plan     TEXT NOT NULL DEFAULT '',
  interim_measures     TEXT NOT NULL DEFAULT '',
  overdue              INTEGER NOT NULL DEFAULT 0,
  overdue_since        TEXT,                 -- Shanghai day the job marked it
  supervising_level    TEXT NOT NULL DEFAULT 'school' CHECK (supervising_level IN ('school', 'county', 'city', 'province')),
  escalated_at         TEXT,                 -- RFC 3339 of the last climb
  next_escalation_on   TEXT,                 -- Shanghai day it climbs again if still open
  explanation_required INTEGER NOT NULL DEFAULT 0,
  explanation          TEXT,
  accepted_by          TEXT,
  accepted_at          TEXT,
  closed_at            TEXT,
  days_to_close        INTEGER,              -- Shanghai days from found_on to the closing day
  updated_at           TEXT NOT NULL
);
-- Lists and dashboard counts by path prefix: covering for the counts.
CREATE INDEX hazards_path_state ON hazards(path, state, grade, overdue, out_of_use, found_on);
CREATE INDEX hazards_path_id ON hazards(path, id);
-- Closed hazards by path, for the median days to close.
CREATE INDEX hazards_closed ON hazards(path, found_on, days_to_close) WHERE state = 'closed';
-- The deadline job: open hazards not yet overdue, by deadline; overdue ones by their next climb.
CREATE INDEX hazards_deadline ON hazards(deadline)
  WHERE state <> 'closed' AND overdue = 0 AND deadline IS NOT NULL;
CREATE INDEX hazards_reescalation ON hazards(next_escalation_on)
  WHERE state <> 'closed' AND overdue = 1 AND next_escalation_on IS NOT NULL;
-- Escalated hazards awaiting a level (挂牌督办 lists).
CREATE INDEX hazards_supervising ON hazards(supervising_level, path, found_at)
  WHERE state <> 'closed' AND supervising_level <> 'school';
CREATE INDEX hazards_inspection ON hazards(inspection_id) WHERE inspection_id IS NOT NULL;

-- The history of every hazard: one row per registration, action, overdue mark and climb. Never
-- updated or deleted.
CREATE TABLE hazard_events (
  id         INTEGER PRIMARY KEY,
  hazard_id  INTEGER NOT NULL REFERENCES hazards(id),
  at         TEXT NOT NULL,
  by         TEXT NOT NULL,                  -- username, or 'system' for the deadline job
  action     TEXT NOT NULL,
  from_state TEXT,
  to_state   TEXT,
  note       TEXT NOT NULL DEFAULT '',
  photos     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX hazard_events_hazard ON hazard_events(hazard_id, id);
