SELECT id, at, user_id, username, role, org_code, action, target, outcome, request_id, summary, algorithm,
       prev_hash, hash
FROM audit_log
WHERE ($1 = '' OR at >= $1) AND ($2 = '' OR at < $2) AND ($3 = '' OR username = $3)
  AND ($4 = '' OR action LIKE $4 || '%') AND ($5 = '' OR outcome = $5)
ORDER BY id DESC LIMIT $6 OFFSET $7
