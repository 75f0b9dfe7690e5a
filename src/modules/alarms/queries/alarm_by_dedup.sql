SELECT id, kind, priority, location, description FROM alarm_events WHERE school_code = $1 AND source = $2 AND dedup_key = $3
