INSERT INTO ledger_posts (school_code, day, session, police, staff, guards, start_time, end_time, note, recorded_by,
                          recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (school_code, day, session) DO UPDATE SET police = excluded.police, staff = excluded.staff,
  guards = excluded.guards, start_time = excluded.start_time, end_time = excluded.end_time, note = excluded.note,
  recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at
