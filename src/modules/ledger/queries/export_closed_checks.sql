SELECT u.code, u.name, c.measure, c.status, c.checked_on, c.note, c.photos, c.recorded_by
FROM ledger_closed_checks c JOIN org_units u ON u.code = c.school_code
WHERE u.path >= $1 AND u.path < $2 ORDER BY u.path, c.id LIMIT $3
