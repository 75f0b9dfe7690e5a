SELECT id, school_code, grade, name, enrolment, boarding, active FROM health_classes WHERE school_code = $1 AND id = $2
