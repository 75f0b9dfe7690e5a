SELECT id, measure, status, checked_on, note, photos, recorded_by, recorded_at FROM ledger_closed_checks
WHERE school_code = $1 ORDER BY checked_on DESC, id DESC
