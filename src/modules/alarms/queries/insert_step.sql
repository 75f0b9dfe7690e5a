INSERT INTO alarm_steps (alarm_id, step, at, by, note) VALUES ($1, $2, $3, $4, $5)
