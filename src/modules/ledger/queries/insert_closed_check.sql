INSERT INTO ledger_closed_checks (school_code, measure, status, checked_on, note, photos, recorded_by, recorded_at,
                                  idempotency_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
