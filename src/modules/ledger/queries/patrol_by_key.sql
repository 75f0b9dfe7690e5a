SELECT id, patrolled_at, area, by_name, note, recorded_by FROM ledger_patrols
WHERE school_code = $1 AND idempotency_key = $2
