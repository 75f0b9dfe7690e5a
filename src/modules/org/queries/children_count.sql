SELECT COUNT(*) FROM org_units o WHERE o.parent_code = $1 AND o.path >= $2 AND o.path < $3
