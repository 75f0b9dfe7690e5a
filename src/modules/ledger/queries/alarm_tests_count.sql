SELECT COUNT(*) FROM ledger_alarm_tests WHERE school_code = $1
