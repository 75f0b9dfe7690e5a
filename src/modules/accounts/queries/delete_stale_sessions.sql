DELETE FROM sessions WHERE last_seen_at < $1
