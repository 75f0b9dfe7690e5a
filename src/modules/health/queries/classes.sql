SELECT id, school_code, grade, name, enrolment, boarding, active FROM health_classes
WHERE school_code = $1 ORDER BY active DESC, grade, name
