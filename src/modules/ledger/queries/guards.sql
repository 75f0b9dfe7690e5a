SELECT id, school_code, name, certificate_no, birth_year, employment, employed_since, active, updated_at
FROM ledger_guards WHERE school_code = $1 ORDER BY active DESC, id
