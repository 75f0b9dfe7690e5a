INSERT INTO ledger_guards (school_code, name, certificate_no, birth_year, employment, employed_since, active,
                           created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id
