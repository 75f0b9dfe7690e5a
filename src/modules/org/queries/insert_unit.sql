INSERT INTO org_units (code, name, level, parent_code, path, active, demo, school_type, locality, boarding,
                       day_students, boarding_students, class_count, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
