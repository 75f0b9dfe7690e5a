-- Organisation tree: province, prefecture city, county-level unit, school.
-- `path` is the materialised path ("/410000/410100/410105/"): a subtree is a range of paths.
CREATE TABLE org_units (
  code              TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  level             TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'school')),
  parent_code       TEXT REFERENCES org_units(code),
  path              TEXT NOT NULL UNIQUE,
  active            INTEGER NOT NULL DEFAULT 1,
  demo              INTEGER NOT NULL DEFAULT 0,
  school_type       TEXT,
  locality          TEXT,
  boarding          INTEGER,
  day_students      INTEGER,
  boarding_students INTEGER,
  class_count       INTEGER,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_code, level, name);
CREATE INDEX org_units_level_path ON org_units(level, path);
