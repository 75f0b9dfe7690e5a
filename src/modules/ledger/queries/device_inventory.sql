SELECT d.national_id, d.school_code, o.path, d.kind, d.name, d.location, d.expected_channels FROM ledger_devices d
JOIN org_units o ON o.code = d.school_code
WHERE d.active = 1 AND d.national_id IS NOT NULL AND o.active = 1
ORDER BY d.id
