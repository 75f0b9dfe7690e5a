SELECT u.code, u.name, d.id, d.kind, d.name, d.location, d.national_id, d.police_networked, d.installed_on, d.active
FROM ledger_devices d JOIN org_units u ON u.code = d.school_code
WHERE u.path >= $1 AND u.path < $2 ORDER BY u.path, d.id LIMIT $3
