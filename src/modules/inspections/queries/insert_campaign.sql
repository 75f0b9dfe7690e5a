INSERT INTO campaigns (name, org_code, org_path, template_id, cadence, starts_on, ends_on, school_types, locality,
                       description, rounds, rounds_created, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13)
RETURNING id
