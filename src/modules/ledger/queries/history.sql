SELECT id, at, user_id, username, role, org_code, action, target, outcome, request_id, summary, algorithm,
       prev_hash, hash
FROM audit_log
WHERE target >= 'ledger/' AND target < 'ledger0' AND target >= $1 AND target < $2
ORDER BY id DESC LIMIT $3 OFFSET $4
