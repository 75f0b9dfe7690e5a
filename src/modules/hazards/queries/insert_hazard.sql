INSERT INTO hazards (school_code, path, category, location, description, grade, source, inspection_id, item_code,
                     building_grade, out_of_use, fixed_at_once, found_by, found_at, found_on, photos, state, deadline,
                     updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'registered', $17, $18) RETURNING id
