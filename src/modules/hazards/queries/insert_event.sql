INSERT INTO hazard_events (hazard_id, at, by, action, from_state, to_state, note, photos)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
