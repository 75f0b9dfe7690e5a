INSERT INTO audit_log (id, at, user_id, username, role, org_code, action, target, outcome, request_id, summary,
                       algorithm, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
