SELECT 1 FROM org_units WHERE code = $1
