SELECT id, school_code, kind, name, location, national_id, police_networked, installed_on, active, updated_at, expected_channels
FROM ledger_devices WHERE school_code = $1 ORDER BY active DESC, id
