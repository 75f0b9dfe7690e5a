UPDATE ledger_devices SET kind = $3, name = $4, location = $5, national_id = $6, police_networked = $7,
                          installed_on = $8, active = $9, updated_at = $10, expected_channels = $11
WHERE school_code = $1 AND id = $2
