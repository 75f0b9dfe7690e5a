SELECT u.code, u.name, g.id, g.name, g.certificate_no, g.birth_year, g.employment, g.employed_since, g.active
FROM ledger_guards g JOIN org_units u ON u.code = g.school_code
WHERE u.path >= $1 AND u.path < $2 ORDER BY u.path, g.id LIMIT $3
