INSERT INTO ledger_devices (school_code, kind, name, location, national_id, police_networked, installed_on, active,
                            created_at, updated_at, expected_channels)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id
