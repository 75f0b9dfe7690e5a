SELECT COUNT(*) FROM org_units o WHERE o.level = 'school' AND o.path >= $1 AND o.path < $2
  AND ($3 = '' OR o.name LIKE '%' || $3 || '%' OR o.code = $3)
  AND ($4 = '' OR o.school_type = $4) AND ($5 = '' OR o.locality = $5) AND ($6 < 0 OR o.active = $6)
