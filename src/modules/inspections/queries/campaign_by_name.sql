SELECT id FROM campaigns WHERE org_code = $1 AND name = $2 LIMIT 1
