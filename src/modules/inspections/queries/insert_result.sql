INSERT INTO inspection_results (inspection_id, position, code, result, note, photos, hazard_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
