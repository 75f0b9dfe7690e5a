INSERT INTO health_warnings (school_code, path, rule, grp, unit_kind, unit_key, window_start, window_end, case_ids,
                             cases, status, opened_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $11) RETURNING id
