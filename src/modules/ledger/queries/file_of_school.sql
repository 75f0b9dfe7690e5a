SELECT id FROM files WHERE id = $1 AND school_code = $2
