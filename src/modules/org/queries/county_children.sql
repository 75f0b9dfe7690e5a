SELECT COUNT(*) FROM org_units WHERE parent_code = $1 AND level = 'county'
