SELECT at, by, action, from_state, to_state, note, photos FROM hazard_events WHERE hazard_id = $1 ORDER BY id
