UPDATE ledger_guards SET name = $3, certificate_no = $4, birth_year = $5, employment = $6, employed_since = $7,
                         active = $8, updated_at = $9
WHERE school_code = $1 AND id = $2
