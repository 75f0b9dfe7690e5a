SELECT school_code, measure, status FROM ledger_closed_checks
WHERE id IN (SELECT MAX(id) FROM ledger_closed_checks WHERE school_code BETWEEN $1 AND $2
             GROUP BY school_code, measure)
