SELECT school_code, weekday, start_min, end_min, staff FROM ledger_gatehouse_shifts
WHERE school_code = $1 ORDER BY weekday, start_min
