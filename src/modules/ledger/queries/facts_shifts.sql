SELECT school_code, weekday, start_min, end_min, staff FROM ledger_gatehouse_shifts
WHERE school_code BETWEEN $1 AND $2 ORDER BY school_code, weekday, start_min
