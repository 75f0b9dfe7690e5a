UPDATE org_units SET active = $2, updated_at = $3 WHERE code = $1
