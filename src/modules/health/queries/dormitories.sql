SELECT id, name, beds FROM health_dormitories WHERE school_code = $1 ORDER BY name
