SELECT day, session, police, staff, guards, start_time, end_time, note, recorded_by, recorded_at FROM ledger_posts
WHERE school_code = $1 AND day >= $2 AND day <= $3 ORDER BY day DESC, session
