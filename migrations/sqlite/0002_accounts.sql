-- Accounts and sessions. Passwords are argon2id strings; session tokens are stored as SHA-256 hashes.
CREATE TABLE users (
  id                    INTEGER PRIMARY KEY,
  username              TEXT NOT NULL UNIQUE,
  display_name          TEXT NOT NULL,
  role                  TEXT NOT NULL,
  org_code              TEXT NOT NULL REFERENCES org_units(code),
  org_path              TEXT NOT NULL,
  classes               TEXT NOT NULL DEFAULT '[]',
  password_hash         TEXT NOT NULL,
  must_change_password  INTEGER NOT NULL DEFAULT 1,
  totp_secret           TEXT,
  totp_last_step        INTEGER NOT NULL DEFAULT 0,
  failed_attempts       INTEGER NOT NULL DEFAULT 0,
  locked_until          INTEGER NOT NULL DEFAULT 0,
  active                INTEGER NOT NULL DEFAULT 1,
  password_changed_at   INTEGER NOT NULL DEFAULT 0,
  created_at            TEXT NOT NULL
);
CREATE INDEX users_org_path ON users(org_path);

CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  csrf_token    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
