-- Inspections (issue #6, decision 0012): versioned checklist templates, campaigns issued by a unit
-- to its subtree, one due row per school and round, and the inspections with their item results.

-- A checklist template. Shipped templates have no owner; a bureau's own are owned by its unit and
-- seen by its subtree. Editing makes a new version; inspections keep the version they used.
CREATE TABLE checklist_templates (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL,
  version     INTEGER NOT NULL,
  name        TEXT NOT NULL,
  owner_code  TEXT REFERENCES org_units(code),  -- NULL: shipped with the system
  owner_path  TEXT,
  categories  TEXT NOT NULL,                    -- JSON array of the items' categories, in order
  item_count  INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX checklist_templates_version ON checklist_templates(ifnull(owner_code, ''), key, version);

CREATE TABLE checklist_items (
  template_id     INTEGER NOT NULL REFERENCES checklist_templates(id),
  position        INTEGER NOT NULL,
  code            TEXT NOT NULL,
  text            TEXT NOT NULL,
  category        TEXT NOT NULL,
  how             TEXT NOT NULL DEFAULT '',
  photo_required  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (template_id, code)
);

-- A campaign: a unit's inspection of its subtree (or a filtered part) against one template, in
-- rounds given by the cadence. `rounds_created` is the last round whose due rows exist.
CREATE TABLE campaigns (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  org_code        TEXT NOT NULL REFERENCES org_units(code),
  org_path        TEXT NOT NULL,
  template_id     INTEGER NOT NULL REFERENCES checklist_templates(id),
  cadence         TEXT NOT NULL CHECK (cadence IN ('once', 'weekly', 'monthly', 'semester')),
  starts_on       TEXT NOT NULL,
  ends_on         TEXT NOT NULL,
  school_types    TEXT NOT NULL DEFAULT '[]',  -- JSON array; empty = every type
  locality        TEXT NOT NULL DEFAULT '[]',  -- JSON array; empty = urban, town and rural
  description     TEXT NOT NULL DEFAULT '',
  rounds          INTEGER NOT NULL,
  rounds_created  INTEGER NOT NULL DEFAULT 0,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE INDEX campaigns_org_path ON campaigns(org_path, id);
CREATE INDEX campaigns_pending_rounds ON campaigns(id) WHERE rounds_created < rounds;

-- One row per school and round of a campaign: what the school must inspect, by when, and how it
-- went. Completeness and timeliness are counts over these rows by path prefix.
CREATE TABLE inspection_dues (
  id             INTEGER PRIMARY KEY,
  campaign_id    INTEGER NOT NULL REFERENCES campaigns(id),
  round          INTEGER NOT NULL,
  school_code    TEXT NOT NULL REFERENCES org_units(code),
  path           TEXT NOT NULL,
  opens_on       TEXT NOT NULL,
  due_on         TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'late', 'missed')),
  inspection_id  INTEGER
);
CREATE UNIQUE INDEX inspection_dues_school_round ON inspection_dues(campaign_id, round, school_code);
-- Progress: counts by status over a path range of one round (covering).
CREATE INDEX inspection_dues_progress ON inspection_dues(campaign_id, round, path, status);
-- The window job: open rows whose due day has passed.
CREATE INDEX inspection_dues_open_due ON inspection_dues(due_on) WHERE status = 'open';
-- A school's list of dues.
CREATE INDEX inspection_dues_school ON inspection_dues(school_code, due_on);

CREATE TABLE inspections (
  id               INTEGER PRIMARY KEY,
  school_code      TEXT NOT NULL REFERENCES org_units(code),
  path             TEXT NOT NULL,
  template_id      INTEGER NOT NULL REFERENCES checklist_templates(id),
  campaign_id      INTEGER REFERENCES campaigns(id),
  due_id           INTEGER REFERENCES inspection_dues(id),
  source           TEXT NOT NULL CHECK (source IN ('campaign', 'self', 'spot_check', 'unannounced')),
  inspector        TEXT NOT NULL,
  inspected_at     TEXT NOT NULL,
  notes            TEXT NOT NULL DEFAULT '',
  pass             INTEGER NOT NULL,
  fail             INTEGER NOT NULL,
  na               INTEGER NOT NULL,
  idempotency_key  TEXT,
  request_hash     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX inspections_idempotency ON inspections(school_code, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX inspections_path ON inspections(path, inspected_at);

CREATE TABLE inspection_results (
  inspection_id  INTEGER NOT NULL REFERENCES inspections(id),
  position       INTEGER NOT NULL,
  code           TEXT NOT NULL,
  result         TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'na')),
  note           TEXT NOT NULL DEFAULT '',
  photos         TEXT NOT NULL DEFAULT '[]',
  hazard_id      INTEGER,
  PRIMARY KEY (inspection_id, code)
);
