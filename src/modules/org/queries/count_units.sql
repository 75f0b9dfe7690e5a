SELECT COUNT(*) FROM org_units
