INSERT INTO health_dormitories (school_code, name, beds) VALUES ($1, $2, $3) RETURNING id
