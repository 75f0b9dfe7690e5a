-- Whether $2 is the national id of one of school $1's active devices in its ledger (read only; the
-- ledger module owns the table).
SELECT 1 FROM ledger_devices WHERE national_id = $2 AND school_code = $1 AND active = 1 LIMIT 1
