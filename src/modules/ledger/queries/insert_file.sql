INSERT INTO files (id, school_code, content_type, size, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id, school_code) DO NOTHING
