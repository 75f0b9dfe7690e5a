SELECT id, hash FROM audit_log WHERE at < $1 ORDER BY id DESC LIMIT 1
