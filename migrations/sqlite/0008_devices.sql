-- What the devices module last knew of each GB/T 28181 device (by national id), kept so that a
-- restart does not flip the fleet offline: registration expiry and last keepalive survive.
CREATE TABLE device_status (
  national_id       TEXT PRIMARY KEY,
  school_code       TEXT NOT NULL,
  path              TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('unknown', 'online', 'offline')),
  transport         TEXT,
  address           TEXT,
  port              INTEGER,
  registered_until  TEXT,
  last_seen         TEXT,
  gone_at           TEXT,
  channels          INTEGER,  -- catalog items reported
  catalog_complete  INTEGER,
  catalog_at        TEXT,
  status_since      TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX device_status_path ON device_status(path);
