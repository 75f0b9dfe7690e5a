-- Usernames that differ only in letter case are look-alikes: a new account whose username equals
-- another's ignoring ASCII case is refused (accounts_store InsertUser, username_taken.sql). This
-- index serves that lookup. It is not UNIQUE on purpose: a database may already hold such pairs,
-- and this migration must not fail on it; login still matches the username exactly.
CREATE INDEX users_username_lower ON users(lower(username));
