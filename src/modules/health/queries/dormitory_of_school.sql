SELECT id, name FROM health_dormitories WHERE school_code = $1 AND id = $2
