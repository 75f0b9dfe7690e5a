INSERT INTO ledger_patrols (school_code, patrolled_at, day, area, by_name, note, recorded_by, recorded_at,
                            idempotency_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
