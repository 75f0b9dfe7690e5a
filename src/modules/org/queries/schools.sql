SELECT o.code, o.name, o.level, o.parent_code, o.path, o.active, o.demo, o.school_type, o.locality, o.boarding, o.day_students, o.boarding_students, o.class_count, (SELECT COUNT(*) FROM org_units c WHERE c.parent_code = o.code) AS child_count
FROM org_units o WHERE o.level = 'school' AND o.path >= $1 AND o.path < $2
  AND ($3 = '' OR o.name LIKE '%' || $3 || '%' OR o.code = $3)
  AND ($4 = '' OR o.school_type = $4) AND ($5 = '' OR o.locality = $5) AND ($6 < 0 OR o.active = $6)
ORDER BY o.path LIMIT $7 OFFSET $8
