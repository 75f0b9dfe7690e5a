SELECT COUNT(*) FROM org_units o WHERE o.path >= $1 AND o.path < $2 AND (o.name LIKE '%' || $3 || '%' OR o.code = $3)
