SELECT school_type, COUNT(*), COALESCE(SUM(day_students + boarding_students), 0)
FROM org_units WHERE level = 'school' AND active = 1 AND path >= $1 AND path < $2
GROUP BY school_type ORDER BY school_type
