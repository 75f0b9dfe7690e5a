SELECT school_code, MAX(day) FROM ledger_alarm_tests
WHERE school_code BETWEEN $1 AND $2 AND result = 'pass' AND day <= $3 GROUP BY school_code
