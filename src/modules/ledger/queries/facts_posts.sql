SELECT school_code, day, session FROM ledger_posts
WHERE school_code BETWEEN $1 AND $2 AND day >= $3 AND day < $4 AND police + staff + guards > 0
