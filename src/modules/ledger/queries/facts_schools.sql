SELECT code, path, active, school_type, locality, boarding, day_students, boarding_students, class_count
FROM org_units WHERE level = 'school' AND code BETWEEN $1 AND $2 ORDER BY code
