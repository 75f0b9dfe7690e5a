SELECT COUNT(*) FROM ledger_patrols WHERE school_code = $1 AND day = $2
