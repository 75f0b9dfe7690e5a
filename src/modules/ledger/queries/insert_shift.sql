INSERT INTO ledger_gatehouse_shifts (school_code, weekday, start_min, end_min, staff) VALUES ($1, $2, $3, $4, $5)
