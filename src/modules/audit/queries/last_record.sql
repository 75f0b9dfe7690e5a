SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1
