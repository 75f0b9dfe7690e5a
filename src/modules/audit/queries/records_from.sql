SELECT id, at, user_id, username, role, org_code, action, target, outcome, request_id, summary, algorithm,
       prev_hash, hash
FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2
