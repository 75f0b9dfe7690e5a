SELECT o.code, o.name, o.level, o.parent_code, o.path, o.active, o.demo, o.school_type, o.locality, o.boarding, o.day_students, o.boarding_students, o.class_count, (SELECT COUNT(*) FROM org_units c WHERE c.parent_code = o.code) AS child_count
FROM org_units o WHERE o.path >= $1 AND o.path < $2 AND (o.name LIKE '%' || $3 || '%' OR o.code = $3)
ORDER BY o.level, o.path LIMIT $4 OFFSET $5
