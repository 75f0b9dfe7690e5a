INSERT INTO inspections (school_code, path, template_id, campaign_id, due_id, source, inspector, inspected_at, notes,
                         pass, fail, na, idempotency_key, request_hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
RETURNING id
