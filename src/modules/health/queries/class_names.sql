SELECT id, name FROM health_classes WHERE school_code = $1
