-- The one table of the durable-write benchmark: small single-row inserts.
CREATE TABLE bench_rows (
  id         INTEGER PRIMARY KEY,
  writer     INTEGER NOT NULL,
  payload    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
