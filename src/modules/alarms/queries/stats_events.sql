SELECT path, school_code, kind, outcome, received_at, acknowledged_at FROM alarm_events
WHERE path >= $1 AND path < $2 AND received_at >= $3 AND received_at < $4
